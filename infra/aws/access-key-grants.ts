import type { DynamoAction } from './function-catalog';

/**
 * What managing the SQS access keys takes (store/access-key-store.ts: create PutItem, look up
 * GetItem, list and "any active key?" Query, revoke UpdateItem), and the messages-table partition
 * that holds them. Written here because infra does not import the store, which loads the AWS SDK;
 * test/infra/grants.test.ts checks the partition against the store's.
 */
export const accessKeysPartition = 'k';
export const accessKeyActions: DynamoAction[] = ['GetItem', 'PutItem', 'UpdateItem', 'Query'];
