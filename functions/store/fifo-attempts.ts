import {
  type AttributeValue,
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import type { AttemptClaim, AttemptRecord, ReceiveAttempt } from '../queue/ports/fifo-store';
import type { DynamoBase } from './base';
import { attemptConditions } from './conditions';
import { attemptKey } from './fifo-items';
import type { Item } from './items';
import { isConditionFailure } from './sdk-errors';

/**
 * ReceiveRequestAttemptId records (`fa#<queue id>#<attempt id>` / `a`): `c` the claim's token,
 * `ce` when an unfinished claim counts as abandoned, `x` the end of the 5-minute window, `ttl`,
 * and `d` the receive's messages once it finished. A receive with an attempt id claims the record
 * first with one conditional put, so of concurrent receives with the same id exactly one receives.
 */
const N = (n: number): AttributeValue => ({ N: String(n) });
const S = (s: string): AttributeValue => ({ S: s });

export async function claimAttempt(
  table: DynamoBase,
  claim: AttemptClaim,
): Promise<{ claimed: true } | { claimed: false; current?: AttemptRecord }> {
  try {
    await table.run('fifoClaimAttempt', (c) =>
      table.client.send(
        new PutItemCommand({
          ...c,
          TableName: table.messages,
          Item: {
            ...attemptKey(claim.queueId, claim.attemptId),
            c: S(claim.token),
            ce: N(claim.claimEnd),
            x: N(claim.expiresAt),
            ttl: N(Math.ceil(claim.expiresAt / 1000)),
          },
          ConditionExpression: attemptConditions.claimable(claim.replacing),
          ExpressionAttributeValues: {
            ':now': N(claim.now),
            ...(claim.replacing ? { ':seen': S(claim.replacing) } : {}),
          },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      ),
    );
    return { claimed: true };
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
    const item = error.Item as Item | undefined;
    return item ? { claimed: false, current: toRecord(item) } : { claimed: false };
  }
}

export async function finishAttempt(
  table: DynamoBase,
  queueId: string,
  token: string,
  attempt: ReceiveAttempt,
) {
  try {
    await table.run('fifoFinishAttempt', (c) =>
      table.client.send(
        new PutItemCommand({
          ...c,
          TableName: table.messages,
          Item: {
            ...attemptKey(queueId, attempt.attemptId),
            c: S(token),
            ce: N(attempt.expiresAt),
            x: N(attempt.expiresAt),
            ttl: N(Math.ceil(attempt.expiresAt / 1000)),
            d: S(JSON.stringify(attempt)),
          },
          ConditionExpression: attemptConditions.holdsClaim,
          ExpressionAttributeValues: { ':token': S(token) },
        }),
      ),
    );
  } catch (error) {
    // Taken over after the claim ran out: the newer claim's record stands.
    if (!isConditionFailure(error)) throw error;
  }
}

export async function dropAttempt(table: DynamoBase, queueId: string, attemptId: string, token: string) {
  try {
    await table.run('fifoDropAttempt', (c) =>
      table.client.send(
        new DeleteItemCommand({
          ...c,
          TableName: table.messages,
          Key: attemptKey(queueId, attemptId),
          ConditionExpression: attemptConditions.holdsClaim,
          ExpressionAttributeValues: { ':token': S(token) },
        }),
      ),
    );
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
  }
}

export async function getAttempt(
  table: DynamoBase,
  queueId: string,
  attemptId: string,
  now: number,
): Promise<AttemptRecord | undefined> {
  const out = await table.run('fifoGetAttempt', (c) =>
    table.client.send(
      new GetItemCommand({
        ...c,
        TableName: table.messages,
        Key: attemptKey(queueId, attemptId),
        ConsistentRead: true,
      }),
    ),
  );
  // Expired records are gone as far as anyone can tell (TTL removes them late, or never locally).
  if (!out.Item || Number(out.Item.x?.N) <= now) return undefined;
  return toRecord(out.Item);
}

function toRecord(item: Item): AttemptRecord {
  return {
    token: item.c?.S ?? '',
    // A record without a claim end was written finished.
    claimEnd: Number(item.ce?.N ?? 0),
    ...(item.d?.S ? { result: JSON.parse(item.d.S) as ReceiveAttempt } : {}),
  };
}
