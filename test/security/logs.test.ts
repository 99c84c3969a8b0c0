// Nothing secret reaches the logs: a whole workload (REST, SQS JSON through the SDK and SQS Query,
// signed with a service access key; sends, receives, visibility changes, deletes, batches,
// refused requests, DynamoDB faults, dead-lettering, a redrive task, the sweeper, retention) runs
// while every console call and every write to stdout and stderr of this process is recorded, and
// no line may hold a message body, a receipt handle, the key's secret or a request signature.
import { randomBytes } from 'node:crypto';
import {
  ChangeMessageVisibilityCommand,
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, expect, test, vi } from 'vitest';
import { newAccessKey } from '../../functions/dialects/sqs/new-access-key';
import { handler as redrive } from '../../functions/handlers/redrive';
import { handler as sweeper } from '../../functions/handlers/sweeper';
import { useChaosService } from '../chaos/support';
import type { Credentials } from '../sqs/signing';
import { readResponse, signedRest } from './signed-rest';

/** Real time plus an offset the test moves forward (signatures stay within the 15-minute window). */
let offsetMs = 0;
const clock = { now: () => Date.now() + offsetMs };
const chaos = useChaosService({ clock });
const account = '000000000000';
const run = randomBytes(4).toString('hex');

const printed: string[] = [];
const bodies: string[] = [];
const handles = new Set<string>();
const signatures = new Set<string>();
let creds: Credentials;
let sqs: SQSClient;

function capture(): void {
  for (const level of ['log', 'error', 'warn', 'info', 'debug', 'trace'] as const) {
    const original = console[level].bind(console);
    vi.spyOn(console, level).mockImplementation((...args: unknown[]) => {
      printed.push(
        args.map((arg) => (typeof arg === 'string' ? arg : (JSON.stringify(arg) ?? String(arg)))).join(' '),
      );
      original(...args);
    });
  }
  for (const stream of [process.stdout, process.stderr]) {
    const original = stream.write.bind(stream) as (...args: unknown[]) => boolean;
    vi.spyOn(stream, 'write').mockImplementation(((chunk: unknown, ...rest: unknown[]) => {
      printed.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
      return original(chunk, ...rest);
    }) as typeof stream.write);
  }
}

/** A body that is recognisable in any log line. */
const body = (label: string) => {
  const text = `body-${label}-${run}-${randomBytes(4).toString('hex')}`;
  bodies.push(text);
  return text;
};

async function rest(method: string, path: string, payload?: unknown) {
  const [url, init] = await signedRest(
    chaos.url(),
    { method, path, body: payload },
    { credentials: creds, signingDate: new Date(clock.now()) },
  );
  signatures.add(
    /Signature=([0-9a-f]+)/.exec(String((init.headers as Record<string, string>).authorization))![1]!,
  );
  const response = await readResponse(await fetch(url, init));
  for (const message of response.body?.messages ?? [])
    if (message.receiptHandle) handles.add(message.receiptHandle);
  return response;
}

const xml = new XMLParser({ parseTagValue: false });

async function query(queue: string, params: Record<string, string>) {
  const form = new URLSearchParams({ Version: '2012-11-05', ...params }).toString().replace(/\+/g, '%20');
  const [url, init] = await signedRest(
    chaos.url(),
    {
      method: 'POST',
      path: `/${account}/${queue}`,
      body: form,
      contentType: 'application/x-www-form-urlencoded',
    },
    { credentials: creds, service: 'sqs', signingDate: new Date(clock.now()) },
  );
  signatures.add(
    /Signature=([0-9a-f]+)/.exec(String((init.headers as Record<string, string>).authorization))![1]!,
  );
  const response = await fetch(url, init);
  const parsed = xml.parse(await response.text());
  const messages = [parsed.ReceiveMessageResponse?.ReceiveMessageResult?.Message ?? []].flat();
  for (const message of messages) handles.add(message.ReceiptHandle);
  return { status: response.status, parsed, messages };
}

const queueUrl = (queue: string) => `${chaos.url()}/${account}/${queue}`;

beforeAll(async () => {
  capture();
  const key = newAccessKey({ accountId: account, now: clock.now(), description: 'logs' });
  await chaos.service().runtime.accessKeys.createKey(key);
  creds = { accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey };
  sqs = new SQSClient({ endpoint: chaos.url(), region: 'us-east-1', credentials: creds, maxAttempts: 1 });
  // The SDK signs in its finalize step; the deserialize step sees the request as sent.
  sqs.middlewareStack.add(
    (next) => async (args) => {
      const headers = (args.request as { headers: Record<string, string> }).headers;
      signatures.add(/Signature=([0-9a-f]+)/.exec(headers.authorization ?? '')?.[1] ?? 'none');
      return next(args);
    },
    { step: 'deserialize' },
  );
});
afterAll(() => {
  sqs?.destroy();
  vi.restoreAllMocks();
});

test('a whole workload leaves no body, receipt handle, secret or signature in any log line', async () => {
  const main = `logs-${run}`;
  const dead = `logs-${run}-dead`;
  const short = `logs-${run}-short`;
  expect((await rest('POST', '/queues', { name: dead })).status).toBe(201);
  expect(
    (
      await rest('POST', '/queues', {
        name: main,
        maxReceiveCount: 1,
        deadLetterQueue: dead,
        visibilityTimeoutSeconds: 30,
      })
    ).status,
  ).toBe(201);
  expect((await rest('POST', '/queues', { name: short, retentionSeconds: 60 })).status).toBe(201);

  // REST: single and batch sends, receive, visibility change, single and batch delete.
  expect((await rest('POST', `/queues/${main}/messages`, { body: body('rest-one') })).status).toBe(201);
  const batch = await rest('POST', `/queues/${main}/messages`, {
    messages: [1, 2, 3, 4].map((n) => ({ id: `m${n}`, body: body(`rest-batch-${n}`) })),
  });
  expect(batch.status, JSON.stringify(batch.body)).toBeLessThan(300);
  const received = await rest('POST', `/queues/${main}/messages/receive`, { maxMessages: 4 });
  const [first, second, ...others] = received.body.messages as { receiptHandle: string }[];
  expect(
    (
      await rest('POST', `/queues/${main}/messages/visibility`, {
        receiptHandle: first!.receiptHandle,
        visibilityTimeoutSeconds: 60,
      })
    ).status,
  ).toBeLessThan(300);
  expect(
    (await rest('DELETE', `/queues/${main}/messages/${encodeURIComponent(first!.receiptHandle)}`)).status,
  ).toBe(204);
  const batchDelete = await rest('POST', `/queues/${main}/messages/delete`, {
    entries: others.map((m, i) => ({ id: `d${i}`, receiptHandle: m.receiptHandle })),
  });
  expect(batchDelete.status).toBeLessThan(300);

  // Refused requests: an altered handle, a handle on another queue, a forbidden character, no queue.
  const altered = `${second!.receiptHandle.slice(0, -3)}AAA`;
  handles.add(altered);
  expect((await rest('DELETE', `/queues/${main}/messages/${encodeURIComponent(altered)}`)).status).toBe(410);
  expect(
    (
      await rest('POST', `/queues/${dead}/messages/delete`, {
        entries: [{ id: 'x', receiptHandle: second!.receiptHandle }],
      })
    ).status,
  ).toBeLessThan(500);
  expect(
    (await rest('POST', `/queues/${main}/messages`, { body: `${body('forbidden')}\u0000` })).status,
  ).toBe(400);
  expect((await rest('POST', `/queues/${main}-none/messages`, { body: body('nowhere') })).status).toBe(404);

  // DynamoDB faults: a failed send and a throttled receive are logged as retryable failures.
  chaos.faults.inject({ command: 'PutItem', kind: 'internal', times: 3 });
  expect((await rest('POST', `/queues/${main}/messages`, { body: body('fault') })).status).toBe(503);
  chaos.faults.inject({ command: 'UpdateItem', kind: 'throttle', times: 3 });
  await rest('POST', `/queues/${main}/messages/receive`, { maxMessages: 10 });
  chaos.faults.clearRules();

  // SQS JSON through the SDK.
  await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl(main), MessageBody: body('json-one') }));
  await sqs.send(
    new SendMessageBatchCommand({
      QueueUrl: queueUrl(main),
      Entries: [1, 2].map((n) => ({ Id: `j${n}`, MessageBody: body(`json-batch-${n}`) })),
    }),
  );
  const fromJson = await sqs.send(
    new ReceiveMessageCommand({ QueueUrl: queueUrl(main), MaxNumberOfMessages: 3 }),
  );
  const jsonHandles = (fromJson.Messages ?? []).map((m) => m.ReceiptHandle!);
  for (const handle of jsonHandles) handles.add(handle);
  expect(jsonHandles.length).toBeGreaterThan(0);
  await sqs.send(
    new ChangeMessageVisibilityCommand({
      QueueUrl: queueUrl(main),
      ReceiptHandle: jsonHandles[0]!,
      VisibilityTimeout: 45,
    }),
  );
  await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl(main), ReceiptHandle: jsonHandles[0]! }));
  await sqs
    .send(
      new DeleteMessageBatchCommand({
        QueueUrl: queueUrl(main),
        Entries: jsonHandles.slice(1).map((handle, i) => ({ Id: `b${i}`, ReceiptHandle: handle })),
      }),
    )
    .catch(() => undefined);
  await expect(
    sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl(main), ReceiptHandle: altered })),
  ).rejects.toThrow();

  // SQS Query.
  expect((await query(main, { Action: 'SendMessage', MessageBody: body('query-one') })).status).toBe(200);
  const fromQuery = await query(main, { Action: 'ReceiveMessage', MaxNumberOfMessages: '10' });
  for (const message of fromQuery.messages) {
    await query(main, {
      Action: 'ChangeMessageVisibility',
      ReceiptHandle: message.ReceiptHandle,
      VisibilityTimeout: '0',
    });
  }
  expect((await query(main, { Action: 'DeleteMessage', ReceiptHandle: altered })).status).toBe(404);

  // Dead letters: everything still in the main queue is received (maxReceiveCount 1), released, and
  // moved by the next receive or the sweeper; a redrive task brings them back.
  offsetMs += 61_000;
  for (let round = 0; round < 3; round++) {
    const leased = await rest('POST', `/queues/${main}/messages/receive`, { maxMessages: 10 });
    for (const message of leased.body.messages as { receiptHandle: string }[]) {
      await rest('POST', `/queues/${main}/messages/visibility`, {
        receiptHandle: message.receiptHandle,
        visibilityTimeoutSeconds: 0,
      });
    }
  }
  await sweeper({});
  const deadLetters = await rest('GET', `/queues/${dead}/dead-letters`);
  expect(deadLetters.status).toBe(200);
  expect(deadLetters.body.messages.length).toBeGreaterThan(0);
  expect((await rest('POST', `/queues/${dead}/redrive`, {})).status).toBe(202);
  await redrive({}, {});

  // Retention: the short queue's messages expire and the sweeper removes them.
  await rest('POST', `/queues/${short}/messages`, { body: body('expiring') });
  offsetMs += 61_000;
  await sweeper({});
  await rest('POST', `/queues/${main}/purge`);

  // The workload did log (failures, sweeps, redrive slices), so the check below is not vacuous.
  expect(printed.length).toBeGreaterThan(0);
  expect(printed.some((line) => line.includes('retryable failure'))).toBe(true);
  const forbidden = [...bodies, ...handles, creds.secretAccessKey, ...signatures].filter(
    (text) => text.length >= 8,
  );
  expect(forbidden.length).toBeGreaterThan(20);
  const leaks = printed.flatMap((line) =>
    forbidden.filter((text) => line.includes(text)).map((text) => `${text} in: ${line.slice(0, 300)}`),
  );
  expect(leaks).toEqual([]);
});
