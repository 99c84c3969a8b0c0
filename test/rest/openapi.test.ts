import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { describe, expect, test } from 'vitest';
import { routes } from '../../functions/routes';
import { call, useLocalService } from '../support/local-service';

/**
 * GET /openapi.json describes what the service accepts: every route is documented, and requests
 * the document allows are accepted while requests it forbids are refused, by the live service.
 */
const { url } = useLocalService();

async function loadDocument() {
  const response = await call(url(), 'GET', '/openapi.json');
  expect(response.status).toBe(200);
  return response.body as { openapi: string; paths: Record<string, Record<string, any>> };
}

function requestValidator(document: Awaited<ReturnType<typeof loadDocument>>, path: string, method: string) {
  const schema = document.paths[path]?.[method]?.requestBody?.content['application/json'].schema;
  expect(schema, `${method} ${path} has a request schema`).toBeDefined();
  const ajv = new Ajv2020({ strict: false });
  addFormats(ajv);
  return ajv.compile(schema);
}

describe('the OpenAPI document', () => {
  test('is OpenAPI 3.1 and documents every route of the route table', async () => {
    const document = await loadDocument();
    expect(document.openapi).toBe('3.1.0');
    for (const route of routes.filter((r) => r.path === '/openapi.json' || r.path.startsWith('/queues'))) {
      expect(
        document.paths[route.path]?.[route.method.toLowerCase()],
        `${route.method} ${route.path}`,
      ).toBeDefined();
    }
  });

  const cases: { path: string; method: string; live: string; valid: unknown[]; invalid: unknown[] }[] = [
    {
      path: '/queues',
      method: 'post',
      live: '/queues',
      valid: [
        { name: 'doc-a' },
        { name: 'doc-b', visibilityTimeoutSeconds: 0, retentionSeconds: 1_209_600, shardCount: 2 },
      ],
      invalid: [
        {},
        { name: 'x', visibilityTimeoutSeconds: 43_201 },
        { name: 'bad name' },
        { name: 'x', extra: 1 },
        { name: 'x', delaySeconds: 0.5 },
      ],
    },
    {
      path: '/queues/{name}/messages',
      method: 'post',
      live: '/queues/doc-target/messages',
      valid: [
        { body: 'x' },
        { body: 'x', delaySeconds: 900, attributes: { a: 'b' } },
        { messages: [{ id: 'a', body: 'y' }] },
      ],
      invalid: [
        { body: '' },
        { body: 'x', delaySeconds: 31_536_001 },
        { body: 'x', deliverAt: 12 },
        { body: 1 },
        { messages: [{ body: 'no id' }] },
      ],
    },
    {
      path: '/queues/{name}/messages/receive',
      method: 'post',
      live: '/queues/doc-target/messages/receive',
      valid: [{}, { maxMessages: 10, waitTimeSeconds: 0, visibilityTimeoutSeconds: 0 }],
      invalid: [{ maxMessages: 0 }, { maxMessages: 11 }, { waitTimeSeconds: 21 }, { other: true }],
    },
  ];

  test.each(cases)('requests to $method $path: the document and the service agree', async (c) => {
    const document = await loadDocument();
    await call(url(), 'POST', '/queues', { name: 'doc-target' });
    const validate = requestValidator(document, c.path, c.method);
    for (const body of c.valid) {
      expect(validate(body), `document accepts ${JSON.stringify(body)}`).toBe(true);
      const response = await call(url(), c.method.toUpperCase(), c.live, body);
      expect(
        response.status,
        `service accepts ${JSON.stringify(body)}: ${JSON.stringify(response.body)}`,
      ).toBeLessThan(300);
    }
    for (const body of c.invalid) {
      expect(validate(body), `document refuses ${JSON.stringify(body)}`).toBe(false);
      const response = await call(url(), c.method.toUpperCase(), c.live, body);
      expect(response.status, `service refuses ${JSON.stringify(body)}`).toBe(400);
    }
  });
});
