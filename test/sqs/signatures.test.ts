// SigV4 authentication of the SQS routes against the service's own access keys: what the local
// service accepts before any key exists, and, once one does (or SQS_AUTH=required), the errors
// SQS sends for unsigned, unknown-key, wrongly signed, tampered, skewed and expired requests.
import { randomBytes } from 'node:crypto';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ListQueuesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { newAccessKey } from '../../functions/dialects/sqs/new-access-key';
import type { AccessKey } from '../../functions/queue/ports/access-key-store';
import { accountId, type SqsTestService, sqsError, startSqsService, uniqueName } from './service';
import { type Credentials, presignedUrl, signedJsonCall } from './signing';

let env: SqsTestService;
let key: AccessKey;
let creds: Credentials;

// Everything the process prints while these tests run, to prove no secret is ever logged.
const printed: string[] = [];
const capture =
  (original: (...args: unknown[]) => void) =>
  (...args: unknown[]) => {
    printed.push(args.map(String).join(' '));
    original(...args);
  };

beforeAll(async () => {
  for (const level of ['log', 'error', 'warn', 'info', 'debug'] as const) {
    vi.spyOn(console, level).mockImplementation(capture(console[level].bind(console)));
  }
  env = await startSqsService();
});
afterAll(async () => {
  await env.close();
  vi.restoreAllMocks();
});

const client = (
  credentials: Credentials,
  options: Partial<ConstructorParameters<typeof SQSClient>[0]> = {},
) => new SQSClient({ endpoint: env.url, region: 'us-east-1', credentials, maxAttempts: 1, ...options });

const fakeCredentials = (): Credentials => ({
  accessKeyId: `AKIA${randomBytes(8).toString('hex').toUpperCase()}`,
  secretAccessKey: randomBytes(20).toString('base64'),
});

const query = (body: Record<string, string>) =>
  fetch(`${env.url}/`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ Version: '2012-11-05', ...body }),
  });

const xml = new XMLParser({ parseTagValue: false });

describe('before any access key exists (local default)', () => {
  test('unsigned requests and any signature are accepted', async () => {
    const unsigned = await query({ Action: 'ListQueues' });
    expect(unsigned.status).toBe(200);
    const sdk = client(fakeCredentials());
    const name = uniqueName();
    expect((await sdk.send(new CreateQueueCommand({ QueueName: name }))).QueueUrl).toBe(env.queueUrl(name));
    sdk.destroy();
  });

  test('SQS_AUTH=required refuses unsigned requests and unknown keys even without keys', async () => {
    env.service.runtime.sqsAuth = 'required';
    try {
      const unsigned = await fetch(`${env.url}/`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AmazonSQS.ListQueues' },
        body: '{}',
      });
      expect(unsigned.status).toBe(403);
      expect(unsigned.headers.get('x-amzn-query-error')).toBe('MissingAuthenticationToken;Sender');
      expect((await unsigned.json()).__type).toBe(
        'com.amazon.coral.service#MissingAuthenticationTokenException',
      );
      const sdk = client(fakeCredentials());
      const error = await sqsError(sdk.send(new ListQueuesCommand({})));
      expect(error.name).toBe('InvalidClientTokenId');
      sdk.destroy();
    } finally {
      env.service.runtime.sqsAuth = 'when-keys-exist';
    }
  });
});

describe('once an access key exists, every request is verified', () => {
  beforeAll(async () => {
    key = newAccessKey({ accountId, now: Date.now(), description: 'signature tests' });
    expect(await env.service.runtime.accessKeys.createKey(key)).toBe(true);
    creds = { accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey };
  });

  test('the SDK with the key works: create, send, receive', async () => {
    const sdk = client(creds);
    const name = uniqueName();
    const url = (await sdk.send(new CreateQueueCommand({ QueueName: name }))).QueueUrl!;
    await sdk.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'signed' }));
    const got = await sdk.send(
      new ReceiveMessageCommand({ QueueUrl: url, MessageSystemAttributeNames: ['SenderId'] }),
    );
    expect(got.Messages?.[0]?.Body).toBe('signed');
    // The verified key is the sender.
    expect(got.Messages?.[0]?.Attributes?.SenderId).toBe(key.accessKeyId);
    sdk.destroy();
  });

  test('the region comes from the verified credential scope', async () => {
    const sdk = client(creds, { region: 'eu-west-1' });
    const name = uniqueName();
    const url = (await sdk.send(new CreateQueueCommand({ QueueName: name }))).QueueUrl!;
    const { Attributes } = await sdk.send(
      new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }),
    );
    expect(Attributes?.QueueArn).toBe(`arn:aws:sqs:eu-west-1:${accountId}:${name}`);
    // The same name in us-east-1 is another namespace.
    const east = client(creds);
    expect((await east.send(new ListQueuesCommand({ QueueNamePrefix: name }))).QueueUrls).toBeUndefined();
    sdk.destroy();
    east.destroy();
  });

  test('unsigned: MissingAuthenticationToken (403), in both protocols', async () => {
    const json = await fetch(`${env.url}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AmazonSQS.ListQueues' },
      body: '{}',
    });
    expect(json.status).toBe(403);
    expect(json.headers.get('x-amzn-query-error')).toBe('MissingAuthenticationToken;Sender');
    const form = await query({ Action: 'ListQueues' });
    expect(form.status).toBe(403);
    expect(xml.parse(await form.text()).ErrorResponse.Error).toMatchObject({
      Type: 'Sender',
      Code: 'MissingAuthenticationToken',
    });
  });

  test('an unknown access key: InvalidClientTokenId (403)', async () => {
    const sdk = client(fakeCredentials());
    const error = await sqsError(sdk.send(new ListQueuesCommand({})));
    expect(error.name).toBe('InvalidClientTokenId');
    expect(error.message).toBe('The security token included in the request is invalid.');
    expect(error.$metadata).toMatchObject({ httpStatusCode: 403 });
    sdk.destroy();
  });

  test('the right key with a wrong secret: SignatureDoesNotMatch (403)', async () => {
    const sdk = client({ accessKeyId: key.accessKeyId, secretAccessKey: `${key.secretAccessKey}x` });
    const error = await sqsError(sdk.send(new ListQueuesCommand({})));
    expect(error.name).toBe('SignatureDoesNotMatch');
    expect(error.$metadata).toMatchObject({ httpStatusCode: 403 });
    sdk.destroy();
  });

  test('a body changed after signing: SignatureDoesNotMatch', async () => {
    const name = uniqueName();
    const honest = await signedJsonCall(env.url, {
      target: 'CreateQueue',
      body: JSON.stringify({ QueueName: name }),
      credentials: creds,
    });
    expect(honest.status).toBe(200);
    const tampered = await signedJsonCall(env.url, {
      target: 'CreateQueue',
      body: JSON.stringify({ QueueName: name }),
      credentials: creds,
      tamper: (body) => body.replace(name, `${name}-evil`),
    });
    expect(tampered.status).toBe(403);
    expect(tampered.headers.get('x-amzn-query-error')).toBe('SignatureDoesNotMatch;Sender');
    // A declared payload hash must be the hash of the body received.
    const declared = await signedJsonCall(env.url, {
      target: 'ListQueues',
      body: '{}',
      credentials: creds,
      extraHeaders: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
    });
    expect(declared.status).toBe(403);
  });

  test('a signature for another service, or a malformed Authorization header', async () => {
    const otherService = await signedJsonCall(env.url, {
      target: 'ListQueues',
      body: '{}',
      credentials: creds,
      service: 'execute-api',
    });
    expect(otherService.status).toBe(403);
    expect(otherService.json.message).toMatch(/scoped to correct service: 'sqs'/);
    const malformed = await fetch(`${env.url}/`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': 'AmazonSQS.ListQueues',
        authorization: `AWS4-HMAC-SHA256 Credential=${key.accessKeyId}/20240101/us-east-1/sqs/aws4_request`,
      },
      body: '{}',
    });
    expect(malformed.status).toBe(400);
    expect(malformed.headers.get('x-amzn-query-error')).toBe('IncompleteSignature;Sender');
  });

  test('signed 20 minutes ago or ahead: refused as SQS does (SignatureDoesNotMatch, Signature expired)', async () => {
    const late = client(creds, { systemClockOffset: -20 * 60_000 });
    const expired = await sqsError(late.send(new ListQueuesCommand({})));
    expect(expired.name).toBe('SignatureDoesNotMatch');
    expect(expired.message).toMatch(/^Signature expired: \d{8}T\d{6}Z is now earlier than/);
    late.destroy();
    const early = await signedJsonCall(env.url, {
      target: 'ListQueues',
      body: '{}',
      credentials: creds,
      signingDate: new Date(Date.now() + 20 * 60_000),
    });
    expect(early.status).toBe(403);
    expect(early.json.message).toMatch(/^Signature not yet current/);
    // Within the 15-minute window, a skewed clock is fine.
    const skewed = await signedJsonCall(env.url, {
      target: 'ListQueues',
      body: '{}',
      credentials: creds,
      signingDate: new Date(Date.now() - 10 * 60_000),
    });
    expect(skewed.status).toBe(200);
  });

  test('an SDK whose clock is 20 minutes off corrects it from the Date header of the refusal', async () => {
    const sdk = client(creds, { systemClockOffset: -20 * 60_000 });
    expect((await sqsError(sdk.send(new ListQueuesCommand({})))).name).toBe('SignatureDoesNotMatch');
    expect(Math.abs(await sdk.config.systemClockOffset)).toBeLessThan(60_000);
    await sdk.send(new ListQueuesCommand({}));
    sdk.destroy();
  });

  test('presigned URLs: valid, tampered, expired', async () => {
    const name = uniqueName();
    const create = await fetch(
      await presignedUrl(env.url, { Action: 'CreateQueue', QueueName: name }, creds),
    );
    expect(create.status).toBe(200);
    expect(xml.parse(await create.text()).CreateQueueResponse.CreateQueueResult.QueueUrl).toBe(
      env.queueUrl(name),
    );

    const url = await presignedUrl(env.url, { Action: 'GetQueueUrl', QueueName: name }, creds);
    expect((await fetch(url)).status).toBe(200);
    const tampered = await fetch(url.replace(`QueueName=${name}`, 'QueueName=other'));
    expect(tampered.status).toBe(403);
    expect(xml.parse(await tampered.text()).ErrorResponse.Error.Code).toBe('SignatureDoesNotMatch');

    const old = await presignedUrl(env.url, { Action: 'ListQueues' }, creds, {
      expiresIn: 60,
      signingDate: new Date(Date.now() - 2 * 60_000),
    });
    const expired = await fetch(old);
    expect(expired.status).toBe(400);
    expect(xml.parse(await expired.text()).ErrorResponse.Error.Code).toBe('RequestExpired');
  });

  test('a revoked key signs nothing', async () => {
    const other = newAccessKey({ accountId, now: Date.now() });
    await env.service.runtime.accessKeys.createKey(other);
    const sdk = client({ accessKeyId: other.accessKeyId, secretAccessKey: other.secretAccessKey });
    await sdk.send(new ListQueuesCommand({}));
    expect(await env.service.runtime.accessKeys.revokeKey(other.accessKeyId, Date.now())).toBe(true);
    expect((await sqsError(sdk.send(new ListQueuesCommand({})))).name).toBe('InvalidClientTokenId');
    sdk.destroy();
  });

  test('a key of another account sees that account’s queues only', async () => {
    const otherAccount = '210987654321';
    const other = newAccessKey({ accountId: otherAccount, now: Date.now() });
    await env.service.runtime.accessKeys.createKey(other);
    const sdk = client({ accessKeyId: other.accessKeyId, secretAccessKey: other.secretAccessKey });
    const name = uniqueName();
    const url = (await sdk.send(new CreateQueueCommand({ QueueName: name }))).QueueUrl!;
    expect(url).toBe(`${env.url}/${otherAccount}/${name}`);
    const mine = client(creds);
    expect((await mine.send(new ListQueuesCommand({ QueueNamePrefix: name }))).QueueUrls).toBeUndefined();
    expect(
      (await sqsError(mine.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x' })))).name,
    ).toBe('QueueDoesNotExist');
    sdk.destroy();
    mine.destroy();
  });

  test('no secret ever reached the logs', () => {
    const all = printed.join('\n');
    expect(all).not.toContain(key.secretAccessKey);
  });
});
