import { deflateRawSync } from 'node:zlib';
import type { WriteRequest } from '@aws-sdk/client-dynamodb';
import type { ArchiveEntry, ArchiveWriter } from '../queue/ports/archive-store';
import { DynamoBase } from './base';
import type { Item } from './items';

/**
 * Writing archive entries (keys: archive-store.ts), apart from reading them, so the functions that
 * only archive what they accept (send, sqs, topics) bundle only this.
 */
const orderDigits = 20;
const dayMs = 86_400_000;
/** Bytes of (deflated) body kept inline; larger bodies go to part items (400 KB per item). */
const inlineBytes = 350_000;

const pad = (n: bigint) => n.toString().padStart(orderDigits, '0');
export const orderOfTime = (ms: number) => pad(BigInt(Math.floor(ms)) * 1_000_000n);
export const timeOfPosition = (position: string) =>
  Number(BigInt(position.slice(0, orderDigits)) / 1_000_000n);
export const partition = (queueId: string, day: number, shard: number) => `a#${queueId}#${day}#${shard}`;

export class DynamoArchiveWriter extends DynamoBase implements ArchiveWriter {
  async archive(queueId: string, entries: ArchiveEntry[]): Promise<string[]> {
    const requests: WriteRequest[] = [];
    const keys = new Map<string, string>();
    for (const entry of entries) {
      const { item, parts } = toItems(queueId, entry);
      keys.set(`${item.pk!.S}|${item.sk!.S}`, entry.id);
      for (const part of parts) requests.push({ PutRequest: { Item: part } });
      requests.push({ PutRequest: { Item: item } });
    }
    const failed = await this.writeAll('archive', requests, this.deadLetters);
    return [...failed].map((key) => keys.get(key)).filter((id): id is string => id !== undefined);
  }
}

export const partKey = (queueId: string, messageId: string, n: number): Item => ({
  pk: { S: `ap#${queueId}#${messageId}` },
  sk: { S: String(n) },
});

function toItems(queueId: string, entry: ArchiveEntry): { item: Item; parts: Item[] } {
  const day = Math.floor(timeOfPosition(entry.order) / dayMs);
  const ttl = { N: String(Math.ceil(entry.expiresAt / 1000)) };
  const item: Item = {
    pk: { S: partition(queueId, day, entry.shard) },
    sk: { S: `${entry.order}#${entry.id}` },
    i: { S: entry.id },
    s: { N: String(entry.sentAt) },
    x: { N: String(entry.expiresAt) },
    ttl,
  };
  if (Object.keys(entry.attributes).length > 0) item.a = { S: JSON.stringify(entry.attributes) };
  if (entry.groupId !== undefined) item.gi = { S: entry.groupId };
  if (entry.traceHeader !== undefined) item.th = { S: entry.traceHeader };
  // Deflated when that is smaller (write units are billed per KB of item); parts always deflated.
  const raw = Buffer.from(entry.body, 'utf8');
  const bytes = deflateRawSync(raw);
  if (bytes.length >= raw.length && raw.length <= inlineBytes) {
    item.b = { S: entry.body };
    return { item, parts: [] };
  }
  if (bytes.length <= inlineBytes) {
    item.z = { B: bytes };
    return { item, parts: [] };
  }
  const parts: Item[] = [];
  for (let offset = 0, n = 0; offset < bytes.length; offset += inlineBytes, n++) {
    parts.push({
      ...partKey(queueId, entry.id, n),
      d: { B: bytes.subarray(offset, offset + inlineBytes) },
      ttl,
    });
  }
  item.p = { N: String(parts.length) };
  return { item, parts };
}
