import { CreateTopicCommand, ListTopicsCommand, SNSClient } from '@aws-sdk/client-sns';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { newAccessKey } from '../../functions/dialects/sqs/new-access-key';
import { accountId, type SqsTestService, startSqsService, uniqueName } from '../sqs/service';

/**
 * SNS requests are SigV4-signed for service `sns` with the service's access keys, as SQS requests
 * are for `sqs`: once a key exists, unsigned, wrongly scoped and wrongly signed requests are refused
 * in SNS's error format, and a key's topics are its account's.
 */
let env: SqsTestService;
let key: { accessKeyId: string; secretAccessKey: string };

beforeAll(async () => {
  env = await startSqsService();
  const created = newAccessKey({ accountId: '210987654321', now: Date.now(), description: 'sns test' });
  await env.service.runtime.accessKeys.createKey(created);
  key = { accessKeyId: created.accessKeyId, secretAccessKey: created.secretAccessKey };
});
afterAll(() => env?.close());

const client = (credentials: { accessKeyId: string; secretAccessKey: string }) =>
  new SNSClient({ endpoint: env.url, region: 'us-east-1', credentials, maxAttempts: 1 });

test('a signed client is served in its key account; unsigned and wrong secrets are refused as SNS does', async () => {
  const sns = client(key);
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: uniqueName('signed') }));
  expect(TopicArn).toMatch(/^arn:aws:sns:us-east-1:210987654321:/);
  expect((await sns.send(new ListTopicsCommand({}))).Topics?.map((t) => t.TopicArn)).toEqual([TopicArn]);

  await expect(
    client({ accessKeyId: key.accessKeyId, secretAccessKey: 'wrong' }).send(new ListTopicsCommand({})),
  ).rejects.toMatchObject({ name: 'SignatureDoesNotMatch', $metadata: { httpStatusCode: 403 } });

  const unsigned = await fetch(env.url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'Action=ListTopics&Version=2010-03-31',
  });
  expect(unsigned.status).toBe(403);
  const text = await unsigned.text();
  expect(text).toContain('<ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/">');
  expect(text).toContain('<Code>MissingAuthenticationToken</Code>');
  expect(accountId).not.toBe('210987654321');
});
