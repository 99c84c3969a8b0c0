import { Match } from 'aws-cdk-lib/assertions';
import { Key } from 'aws-cdk-lib/aws-kms';
import { describe, expect, it } from 'vitest';
import {
  deadLettersTable,
  messagesTable,
  type TableLayout,
  tableNames,
} from '../../functions/store/table-layout';
import { logicalIdOf, resourcesOf, synthQueueService, synthQueueStack } from './synth';

// The expected table, derived from the same layout the store uses: a change to the layout shows
// up here and in the stack together.
function expectedKeys(layout: TableLayout) {
  const attributes = new Map<string, string>();
  const add = (key: { name: string; type: string }) => attributes.set(key.name, key.type);
  add(layout.partitionKey);
  add(layout.sortKey);
  for (const index of layout.indexes) {
    add(index.partitionKey);
    add(index.sortKey);
  }
  return {
    KeySchema: [
      { AttributeName: layout.partitionKey.name, KeyType: 'HASH' },
      { AttributeName: layout.sortKey.name, KeyType: 'RANGE' },
    ],
    AttributeDefinitions: Match.arrayEquals(
      [...attributes].map(([AttributeName, AttributeType]) => ({ AttributeName, AttributeType })),
    ),
    TimeToLiveSpecification: { AttributeName: layout.ttlAttribute, Enabled: true },
  };
}

describe('DynamoDB tables', () => {
  const { stack, template } = synthQueueStack();
  const tables = resourcesOf(template, 'AWS::DynamoDB::Table');
  const byId = (id: string) => tables[id]!;
  const messagesId = logicalIdOf(stack, stack.service.messagesTable);
  const deadLettersId = logicalIdOf(stack, stack.service.deadLettersTable);

  it('declares exactly the two tables of the layout, named with the default prefix', () => {
    expect(Object.keys(tables).sort()).toEqual([messagesId, deadLettersId].sort());
    expect(byId(messagesId).Properties.TableName).toBe(tableNames().messages);
    expect(byId(deadLettersId).Properties.TableName).toBe(tableNames().deadLetters);
  });

  it.each([
    ['messages', messagesTable, () => messagesId],
    ['dead letters', deadLettersTable, () => deadLettersId],
  ])('%s: keys, TTL, on-demand, PITR, deletion protection and retention', (_, layout, id) => {
    expect(byId(id()).Properties).toMatchObject({
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      DeletionProtectionEnabled: true,
    });
    template.hasResource('AWS::DynamoDB::Table', {
      Properties: Match.objectLike({ TableName: byId(id()).Properties.TableName, ...expectedKeys(layout) }),
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
  });

  it('gives the messages table the ready index with the projected attributes of the layout', () => {
    const expected = messagesTable.indexes.map((index) => ({
      IndexName: index.name,
      KeySchema: [
        { AttributeName: index.partitionKey.name, KeyType: 'HASH' },
        { AttributeName: index.sortKey.name, KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: index.projected },
    }));
    expect(byId(messagesId).Properties.GlobalSecondaryIndexes).toEqual(expected);
    expect(byId(deadLettersId).Properties.GlobalSecondaryIndexes).toBeUndefined();
  });

  it('encrypts with the AWS-owned key by default (no KMS key in the template)', () => {
    for (const table of Object.values(tables)) {
      const sse = table.Properties.SSESpecification as Record<string, unknown> | undefined;
      expect(sse?.SSEType).toBeUndefined();
      expect(sse?.KMSMasterKeyId).toBeUndefined();
    }
    template.resourceCountIs('AWS::KMS::Key', 0);
  });
});

describe('DynamoDB tables with options', () => {
  it('points both tables and the secret at a customer-managed key when one is given', () => {
    let key: Key | undefined;
    const { stack, template } = synthQueueService((scope) => {
      key = new Key(scope, 'TableKey', { enableKeyRotation: true });
      return { encryptionKey: key };
    });
    const keyArn = { 'Fn::GetAtt': [logicalIdOf(stack, key!), 'Arn'] };
    const tables = Object.values(resourcesOf(template, 'AWS::DynamoDB::Table'));
    expect(tables).toHaveLength(2);
    for (const table of tables) {
      expect(table.Properties.SSESpecification).toEqual({
        SSEEnabled: true,
        SSEType: 'KMS',
        KMSMasterKeyId: keyArn,
      });
    }
    template.hasResourceProperties('AWS::SecretsManager::Secret', { KmsKeyId: keyArn });
  });

  it('deletes tables, secret and logs with the stack in sandbox mode', () => {
    const { template } = synthQueueStack({ context: { 'queue:sandbox': 'true' } });
    for (const type of ['AWS::DynamoDB::Table', 'AWS::SecretsManager::Secret', 'AWS::Logs::LogGroup']) {
      const resources = Object.values(resourcesOf(template, type));
      expect(resources.length, type).toBeGreaterThan(0);
      for (const resource of resources) expect(resource.DeletionPolicy, type).toBe('Delete');
    }
    for (const table of Object.values(resourcesOf(template, 'AWS::DynamoDB::Table'))) {
      expect(table.Properties.DeletionProtectionEnabled).toBe(false);
    }
  });

  it('names tables with the configured prefix', () => {
    const { template } = synthQueueStack({ context: { 'queue:tablePrefix': 'dev-queue-' } });
    template.hasResourceProperties('AWS::DynamoDB::Table', { TableName: 'dev-queue-messages' });
    template.hasResourceProperties('AWS::DynamoDB::Table', { TableName: 'dev-queue-dead-letters' });
  });

  it('keeps the construct paths of stateful resources stable (a new path replaces the table)', () => {
    const { stack } = synthQueueStack();
    const base = `${stack.stackName}/QueueService`;
    expect(stack.service.messagesTable.node.path).toBe(`${base}/MessagesTable`);
    expect(stack.service.deadLettersTable.node.path).toBe(`${base}/DeadLettersTable`);
    expect(stack.service.receiptHandleSecret.node.path).toBe(`${base}/ReceiptHandleSecret`);
  });
});
