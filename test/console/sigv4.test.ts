import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { describe, expect, it } from 'vitest';
import { signRequest } from '../../console/src/sigv4';

/** The console's WebCrypto signer must produce exactly what @smithy/signature-v4 produces. */
const credentials = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
};
const date = new Date('2026-11-22T08:15:30.123Z');

async function smithy(
  method: string,
  url: URL,
  body: string | undefined,
  headers: Record<string, string>,
  sessionToken?: string,
) {
  const signer = new SignatureV4({
    service: 'execute-api',
    region: 'eu-west-1',
    credentials: { ...credentials, ...(sessionToken ? { sessionToken } : {}) },
    sha256: Hash.bind(null, 'sha256'),
    applyChecksum: false,
  });
  const query: Record<string, string | string[]> = {};
  for (const [name, value] of url.searchParams) {
    const existing = query[name];
    query[name] = existing === undefined ? value : [...[existing].flat(), value];
  }
  const signed = await signer.sign(
    {
      method,
      protocol: url.protocol,
      hostname: url.hostname,
      ...(url.port ? { port: Number(url.port) } : {}),
      path: url.pathname,
      query,
      headers: { host: url.host, ...headers },
      ...(body === undefined ? {} : { body }),
    },
    { signingDate: date },
  );
  return signed.headers;
}

const cases: [string, string, string | undefined, Record<string, string>][] = [
  ['GET', 'https://abc.execute-api.eu-west-1.amazonaws.com/queues?counts=true&limit=100', undefined, {}],
  ['GET', 'http://127.0.0.1:9324/queues/jobs-dlq/dead-letters?order=oldest&limit=50', undefined, {}],
  [
    'POST',
    'http://localhost:9324/queues/jobs/messages',
    JSON.stringify({ body: 'héllo wörld ✓', attributes: { a: 'b' } }),
    { 'content-type': 'application/json' },
  ],
  [
    'PATCH',
    'https://example.com/queues/my%20queue',
    '{"delaySeconds":5}',
    { 'content-type': 'application/json' },
  ],
  [
    'GET',
    'https://example.com/queues/a/dead-letters?deadLetteredAfter=2026-11-22T08%3A00%3A00.000Z&z=1&a=%21%27%28%29%2A&a=0',
    undefined,
    {},
  ],
  ['DELETE', 'https://example.com/queues/./x/../jobs/', undefined, { 'x-extra': '  spaced   value ' }],
];

describe('console SigV4 signer', () => {
  it.each(cases)('%s %s signs as @smithy/signature-v4 does', async (method, href, body, headers) => {
    const url = new URL(href);
    const ours = await signRequest(
      { method, url, headers, ...(body === undefined ? {} : { body }) },
      { credentials, region: 'eu-west-1', service: 'execute-api', date },
    );
    const theirs = await smithy(method, url, body, headers);
    expect(ours.authorization).toBe(theirs.authorization);
    expect(ours['x-amz-date']).toBe(theirs['x-amz-date']);
  });

  it('signs the session token of temporary credentials', async () => {
    const url = new URL('https://example.com/queues');
    const ours = await signRequest(
      { method: 'GET', url },
      {
        credentials: { ...credentials, sessionToken: 'token/123+=' },
        region: 'eu-west-1',
        service: 'execute-api',
        date,
      },
    );
    const theirs = await smithy('GET', url, undefined, {}, 'token/123+=');
    expect(ours['x-amz-security-token']).toBe('token/123+=');
    expect(ours.authorization).toBe(theirs.authorization);
  });
});
