// The same scripted SQS session (differential-scenario.ts) against the local service and against
// a moto server, compared field by field with @aws-sdk/client-sqs; ids, receipt handles, times
// and the endpoint in URLs are masked. Every difference that remains must match one of the
// accepted differences below, each with the reason it is accepted; anything else fails.
import { SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { leaves, runScenario } from './differential-scenario';
import { hasMoto, type MotoServer, startMoto } from './moto-server';
import { type SqsTestService, startSqsService, uniqueName } from './service';

interface AcceptedDifference {
  /** Matches `<step>.<ok|error>.<path>` of a differing leaf. */
  where: RegExp;
  why: string;
}

const accepted: AcceptedDifference[] = [
  {
    where: /\.ok\.Failed\.\d+\.Message$/,
    why: 'Failed batch entries carry the same Code and SenderFault; the message wording is our own.',
  },
  {
    where: /^error: CreateQueue with VisibilityTimeout 50000\./,
    why: 'moto does not check attribute ranges and creates the queue; SQS refuses 50000 (0..43,200) with InvalidAttributeValue, as we do.',
  },
  {
    where: /^error: (CreateQueue|SetQueueAttributes) with an unknown attribute\./,
    why: 'moto ignores unknown attribute names; SQS refuses them with InvalidAttributeName, as we do.',
  },
  {
    where: /^error: ChangeMessageVisibility with a garbled handle\.error\.status$/,
    why: 'SQS answers an invalid receipt handle with HTTP 404 (issue 14); moto answers 400.',
  },
  {
    where: /^error: SendMessage with an empty body\./,
    why: 'moto accepts an empty body; SQS requires a body of at least one character (MissingParameter).',
  },
];

const available = hasMoto();
let ours: SqsTestService;
let moto: MotoServer;

beforeAll(async () => {
  if (!available) return;
  [ours, moto] = await Promise.all([startSqsService(), startMoto()]);
}, 60_000);
afterAll(async () => {
  await Promise.all([ours?.close(), moto?.stop()]);
});

const client = (endpoint: string) =>
  new SQSClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
    maxAttempts: 1,
  });

test.runIf(available)(
  'the local service answers the scripted session as moto does, apart from the accepted differences',
  async () => {
    const name = uniqueName('diff');
    const [a, b] = [client(ours.url), client(moto.url)];
    const mine = leaves(await runScenario(a, ours.url, name));
    const theirs = leaves(await runScenario(b, moto.url, name));
    a.destroy();
    b.destroy();

    // The session really ran: every step has an outcome on both sides.
    expect(Object.keys(mine).length).toBeGreaterThan(100);
    const paths = [...new Set([...Object.keys(mine), ...Object.keys(theirs)])].sort();
    const differences = paths.filter((path) => mine[path] !== theirs[path]);
    const unexplained = differences
      .filter((path) => !accepted.some((rule) => rule.where.test(path)))
      .map((path) => `${path}: ours=${JSON.stringify(mine[path])} moto=${JSON.stringify(theirs[path])}`);
    expect(unexplained).toEqual([]);
    // Shown in the test output, so a reader sees what differs today and why.
    for (const rule of accepted) {
      const matched = differences.filter((path) => rule.where.test(path));
      console.log(`${matched.length} accepted difference(s) ${rule.where}: ${rule.why}`);
    }
  },
  120_000,
);
