import { createVerify, X509Certificate } from 'node:crypto';
import {
  CreateTopicCommand,
  ListSubscriptionsByTopicCommand,
  PublishCommand,
  SetTopicAttributesCommand,
  type SNSClient,
  SubscribeCommand,
} from '@aws-sdk/client-sns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SqsTestService, startSqsService, uniqueName } from '../sqs/service';
import {
  confirmationFields,
  notificationFields,
  startEndpoint,
  stringToSign,
  type TestEndpoint,
} from './http-endpoint';
import { snsClient } from './support';

/**
 * http(s) subscriptions end to end through the local service: a real HTTP endpoint is sent a
 * signed SubscriptionConfirmation, confirms with a plain GET of its SubscribeURL, then receives
 * signed notifications that verify against the certificate served at SigningCertURL.
 */
let service: SqsTestService;
let sns: SNSClient;
let endpoint: TestEndpoint;

beforeAll(async () => {
  service = await startSqsService();
  sns = snsClient(service.url);
  endpoint = await startEndpoint();
});
afterAll(async () => {
  sns.destroy();
  await endpoint.close();
  await service.close();
});

async function certificateAt(url: string): Promise<X509Certificate> {
  // No signature: the certificate is public, as SNS's are.
  const response = await fetch(url);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('application/x-pem-file');
  return new X509Certificate(await response.text());
}

function verifies(document: Record<string, string>, fields: string[], certificate: X509Certificate) {
  const algorithm = document.SignatureVersion === '2' ? 'RSA-SHA256' : 'RSA-SHA1';
  return createVerify(algorithm)
    .update(stringToSign(document, fields))
    .verify(certificate.publicKey, document.Signature!, 'base64');
}

describe('http subscriptions', () => {
  it('confirm by the SubscribeURL, then signed notifications that verify with the served certificate', async () => {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: uniqueName('hooks') }));
    const { SubscriptionArn } = await sns.send(
      new SubscribeCommand({ TopicArn, Protocol: 'http', Endpoint: endpoint.url }),
    );
    expect(SubscriptionArn).toBe('pending confirmation');
    expect(endpoint.requests).toHaveLength(1);
    const [confirmation] = endpoint.requests.splice(0);
    expect(confirmation!.headers['x-amz-sns-message-type']).toBe('SubscriptionConfirmation');
    expect(confirmation!.headers['x-amz-sns-topic-arn']).toBe(TopicArn);
    const document = JSON.parse(confirmation!.body) as Record<string, string>;
    expect(document).toMatchObject({ Type: 'SubscriptionConfirmation', TopicArn, SignatureVersion: '1' });
    expect(document.Token).toMatch(/^[0-9a-f]{128}$/);
    const certificate = await certificateAt(document.SigningCertURL!);
    expect(verifies(document, confirmationFields, certificate)).toBe(true);
    // A forged token is refused; nothing is delivered while the subscription is pending.
    const forged = await fetch(document.SubscribeURL!.replace(/Token=[0-9a-f]+/, `Token=${'0'.repeat(128)}`));
    expect(forged.status).toBe(400);
    expect(await forged.text()).toContain('<Code>InvalidParameter</Code>');
    await sns.send(new PublishCommand({ TopicArn, Message: 'before confirming' }));
    expect(endpoint.requests).toHaveLength(0);

    // The endpoint confirms with a plain GET: no keys needed.
    const confirmed = await fetch(document.SubscribeURL!);
    expect(confirmed.status).toBe(200);
    const arn = /<SubscriptionArn>([^<]+)<\/SubscriptionArn>/.exec(await confirmed.text())?.[1];
    expect(arn).toMatch(new RegExp(`^${TopicArn}:[0-9a-f-]{36}$`));
    const { Subscriptions } = await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn }));
    expect(Subscriptions?.map((s) => s.SubscriptionArn)).toEqual([arn]);

    const { MessageId } = await sns.send(
      new PublishCommand({
        TopicArn,
        Message: 'order 42 shipped',
        Subject: 'shipping',
        MessageAttributes: { kind: { DataType: 'String', StringValue: 'shipped' } },
      }),
    );
    expect(endpoint.requests).toHaveLength(1);
    const [notification] = endpoint.requests.splice(0);
    expect(notification!.headers).toMatchObject({
      'x-amz-sns-message-type': 'Notification',
      'x-amz-sns-message-id': MessageId,
      'x-amz-sns-topic-arn': TopicArn,
      'x-amz-sns-subscription-arn': arn,
      'content-type': 'text/plain; charset=UTF-8',
    });
    const envelope = JSON.parse(notification!.body) as Record<string, string>;
    expect(envelope).toMatchObject({
      Type: 'Notification',
      MessageId,
      Message: 'order 42 shipped',
      Subject: 'shipping',
      MessageAttributes: { kind: { Type: 'String', Value: 'shipped' } },
    });
    expect(verifies(envelope, notificationFields, certificate)).toBe(true);
    // Tampered with, it no longer verifies.
    expect(verifies({ ...envelope, Message: 'order 43 shipped' }, notificationFields, certificate)).toBe(
      false,
    );

    // SignatureVersion 2 (SHA256withRSA) once the topic asks for it.
    await sns.send(
      new SetTopicAttributesCommand({ TopicArn, AttributeName: 'SignatureVersion', AttributeValue: '2' }),
    );
    await sns.send(new PublishCommand({ TopicArn, Message: 'signed with SHA-256' }));
    const [second] = endpoint.requests.splice(0);
    const v2 = JSON.parse(second!.body) as Record<string, string>;
    expect(v2.SignatureVersion).toBe('2');
    expect(verifies(v2, notificationFields, certificate)).toBe(true);
  });
});
