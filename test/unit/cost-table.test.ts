import { expect, test } from 'vitest';
import type { CapacityResult, CapacityScenario, Units } from '../../bench/capacity';
import type { CostMeasurements } from '../../bench/costs/measure';
import { costRows, costTable } from '../../bench/costs/table';

/** The bench's cost table is arithmetic over measured units: checked here against sums done by hand. */
const units = (writeTable: number, writeIndex: number, read: number): Units => ({
  writeTable,
  writeIndex,
  read,
  readUnhooked: 0,
  calls: 0,
  commands: {},
});

const scenario = (bodyBytes: number, batch: number, lifecycle: Units): CapacityScenario => ({
  subject: 'queue',
  bodyBytes,
  batch,
  messages: batch,
  perMessage: { send: lifecycle, receive: lifecycle, delete: lifecycle, lifecycle },
  operationCalls: { send: 1, receive: 1, delete: 1 },
  roundTripsPerCall: { send: 1, receive: 1, delete: 1 },
  leaseWriteUnits: 3,
  hookMismatch: 0,
});

const capacity: CapacityResult = {
  scenarios: [
    scenario(1024, 1, units(6, 4, 0.5)),
    scenario(800, 10, units(3, 4, 0.05)),
    scenario(200 * 1024, 1, units(405, 4, 0.5)),
  ],
  backlogReceive: { backlog: 100, shards: 4, received: 10, queries: 1, leaseWrites: 10 },
  largestSevenUnitBody: 900,
};

const measured: CostMeasurements = {
  idleLongPoll: { calls: 400, readUnits: 200, writeUnits: 0, waitSeconds: 20, shards: 4 },
  consoleRefresh: {
    calls: 10,
    readUnits: 2.5,
    writeUnits: 0,
    backlog: 2_000,
    counterWriteUnitsPerMessage: 0.01,
  },
  fanOutToThree: { calls: 20, readUnits: 2, writeUnits: 25 },
};

test('dollars per million messages: DynamoDB units times list prices, beside SQS requests', () => {
  const rows = costRows(capacity, measured);
  const oneKb = rows.find((r) => r.work.startsWith('1 KB'))!;
  // 10 write units x $0.625/M + 0.5 read unit x $0.125/M, a million times.
  expect(oneKb.dynamodb).toBeCloseTo(6.25 + 0.0625, 6);
  // Three API Gateway requests at $1/M.
  expect(oneKb.apiGateway).toBeCloseTo(3, 6);
  // Three SQS requests at $0.40/M.
  expect(oneKb.sqs).toBeCloseTo(1.2, 6);
  // Send and receive carry 200 KB: 4 chunks of 64 KB each, plus the delete: 9 requests.
  expect(rows.find((r) => r.work.startsWith('200 KB'))!.sqs).toBeCloseTo(3.6, 6);
  // A batch of 10 is 0.3 SQS requests per message.
  expect(rows.find((r) => r.work.startsWith('800 B'))!.sqs).toBeCloseTo(0.12, 6);
  // SNS publish + 3 x (receive + delete).
  expect(rows.find((r) => r.work.startsWith('topic'))!.sqs).toBeCloseTo(0.5 + 2.4, 6);
});

test('an idle receiver for a month and the console for an hour', () => {
  const rows = costRows(capacity, measured);
  const idle = rows.find((r) => r.work.startsWith('one idle receiver'))!;
  const polls = (30 * 86_400) / 20;
  expect(idle.dynamodb).toBeCloseTo(polls * 200 * 0.125e-6, 6);
  // 20 s at 512 MB on arm64 per poll, plus the request.
  expect(idle.lambda).toBeCloseTo(polls * (0.2e-6 + 0.5 * 20 * 0.0000133334), 6);
  expect(idle.sqs).toBeCloseTo(polls * 0.4e-6, 9);
  const consoleHour = rows.find((r) => r.work.startsWith('console'))!;
  // Counts read counters: 2.5 read units per refresh at any backlog, nothing scaled; 720 refreshes an hour.
  expect(consoleHour.dynamodb).toBeCloseTo(720 * 2.5 * 0.125e-6, 9);
  const text = costTable(rows);
  expect(text).toContain('push delivery');
  expect(text.split('\n')).toHaveLength(3 + rows.length); // title, header, rule, rows;
});

test('a 200 KB body in S3: its DynamoDB units and S3 requests priced on a row of its own', () => {
  const inS3 = {
    bodyBytes: 200 * 1024,
    where: 'S3' as const,
    writeUnits: 7,
    readUnits: 0.5,
    s3: { put: 1, get: 1, delete: 1 },
    dollarsPerMillion: 0,
  };
  const rows = costRows(capacity, measured, { threshold: 4_096, lifecycles: [inS3], crossoverBytes: 4_096 });
  const row = rows.find((r) => r.work.includes('body in S3'))!;
  // 7 write units x $0.625/M + 0.5 read unit x $0.125/M; a PUT ($5/M) and a GET ($0.40/M).
  expect(row.dynamodb).toBeCloseTo(4.375 + 0.0625, 6);
  expect(row.s3).toBeCloseTo(5.4, 6);
  expect(row.total).toBeCloseTo(row.dynamodb + row.lambda + row.apiGateway + 5.4, 6);
  expect(row.sqs).toBeCloseTo(3.6, 6);
  expect(costTable(rows)).toContain('$5.40');
});

test('push delivery: measured units per message priced, a dispatcher run per batch, beside SQS', () => {
  const push = {
    backlog: 2_000,
    deliveriesPerSecond: 100,
    batches: 200,
    callsPerMessage: 2.4,
    readUnitsPerMessage: 0.1,
    writeUnitsPerMessage: 5,
    probes: 200,
    latencyP50Ms: 40,
    latencyP95Ms: 160,
  };
  const row = costRows(capacity, measured, undefined, push).find((r) => r.work.startsWith('push delivery'))!;
  // 5 write units x $0.625/M + 0.1 read unit x $0.125/M, a million times.
  expect(row.dynamodb).toBeCloseTo(3.125 + 0.0125, 6);
  // 100,000 batches, each a 100 ms run at 512 MB on arm64 plus its request.
  expect(row.lambda).toBeCloseTo(100_000 * (0.2e-6 + 0.5 * 0.1 * 0.0000133334), 6);
  expect(row.apiGateway).toBe(0);
  // A receive and a delete per batch at $0.40/M.
  expect(row.sqs).toBeCloseTo(0.08, 6);
  expect(row.total).toBeCloseTo(row.dynamodb + row.lambda, 9);
});
