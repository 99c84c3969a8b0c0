import { expect, inject, test } from 'vitest';
import { largeBodyTable, measureLargeBodies } from '../../bench/large-bodies';
import { defaultBodyThresholdBytes } from '../../functions/store/s3-body-store';
import { freshTables } from '../support/queue-fixture';

/**
 * What a large body costs with and without S3, measured as the bench measures it (DynamoDB Local's
 * ReturnConsumedCapacity, s3rver's requests counted): a 200 KB lifecycle through S3 costs a few
 * write units and three S3 requests instead of ~400 write units, and the default threshold sits
 * at or above the measured crossover.
 */
test('a 200 KB lifecycle with S3 costs a handful of write units; the threshold follows the crossover', async () => {
  const result = await measureLargeBodies({
    dynamodbEndpoint: inject('dynamodbEndpoint'),
    tables: await freshTables(),
    shards: 1,
  });
  console.log(largeBodyTable(result));
  const at = (where: 'DynamoDB' | 'S3', bytes: number) =>
    result.lifecycles.find((l) => l.where === where && l.bodyBytes === bytes)!;
  const inS3 = at('S3', 200 * 1024);
  const inParts = at('DynamoDB', 200 * 1024);
  expect(inS3.s3).toEqual({ put: 1, get: 1, delete: 1 });
  // 7 per lifecycle, plus now and then the queue's arrival tick (a small write at most once per 0.8 s
  // per sending process, not per message: README "Idle receivers").
  expect(inS3.writeUnits).toBeLessThan(8);
  expect(inParts.writeUnits).toBeGreaterThan(400);
  expect(inS3.dollarsPerMillion).toBeLessThan(inParts.dollarsPerMillion / 20);
  expect(result.crossoverBytes).toBeDefined();
  expect(defaultBodyThresholdBytes).toBeGreaterThanOrEqual(result.crossoverBytes!);
  // ... but not far above it: within the next measured size or two.
  expect(defaultBodyThresholdBytes).toBeLessThanOrEqual(2 * result.crossoverBytes!);
}, 120_000);
