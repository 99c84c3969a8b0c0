import type { CapacityResult, CapacityScenario } from '../capacity';
import type { BodyLifecycle, LargeBodyResult } from '../large-bodies';
import type { PushBenchResult } from '../push';
import { textTable } from '../table';
import type { CostMeasurements, Work } from './measure';
import { assumptions, prices } from './prices';

/**
 * Dollars for a unit of work: measured DynamoDB units and calls times list prices, next to what
 * SQS (with SNS where it applies) charges for the same work. Lambda duration is an assumption
 * (prices.ts); everything else is counted.
 */
export interface CostRow {
  work: string;
  /** What the dollars are for: per million messages, per month, per hour. */
  per: string;
  dynamodb: number;
  lambda: number;
  apiGateway: number;
  /** S3 requests (large bodies kept in S3); absent where no body goes there. */
  s3?: number;
  total: number;
  sqs: number;
  sqsNote: string;
  note?: string;
}

const million = 1e6;
const dynamoDollars = (w: Pick<Work, 'readUnits' | 'writeUnits'>) =>
  w.writeUnits * prices.dynamodb.writeUnit + w.readUnits * prices.dynamodb.readUnit;
const lambdaDollars = (invocations: number, memoryMiB: number, seconds = assumptions.requestMs / 1000) =>
  invocations * (prices.lambda.request + (memoryMiB / 1024) * seconds * prices.lambda.gbSecond);
const apiDollars = (requests: number, bytes = 1) =>
  requests * Math.ceil(bytes / prices.apiGatewayRequestBytes) * prices.apiGatewayRequest;
/** SQS requests for a payload: one per started 64 KB chunk. */
const sqsRequests = (bytes: number) => Math.max(1, Math.ceil(bytes / prices.sqs.chunkBytes));

function lifecycleUnits(scenario: CapacityScenario) {
  const l = scenario.perMessage.lifecycle;
  return { readUnits: l.read, writeUnits: l.writeTable + l.writeIndex };
}

function row(work: string, per: string, parts: Omit<CostRow, 'work' | 'per' | 'total'>): CostRow {
  return { work, per, ...parts, total: parts.dynamodb + parts.lambda + parts.apiGateway + (parts.s3 ?? 0) };
}

export function costRows(
  capacity: CapacityResult,
  measured: CostMeasurements,
  largeBodies?: LargeBodyResult,
  push?: PushBenchResult,
): CostRow[] {
  const find = (bodyBytes: number, batch: number) =>
    capacity.scenarios.find((s) => s.subject === 'queue' && s.bodyBytes === bodyBytes && s.batch === batch);
  const rows: CostRow[] = [];
  const lifecycle = (
    work: string,
    scenario: CapacityScenario | undefined,
    batch: number,
    inS3?: BodyLifecycle,
  ) => {
    if (!scenario) return;
    const requests = million / batch; // per operation: one call carries `batch` messages
    const bytes = scenario.bodyBytes * batch;
    const sqsPerMessage = (2 * sqsRequests(bytes) + 1) / batch; // send and receive carry the bodies
    rows.push(
      row(work, 'per million messages', {
        dynamodb: dynamoDollars(inS3 ?? lifecycleUnits(scenario)) * million,
        ...(inS3 ? { s3: (inS3.s3.put * prices.s3.put + inS3.s3.get * prices.s3.get) * million } : {}),
        lambda:
          lambdaDollars(requests, assumptions.sendMiB) +
          lambdaDollars(requests, assumptions.receiveMiB) +
          lambdaDollars(requests, assumptions.deleteMiB),
        apiGateway: apiDollars(requests, bytes) * 2 + apiDollars(requests),
        sqs: sqsPerMessage * million * prices.sqs.request,
        sqsNote: `${sqsPerMessage.toFixed(2)} requests per message`,
      }),
    );
  };
  lifecycle('1 KB, one message per call', find(1024, 1), 1);
  lifecycle('800 B, batches of 10', find(800, 10), 10);
  lifecycle('200 KB, one message per call', find(200 * 1024, 1), 1);
  const inS3 = largeBodies?.lifecycles.find((l) => l.where === 'S3' && l.bodyBytes === 200 * 1024);
  if (inS3) lifecycle('200 KB, one message per call, body in S3', find(200 * 1024, 1), 1, inS3);

  const fan = measured.fanOutToThree;
  rows.push(
    row('topic fanning out to 3 queues (800 B), consumed', 'per million publishes', {
      dynamodb: dynamoDollars(fan) * million,
      lambda:
        lambdaDollars(million, assumptions.topicsMiB) +
        3 * (lambdaDollars(million, assumptions.receiveMiB) + lambdaDollars(million, assumptions.deleteMiB)),
      apiGateway: apiDollars(million) * 7,
      sqs: million * (prices.snsPublish + 6 * prices.sqs.request),
      sqsNote: 'SNS publish + 3 x (receive + delete); delivery to SQS is free',
    }),
  );

  if (push) {
    // Batches of 10: one dispatcher invocation per batch (the stream's), waiting on the target
    // 100 ms at 512 MB; SQS + event source mapping: a receive and a delete per batch.
    const batches = million / 10;
    rows.push(
      row('push delivery to an HTTP target (800 B, batches of 10)', 'per million messages', {
        dynamodb:
          dynamoDollars({ readUnits: push.readUnitsPerMessage, writeUnits: push.writeUnitsPerMessage }) *
          million,
        lambda: lambdaDollars(batches, 512, 0.1),
        apiGateway: 0,
        sqs: 2 * batches * prices.sqs.request,
        sqsNote: 'the event source mapping: a receive and a delete per batch (its invocations not counted)',
        note: `${push.writeUnitsPerMessage.toFixed(2)} write and ${push.readUnitsPerMessage.toFixed(2)} read units per message, measured (table + index)`,
      }),
    );
  } else {
    rows.push({
      work: 'push delivery',
      per: 'per million messages',
      dynamodb: Number.NaN,
      lambda: Number.NaN,
      apiGateway: Number.NaN,
      total: Number.NaN,
      sqs: Number.NaN,
      sqsNote: 'the event source mapping polls SQS (billed as requests)',
      note: 'not measured in this run (bench/push.ts)',
    });
  }

  const idle = measured.idleLongPoll;
  const pollsPerMonth = (30 * 86_400) / idle.waitSeconds;
  rows.push(
    row('one idle receiver, 20-s long polls', 'per month', {
      dynamodb: dynamoDollars(idle) * pollsPerMonth,
      lambda: lambdaDollars(pollsPerMonth, assumptions.receiveMiB, idle.waitSeconds),
      apiGateway: apiDollars(pollsPerMonth),
      sqs: pollsPerMonth * prices.sqs.request,
      sqsNote: `${Math.round(pollsPerMonth).toLocaleString('en-US')} empty receives`,
      note: `${idle.calls.toFixed(0)} DynamoDB calls per poll over ${idle.shards} shards`,
    }),
  );

  const refresh = measured.consoleRefresh;
  const refreshesPerHour = 3_600 / 5;
  // Counts read the queue's counters: the same read units at any backlog, so nothing is scaled.
  rows.push(
    row('console open on a 100,000-message queue', 'per hour', {
      dynamodb:
        dynamoDollars({ readUnits: refresh.readUnits, writeUnits: refresh.writeUnits }) * refreshesPerHour,
      lambda: 2 * lambdaDollars(refreshesPerHour, assumptions.queuesMiB),
      apiGateway: 2 * apiDollars(refreshesPerHour),
      sqs: refreshesPerHour * prices.sqs.request,
      sqsNote: 'one GetQueueAttributes per refresh',
      note: `${refresh.readUnits.toFixed(1)} read units per refresh (measured at ${refresh.backlog.toLocaleString('en-US')} messages; counters cost the same at any depth; keeping them: ${refresh.counterWriteUnitsPerMessage.toFixed(3)} write units per message sent in one stream batch)`,
    }),
  );
  return rows;
}

const dollars = (n: number) => (Number.isNaN(n) ? '-' : n < 0.01 ? `$${n.toFixed(4)}` : `$${n.toFixed(2)}`);

export function costTable(rows: CostRow[]): string {
  const header = [
    'work',
    'per',
    'DynamoDB',
    'Lambda',
    'API Gateway',
    'S3',
    'this queue',
    'SQS (+SNS)',
    'ratio',
    'notes',
  ];
  const lines = rows.map((r) => [
    r.work,
    r.per,
    dollars(r.dynamodb),
    dollars(r.lambda),
    dollars(r.apiGateway),
    r.s3 === undefined ? '-' : dollars(r.s3),
    dollars(r.total),
    dollars(r.sqs),
    Number.isNaN(r.total) ? '-' : `${(r.total / r.sqs).toFixed(1)}x`,
    [r.note, r.sqsNote].filter(Boolean).join('; '),
  ]);
  return [
    `Cost at us-east-1 list prices (bench/costs/prices.ts); Lambda billed ${assumptions.requestMs} ms per request (assumed), arm64`,
    textTable(header, lines),
  ].join('\n');
}
