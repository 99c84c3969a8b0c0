// With access keys configured, every route of the route table refuses what API Gateway (REST,
// `execute-api`) or the SQS verifier (SQS, `sqs`) would refuse: unsigned, badly signed, replayed
// after the 15-minute window, unknown and revoked keys, and none of those changes any item in the
// tables; a correctly signed request gets through. The routes come from functions/routes.ts, so a
// new route is covered the day it is added. The SQS details (presigned URLs, tampered bodies, SDK
// clock correction) are in test/sqs/signatures.test.ts; a receipt handle of one queue used on
// another is refused in both dialects in test/fuzz (rest.test.ts and sqs.test.ts, "other queue").
import { randomBytes } from 'node:crypto';
import { XMLParser } from 'fast-xml-parser';
import { beforeAll, describe, expect, inject, test } from 'vitest';
import { newAccessKey } from '../../functions/dialects/sqs/new-access-key';
import { ManualClock } from '../../functions/queue/clock';
import { type RouteDefinition, routes } from '../../functions/routes';
import { createDynamoClient } from '../../functions/store/client';
import { tableNames } from '../../functions/store/table-layout';
import { needsIamSignature } from '../../infra/local/rest-authentication';
import type { Credentials } from '../sqs/signing';
import { useLocalService } from '../support/local-service';
import { type RestRequest, readResponse, type SigningOptions, signedRest } from './signed-rest';
import { tableState } from './table-state';

const clock = new ManualClock(Date.now());
const tables = tableNames(`s${randomBytes(4).toString('hex')}-`);
const local = useLocalService({ clock, tables });
const region = 'us-east-1';
const account = '000000000000';
const fifteenMinutes = 15 * 60_000;
const secretBody = `secret-body-${randomBytes(6).toString('hex')}`;

let good: Credentials;
let revoked: Credentials;
const unknown: Credentials = {
  accessKeyId: `AKSQ${randomBytes(8).toString('hex').toUpperCase()}`,
  secretAccessKey: randomBytes(30).toString('base64url'),
};

type Kind = 'rest' | 'sqs' | 'public';
const kindOf = (route: RouteDefinition): Kind =>
  route.public ? 'public' : route.function === 'sqs' ? 'sqs' : needsIamSignature(route) ? 'rest' : 'public';

const signed = (request: RestRequest, options: Partial<SigningOptions> = {}) =>
  signedRest(local.url(), request, {
    credentials: good,
    region,
    signingDate: new Date(clock.now()),
    service: 'execute-api',
    ...options,
  });

async function api(method: string, path: string, body?: unknown) {
  const response = await readResponse(await fetch(...(await signed({ method, path, body }))));
  expect(response.status, `${method} ${path}: ${JSON.stringify(response.body)}`).toBeLessThan(300);
  return response.body;
}

/** A queue holding a message for each route to work on, with one message leased (its handle). */
async function workQueue(): Promise<{
  name: string;
  handle: string;
  subscription: string;
  consumer: string;
}> {
  const name = `sec-${randomBytes(4).toString('hex')}`;
  await api('POST', '/queues', { name, visibilityTimeoutSeconds: 600 });
  // A redrive needs a dead-letter queue as its source, or a destination: this one.
  await api('POST', '/queues', { name: `${name}-to` });
  await api('POST', `/queues/${name}/messages`, {
    messages: [
      { id: 'a', body: secretBody },
      { id: 'b', body: secretBody },
    ],
  });
  const received = await api('POST', `/queues/${name}/messages/receive`, { maxMessages: 1 });
  // A topic of the same name, subscribed by the queue, for the topic routes.
  await api('POST', '/topics', { name });
  const subscription = await api('POST', `/topics/${name}/subscriptions`, {
    protocol: 'queue',
    endpoint: name,
  });
  // A push consumer (disabled: nothing is delivered) for the consumer routes.
  const consumer = await api('POST', `/queues/${name}/consumers`, {
    target: { url: 'https://push.example.com/' },
    enabled: false,
  });
  return {
    name,
    handle: received.messages[0].receiptHandle,
    subscription: subscription.id,
    consumer: consumer.id,
  };
}

/** The request a route is exercised with: one that changes state when it is allowed to. */
function requestFor(
  route: RouteDefinition,
  queue: { name: string; handle: string; subscription: string; consumer: string },
): RestRequest & { service: string } {
  const path = route.path
    .replace('{name}', queue.name)
    .replace('{receiptHandle}', encodeURIComponent(queue.handle))
    .replace('{taskId}', 'no-such-task')
    .replace('{id}', route.path.includes('/consumers/') ? queue.consumer : queue.subscription)
    .replace('{accountId}', account)
    .replace('{queueName}', queue.name)
    .replace(/\{\w+\}/g, 'x');
  if (route.function === 'sqs') {
    const params = new URLSearchParams({ Action: 'SendMessage', Version: '2012-11-05', MessageBody: 'sqs' });
    if (!route.path.includes('{queueName}'))
      params.set('QueueUrl', `${local.url()}/${account}/${queue.name}`);
    return route.method === 'GET'
      ? { method: 'GET', path: `${path}?${params.toString().replace(/\+/g, '%20')}`, service: 'sqs' }
      : {
          method: route.method,
          path,
          body: params.toString(),
          contentType: 'application/x-www-form-urlencoded',
          service: 'sqs',
        };
  }
  const bodies: Record<string, unknown> = {
    createQueue: { name: `${queue.name}-new` },
    updateQueue: { visibilityTimeoutSeconds: 45 },
    sendMessages: { body: 'another' },
    receiveMessages: { maxMessages: 10 },
    changeVisibility: { receiptHandle: queue.handle, visibilityTimeoutSeconds: 0 },
    deleteMessages: { entries: [{ id: '1', receiptHandle: queue.handle }] },
    startRedrive: { destination: `${queue.name}-to` },
    startReplay: {
      from: '2020-01-01T00:00:00Z',
      to: '2100-01-01T00:00:00Z',
      destination: `${queue.name}-to`,
    },
    createTopic: { name: `${queue.name}-new` },
    createSubscription: { protocol: 'queue', endpoint: `${queue.name}-other` },
    updateSubscription: { rawDelivery: true },
    publish: { body: 'published' },
    createConsumer: { target: { url: 'https://push.example.com/other' }, enabled: false },
    updateConsumer: { batchSize: 5 },
  };
  const body =
    route.method === 'GET' || route.method === 'DELETE' ? undefined : (bodies[route.operation] ?? {});
  return { method: route.method, path, ...(body === undefined ? {} : { body }), service: 'execute-api' };
}

const xml = new XMLParser({ parseTagValue: false });

/** The error code in either dialect's shape: REST problem `code`, SQS Query `Error.Code`. */
function codeOf(response: { body: any }): string | undefined {
  if (typeof response.body === 'string') return xml.parse(response.body).ErrorResponse?.Error?.Code;
  return response.body?.code;
}

const refusals = {
  unsigned: { status: { rest: 401, sqs: 403 }, code: 'MissingAuthenticationToken' },
  'wrong secret': { status: { rest: 403, sqs: 403 }, code: 'SignatureDoesNotMatch' },
  'replayed after 15 minutes': { status: { rest: 403, sqs: 403 }, code: 'SignatureDoesNotMatch' },
  'unknown key': { status: { rest: 403, sqs: 403 }, code: 'InvalidClientTokenId' },
  'revoked key': { status: { rest: 403, sqs: 403 }, code: 'InvalidClientTokenId' },
} as const;
type Refusal = keyof typeof refusals;

async function attempt(how: Refusal, request: RestRequest & { service: string }) {
  const { service } = request;
  switch (how) {
    case 'unsigned': {
      const [url, init] = await signed(request, { service });
      const {
        authorization: _a,
        'x-amz-date': _d,
        'x-amz-content-sha256': _c,
        ...headers
      } = init.headers as Record<string, string>;
      return readResponse(await fetch(url, { ...init, headers }));
    }
    case 'wrong secret':
      return readResponse(
        await fetch(
          ...(await signed(request, {
            service,
            credentials: { ...good, secretAccessKey: unknown.secretAccessKey },
          })),
        ),
      );
    case 'replayed after 15 minutes': {
      // Signed now and accepted now; the same bytes sent again once the window has passed.
      const args = await signed(request, { service });
      clock.advance(fifteenMinutes + 1_000);
      try {
        return await readResponse(await fetch(...args));
      } finally {
        clock.advance(-(fifteenMinutes + 1_000));
      }
    }
    case 'unknown key':
      return readResponse(await fetch(...(await signed(request, { service, credentials: unknown }))));
    case 'revoked key':
      return readResponse(await fetch(...(await signed(request, { service, credentials: revoked }))));
  }
}

beforeAll(async () => {
  const keys = local.service().runtime.accessKeys;
  const key = newAccessKey({ accountId: account, now: clock.now(), description: 'security' });
  const old = newAccessKey({ accountId: account, now: clock.now(), description: 'revoked' });
  await keys.createKey(key);
  await keys.createKey(old);
  await keys.revokeKey(old.accessKeyId, clock.now());
  good = { accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey };
  revoked = { accessKeyId: old.accessKeyId, secretAccessKey: old.secretAccessKey };
});

test('every route is REST (IAM), SQS (self-verified) or public', () => {
  for (const route of routes) expect(['rest', 'sqs', 'public']).toContain(kindOf(route));
  expect(routes.filter((route) => kindOf(route) === 'rest').length).toBeGreaterThan(10);
  expect(routes.filter((route) => kindOf(route) === 'sqs').length).toBe(4);
});

describe.each(
  routes
    .filter((route) => kindOf(route) !== 'public')
    .map((route) => [`${route.method} ${route.path}`, route] as const),
)('%s', (_, route) => {
  let queue: { name: string; handle: string; subscription: string; consumer: string };
  beforeAll(async () => {
    queue = await workQueue();
  });

  test('unsigned, wrongly signed, replayed, unknown and revoked keys are refused and change nothing', async () => {
    const client = createDynamoClient({ DYNAMODB_ENDPOINT: inject('dynamodbEndpoint') });
    const before = await tableState(client, tables);
    const kind = kindOf(route) as 'rest' | 'sqs';
    for (const [how, expected] of Object.entries(refusals) as [Refusal, (typeof refusals)[Refusal]][]) {
      const response = await attempt(how, requestFor(route, queue));
      expect(response.status, `${how}: ${JSON.stringify(response.body)}`).toBe(expected.status[kind]);
      expect(codeOf(response), how).toBe(expected.code);
      if (kind === 'rest') expect(response.contentType).toBe('application/problem+json');
    }
    expect(await tableState(client, tables)).toEqual(before);
    client.destroy();
  });

  test('correctly signed, it is served', async () => {
    const response = await readResponse(
      await fetch(...(await signed(requestFor(route, queue), { service: requestFor(route, queue).service }))),
    );
    expect([401, 403], JSON.stringify(response.body)).not.toContain(response.status);
    expect(response.status, JSON.stringify(response.body)).toBeLessThan(500);
    // Tasks and scheduled messages that do not exist are the only expected refusals among these requests.
    if (!route.path.includes('{taskId}') && !route.path.includes('/scheduled/'))
      expect(response.status, JSON.stringify(response.body)).toBeLessThan(300);
  });
});

test('public routes (the console static assets, the signing certificate) serve no queue data, unsigned', async () => {
  const queue = await workQueue();
  for (const route of routes.filter((r) => kindOf(r) === 'public')) {
    const path = route.path.replace(/\{\w+\}/g, 'x');
    const response = await fetch(`${local.url()}${path}`, { method: route.method });
    const text = await response.text();
    expect(text).not.toContain(queue.name);
    expect(text).not.toContain(secretBody);
    expect(text).not.toContain(queue.handle);
  }
});
