import { deleteMessage } from '../functions/queue/operations/acknowledge';
import { createQueue } from '../functions/queue/operations/queues';
import { receiveMessages } from '../functions/queue/operations/receive';
import { sendMessage } from '../functions/queue/operations/send';
import { createDynamoClient } from '../functions/store/client';
import { createS3Client, defaultBodyThresholdBytes, S3BodyStore } from '../functions/store/s3-body-store';
import type { TableNames } from '../functions/store/table-layout';
import { startLocalS3 } from '../infra/local/local-s3';
import { benchQueueContext } from './context';
import { prices } from './costs/prices';
import { meterClient } from './dynamo-meter';
import { meterS3Client } from './s3-meter';

/**
 * Large bodies with and without S3 (issue 20): the DynamoDB units and S3 requests of one message's
 * lifecycle (send, receive, delete; one message per call), measured on DynamoDB Local and a local
 * s3rver, at 200 KB and across small sizes to find where S3 becomes the cheaper place for a body.
 */
export interface BodyLifecycle {
  bodyBytes: number;
  where: 'DynamoDB' | 'S3';
  writeUnits: number;
  readUnits: number;
  s3: { put: number; get: number; delete: number };
  /** DynamoDB and S3 dollars per million lifecycles at list prices (bench/costs/prices.ts). */
  dollarsPerMillion: number;
}

export interface LargeBodyResult {
  threshold: number;
  lifecycles: BodyLifecycle[];
  /** The smallest measured size at which S3 costs less than DynamoDB body parts. */
  crossoverBytes: number | undefined;
}

const rounds = 3;
/** Sizes around the expected crossover, and the 200 KB. */
const sizes = [2_048, 3_072, 4_096, 5_120, 6_144, 8_192, 16_384, 200 * 1024];

export async function measureLargeBodies(options: {
  dynamodbEndpoint: string;
  tables: TableNames;
  shards: number;
}): Promise<LargeBodyResult> {
  const s3 = await startLocalS3({ bucket: 'bench-bodies' });
  const s3Client = createS3Client({ S3_ENDPOINT: s3.endpoint });
  const client = createDynamoClient({ DYNAMODB_ENDPOINT: options.dynamodbEndpoint, AWS_REGION: 'us-east-1' });
  const meter = meterClient(client, { askCapacity: true });
  const requests = meterS3Client(s3Client);
  const lifecycles: BodyLifecycle[] = [];
  try {
    for (const where of ['DynamoDB', 'S3'] as const) {
      // A threshold of 1 byte sends every body that leaves the item to S3, so each size is
      // measured both ways; the service's own threshold only picks between them.
      const bodies =
        where === 'S3'
          ? new S3BodyStore({
              client: s3Client,
              bucket: 'bench-bodies',
              thresholdBytes: 1,
            })
          : undefined;
      const ctx = benchQueueContext({
        client,
        tables: options.tables,
        shards: options.shards,
        ...(bodies ? { bodies } : {}),
      });
      for (const bodyBytes of sizes) {
        const ref = {
          account: '000000000000',
          region: 'us-east-1',
          name: `bench-body-${where}-${bodyBytes}`,
        };
        await createQueue(ctx, { ref });
        await receiveMessages(ctx, ref); // settings are cached: their read is not per message
        meter.clear();
        requests.clear();
        for (let round = 0; round < rounds; round++) {
          await sendMessage(ctx, ref, { body: `${round}:`.padEnd(bodyBytes, 'x') }, { senderId: 'bench' });
          const [received] = await receiveMessages(ctx, ref);
          if (!received) throw new Error('large-body run: the message was not received');
          await deleteMessage(ctx, ref, received.receiptHandle);
        }
        const writeUnits = sum(meter.entries.filter((e) => e.kind === 'write')) / rounds;
        const readUnits = sum(meter.entries.filter((e) => e.kind !== 'write')) / rounds;
        const s3 = {
          put: requests.put / rounds,
          get: requests.get / rounds,
          delete: requests.delete / rounds,
        };
        lifecycles.push({
          bodyBytes,
          where,
          writeUnits,
          readUnits,
          s3,
          dollarsPerMillion:
            1e6 *
            (writeUnits * prices.dynamodb.writeUnit +
              readUnits * prices.dynamodb.readUnit +
              s3.put * prices.s3.put +
              s3.get * prices.s3.get),
        });
      }
    }
  } finally {
    client.destroy();
    s3Client.destroy();
    await s3.stop();
  }
  const cost = (where: BodyLifecycle['where'], bytes: number) =>
    lifecycles.find((l) => l.where === where && l.bodyBytes === bytes)!.dollarsPerMillion;
  const crossoverBytes = sizes.find((bytes) => cost('S3', bytes) < cost('DynamoDB', bytes));
  return { threshold: defaultBodyThresholdBytes, lifecycles, crossoverBytes };
}

const sum = (entries: { table: number; index: number }[]) =>
  entries.reduce((total, e) => total + e.table + e.index, 0);

const size = (bytes: number) => (bytes >= 10_240 ? `${bytes / 1024} KB` : `${bytes} B`);

export function largeBodyTable(result: LargeBodyResult): string {
  const lines = result.lifecycles.map((l) => [
    size(l.bodyBytes),
    l.where,
    l.writeUnits.toFixed(2),
    l.readUnits.toFixed(2),
    `${l.s3.put} / ${l.s3.get} / ${l.s3.delete}`,
    `$${l.dollarsPerMillion.toFixed(2)}`,
  ]);
  const header = ['body', 'kept in', 'WCU/lc', 'RCU/lc', 'S3 put/get/delete', '$ per million (DynamoDB+S3)'];
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const render = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  return [
    'Large bodies: one message per call, send + receive + delete (DynamoDB Local + s3rver)',
    render(header),
    ...lines.map(render),
    `S3 is cheaper from ${result.crossoverBytes === undefined ? '-' : size(result.crossoverBytes)} of body; the deployed threshold is ${result.threshold} bytes.`,
  ].join('\n');
}
