import { randomUUID } from 'node:crypto';
import type { TopicsContext } from './context';
import { confirmationEnvelope, signatureVersionOf } from './envelope';
import type { SubscriptionRecord, TopicRecord } from './model';
import { topicArn } from './model';
import { endpointTimeoutMs } from './port';

/**
 * The handshake of an http(s) subscription: the endpoint is sent a signed SubscriptionConfirmation
 * whose SubscribeURL (a GET, no signature needed) confirms it; until then nothing is delivered to
 * it. Sent once, when subscribing; an endpoint that was down then is subscribed again (Subscribe
 * of the same endpoint sends a new confirmation while it is pending), as SNS users do. Returns
 * whether the endpoint answered 2xx.
 */
export async function sendConfirmation(
  ctx: TopicsContext,
  topic: TopicRecord,
  subscription: SubscriptionRecord,
  baseUrl: string,
): Promise<boolean> {
  if (!ctx.endpoints || subscription.confirmationToken === undefined) return false;
  const messageId = randomUUID();
  const body = confirmationEnvelope(
    { topic: topic.ref, messageId, token: subscription.confirmationToken, at: ctx.clock.now(), baseUrl },
    { signingKey: (await ctx.signing()).privateKey, signatureVersion: signatureVersionOf(topic.attributes) },
  );
  try {
    const status = await ctx.endpoints.post({
      url: subscription.endpoint,
      body,
      headers: {
        'content-type': 'text/plain; charset=UTF-8',
        'x-amz-sns-message-type': 'SubscriptionConfirmation',
        'x-amz-sns-message-id': messageId,
        'x-amz-sns-topic-arn': topicArn(topic.ref),
      },
      timeoutMs: endpointTimeoutMs,
    });
    return status >= 200 && status < 300;
  } catch {
    // Ids only: the endpoint may be down; subscribing again sends a new confirmation.
    console.warn(
      JSON.stringify({ level: 'WARN', message: 'confirmation not delivered', subscription: subscription.id }),
    );
    return false;
  }
}
