import { QueryCommand } from '@aws-sdk/client-dynamodb';
import { invalidParameter } from '../queue/errors';
import type { MessageAttributes, StoredMessage } from '../queue/model';
import type { DeadLetterQuery } from '../queue/ports/dead-letter-store';
import { attributeMatches } from '../queue/shared/redrive-filter';
import type { DynamoBase } from './base';
import { keyString } from './batch';
import { deadLetterPartition, padTime } from './dead-letter-records';
import { fifoMessageKey, itemToFifoMessage } from './fifo-items';
import { type Item, itemToMessage, messageKey } from './items';

/**
 * Browsing a queue's dead letters in time order, through their browse records
 * (dead-letter-records.ts), optionally filtered by a String attribute.
 */

/** How much one filtered browse reads at most before it returns what it found and a token. */
export interface BrowseBudget {
  pageSize: number;
  pages: number;
  records: number;
}

export const filterBudget: BrowseBudget = { pageSize: 100, pages: 10, records: 1_000 };

/**
 * A page of dead letters in time order. With an attribute filter the records are read page after
 * page, keeping the messages whose String attribute matches, until `limit` match or the read
 * budget is spent; the token then resumes right after the last record examined, so a later page
 * neither skips nor repeats a match.
 */
export async function listDeadLetters(base: DynamoBase, query: DeadLetterQuery, browseBudget: BrowseBudget) {
  const from = padTime(query.deadLetteredAfter ?? 0);
  const to = `${padTime(query.deadLetteredBefore ?? 9_999_999_999_999)}~`;
  const partition = deadLetterPartition(query.queueId);
  let startKey: Item | undefined;
  if (query.nextToken) {
    const sk = Buffer.from(query.nextToken, 'base64url').toString('utf8');
    if (!/^\d{13}#[\w-]+$/.test(sk))
      throw invalidParameter('nextToken', query.nextToken, 'a token from an earlier page');
    startKey = { pk: { S: partition }, sk: { S: sk } };
  }
  const filter = query.attribute;
  const budget = filter ? browseBudget : { pages: 1, records: query.limit };
  const messages: StoredMessage[] = [];
  let examined = 0;
  for (let pages = 1; ; pages++) {
    const out = await base.run('listDeadLetters', (c) =>
      base.client.send(
        new QueryCommand({
          ...c,
          TableName: base.deadLetters,
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
          ExpressionAttributeValues: { ':pk': { S: partition }, ':from': { S: from }, ':to': { S: to } },
          ScanIndexForward: query.order === 'oldest',
          Limit: filter ? browseBudget.pageSize : query.limit,
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      ),
    );
    const records = out.Items ?? [];
    const items = await deadLetterItems(base, query.queueId, records);
    const dangling: Item[] = [];
    let stoppedAt: number | undefined;
    for (const [index, record] of records.entries()) {
      examined++;
      const item = items[index];
      // A consumer deleted the dead letter (or retention removed it): drop its record too.
      if (!item) dangling.push({ pk: record.pk!, sk: record.sk! });
      else if (!filter || itemMatchesAttribute(item, filter)) {
        const body = await base.readBody(query.queueId, item);
        messages.push(
          record.fg?.S ? itemToFifoMessage(item, query.queueId, body) : itemToMessage(item, body),
        );
        if (messages.length === query.limit) {
          stoppedAt = index;
          break;
        }
      }
    }
    if (dangling.length > 0) {
      await base.writeAll(
        'dropDeadLetterRecords',
        dangling.map((Key) => ({ DeleteRequest: { Key } })),
        base.deadLetters,
      );
    }
    // Resume after the last record examined: mid-page when the page filled up there.
    const last =
      stoppedAt !== undefined && stoppedAt < records.length - 1
        ? records[stoppedAt]!.sk!.S
        : out.LastEvaluatedKey?.sk?.S;
    const full = messages.length === query.limit;
    if (!last || full || pages >= budget.pages || examined >= budget.records) {
      return { messages, ...(last ? { nextToken: Buffer.from(last).toString('base64url') } : {}) };
    }
    startKey = { pk: { S: partition }, sk: { S: last } };
  }
}

/** The message items of dead-letter records, in record order (undefined where the message is gone). */
export async function deadLetterItems(
  base: DynamoBase,
  queueId: string,
  records: Item[],
): Promise<(Item | undefined)[]> {
  // A FIFO dead letter's item is keyed by its group and sequence number, a standard one by its id.
  const keys = records.map((r) =>
    r.fg?.S ? fifoMessageKey(queueId, r.fg.S, r.sn!.S!) : messageKey(queueId, r.id!.S!),
  );
  const found = await base.getAll(keys);
  return keys.map((key) => found.get(keyString(key)));
}

/**
 * Whether a message item (standard or FIFO, both keep attributes in `a`) has the attribute value:
 * compared as redrive compares it, so a browse shows exactly what "redrive matching" would move.
 */
function itemMatchesAttribute(item: Item, filter: { name: string; value: string }): boolean {
  const attributes: MessageAttributes = item.a?.S ? JSON.parse(item.a.S) : {};
  return attributeMatches(attributes, filter);
}
