import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { StoredSigningIdentity } from '../topics/signing';
import type { DynamoBase } from './base';
import type { Item } from './items';
import { isConditionFailure } from './sdk-errors';

/**
 * The notification-signing identity (private key and certificate, PEM), one item in the messages
 * table (pk `sig`, sk `sns`), encrypted at rest with the table. Every function that signs reads
 * it once per container; the first ever to need it creates it with a conditional put, and a
 * process that loses that race takes the winner's (ALL_OLD), so all sign with one key.
 */
const signingKey: Item = { pk: { S: 'sig' }, sk: { S: 'sns' } };

export async function getSigningIdentity(base: DynamoBase): Promise<StoredSigningIdentity | undefined> {
  const out = await base.run('getSigningIdentity', (c) =>
    base.client.send(
      new GetItemCommand({ ...c, TableName: base.messages, Key: signingKey, ConsistentRead: true }),
    ),
  );
  return identityOf(out.Item);
}

export async function putSigningIdentity(
  base: DynamoBase,
  identity: StoredSigningIdentity,
): Promise<StoredSigningIdentity> {
  try {
    await base.run('putSigningIdentity', (c) =>
      base.client.send(
        new PutItemCommand({
          ...c,
          TableName: base.messages,
          Item: {
            ...signingKey,
            key: { S: identity.privateKeyPem },
            cert: { S: identity.certificatePem },
          },
          ConditionExpression: 'attribute_not_exists(pk)',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      ),
    );
    return identity;
  } catch (error) {
    const existing = isConditionFailure(error) ? identityOf(error.Item as Item | undefined) : undefined;
    if (existing) return existing;
    throw error;
  }
}

function identityOf(item: Item | undefined): StoredSigningIdentity | undefined {
  const privateKeyPem = item?.key?.S;
  const certificatePem = item?.cert?.S;
  return privateKeyPem && certificatePem ? { privateKeyPem, certificatePem } : undefined;
}
