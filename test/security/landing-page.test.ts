import { randomBytes } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { newAccessKey } from '../../functions/dialects/sqs/new-access-key';
import { routes } from '../../functions/routes';
import { tableNames } from '../../functions/store/table-layout';
import { call, useLocalService } from '../support/local-service';

/**
 * `GET /` is an SQS route (Query clients may send GET /?Action=...). A browser's first visit (no
 * Action) gets a static page pointing at the console, the OpenAPI document and the README, like
 * the console's page: public, no data. Every SQS request to `/` still goes to the SQS dialect and,
 * once access keys exist, must be signed. Deployed it is the same handler on the same route (the
 * route table is shared; the infra tests check that GET / is the sqs function's route).
 */
// One service (the handlers share one runtime per process): open first, then locked by a key.
const open = useLocalService({ tables: tableNames(`l${randomBytes(4).toString('hex')}-`) });
const locked = open;

const get = (base: string, path: string, headers: Record<string, string> = {}) =>
  fetch(`${base}${path}`, { headers });

async function expectLandingPage(response: Response) {
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
  expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
  const html = await response.text();
  expect(html).toContain('href="./console"');
  expect(html).toContain('href="./openapi.json"');
  expect(html).toContain('README');
  return html;
}

test('GET / stays the SQS function’s route: the page is served by it, not by a new public route', () => {
  expect(routes.filter((route) => route.path === '/').map((r) => `${r.method} ${r.function}`)).toEqual([
    'POST sqs',
    'GET sqs',
  ]);
});

describe('without access keys', () => {
  test('a browser’s GET / (Accept text/html) and a bare GET / get the landing page', async () => {
    await expectLandingPage(await get(open.url(), '/', { accept: 'text/html,application/xhtml+xml' }));
    await expectLandingPage(await get(open.url(), '/'));
    await expectLandingPage(await get(open.url(), '/?utm_source=bookmark'));
  });

  test('SQS requests to / keep working: GET with Action, POST Query, POST JSON', async () => {
    await call(open.url(), 'POST', '/queues', { name: 'landing-check' });
    const queryGet = await get(open.url(), '/?Action=ListQueues&Version=2012-11-05', { accept: 'text/html' });
    expect(queryGet.status).toBe(200);
    expect(await queryGet.text()).toMatch(/<ListQueuesResponse[\s\S]*landing-check/);

    const queryPost = await fetch(`${open.url()}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'Action=ListQueues&Version=2012-11-05',
    });
    expect(await queryPost.text()).toMatch(/<ListQueuesResponse[\s\S]*landing-check/);

    const json = await fetch(`${open.url()}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AmazonSQS.ListQueues' },
      body: '{}',
    });
    expect(json.status).toBe(200);
    expect(((await json.json()) as { QueueUrls: string[] }).QueueUrls.join()).toContain('landing-check');

    // An unknown action is still the SQS error it was.
    const bogus = await get(open.url(), '/?Action=Bogus');
    expect(bogus.status).toBe(400);
    expect(await bogus.text()).toContain('InvalidAction');
  });
});

describe('with access keys (authentication on)', () => {
  test('the page is public and shows no data; SQS requests to / are refused unsigned', async () => {
    const queueName = `secret-queue-${randomBytes(3).toString('hex')}`;
    expect((await call(locked.url(), 'POST', '/queues', { name: queueName })).status).toBe(201);
    const key = newAccessKey({ accountId: '000000000000', now: Date.now(), description: 'landing' });
    await locked.service().runtime.accessKeys.createKey(key);
    const html = await expectLandingPage(await get(locked.url(), '/', { accept: 'text/html' }));
    expect(html).not.toContain(queueName);

    const unsignedQuery = await get(locked.url(), '/?Action=ListQueues&Version=2012-11-05');
    expect(unsignedQuery.status).toBe(403);
    expect(await unsignedQuery.text()).toContain('MissingAuthenticationToken');
    const unsignedJson = await fetch(`${locked.url()}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AmazonSQS.ListQueues' },
      body: '{}',
    });
    expect(unsignedJson.status).toBe(403);
  });
});
