import { createSign, type KeyObject } from 'node:crypto';
import {
  type PublishedMessage,
  signingCertificatePath,
  subscriptionArn,
  type TopicRef,
  topicArn,
} from './model';

/**
 * The JSON documents SNS sends: a Notification to a subscriber that did not ask for raw delivery,
 * and the SubscriptionConfirmation an http(s) endpoint gets when subscribed. Both are signed as
 * SNS signs them: the string to sign is "<name>\n<value>\n" for the document's signed fields in
 * alphabetical order (Notification: Message, MessageId, Subject when present, Timestamp, TopicArn,
 * Type; SubscriptionConfirmation: Message, MessageId, SubscribeURL, Timestamp, Token, TopicArn,
 * Type: AWS, "Verifying the signatures of Amazon SNS messages"); SignatureVersion 1 signs with
 * SHA1withRSA, 2 with SHA256withRSA. The certificate is served at SigningCertURL.
 */
export type SignatureVersion = '1' | '2';

export interface EnvelopeOptions {
  subscriptionId: string;
  signingKey: KeyObject;
  signatureVersion: SignatureVersion;
}

export function notificationEnvelope(message: PublishedMessage, options: EnvelopeOptions): string {
  const document = notificationDocument(message, options);
  return JSON.stringify(document, null, 2);
}

/** The Notification as an object (Lambda's event embeds it, with its own key spellings). */
export function notificationDocument(message: PublishedMessage, options: EnvelopeOptions) {
  const timestamp = new Date(message.publishedAt).toISOString();
  const arn = topicArn(message.topic);
  const envelope: Record<string, unknown> = { Type: 'Notification', MessageId: message.messageId };
  if (message.sequenceNumber !== undefined) envelope.SequenceNumber = message.sequenceNumber;
  envelope.TopicArn = arn;
  if (message.subject !== undefined) envelope.Subject = message.subject;
  envelope.Message = message.body;
  envelope.Timestamp = timestamp;
  envelope.SignatureVersion = options.signatureVersion;
  envelope.Signature = signature(
    [
      ['Message', message.body],
      ['MessageId', message.messageId],
      ...(message.subject !== undefined ? ([['Subject', message.subject]] as [string, string][]) : []),
      ['Timestamp', timestamp],
      ['TopicArn', arn],
      ['Type', 'Notification'],
    ],
    options,
  );
  envelope.SigningCertURL = `${message.baseUrl}${signingCertificatePath}`;
  envelope.UnsubscribeURL = `${message.baseUrl}/?Action=Unsubscribe&SubscriptionArn=${subscriptionArn(message.topic, options.subscriptionId)}`;
  const attributes = Object.entries(message.attributes);
  if (attributes.length > 0) {
    envelope.MessageAttributes = Object.fromEntries(
      attributes.map(([name, attribute]) => [
        name,
        { Type: attribute.dataType, Value: attribute.binaryValue ?? attribute.stringValue ?? '' },
      ]),
    );
  }
  return envelope;
}

export interface Confirmation {
  topic: TopicRef;
  messageId: string;
  token: string;
  at: number;
  baseUrl: string;
}

/** The SubscriptionConfirmation document; its SubscribeURL confirms without a signature. */
export function confirmationEnvelope(
  confirmation: Confirmation,
  options: Omit<EnvelopeOptions, 'subscriptionId'>,
) {
  const arn = topicArn(confirmation.topic);
  const message = `You have chosen to subscribe to the topic ${arn}.\nTo confirm the subscription, visit the SubscribeURL included in this message.`;
  const subscribeUrl = `${confirmation.baseUrl}/?Action=ConfirmSubscription&TopicArn=${encodeURIComponent(arn)}&Token=${confirmation.token}`;
  const timestamp = new Date(confirmation.at).toISOString();
  const fields: [string, string][] = [
    ['Message', message],
    ['MessageId', confirmation.messageId],
    ['SubscribeURL', subscribeUrl],
    ['Timestamp', timestamp],
    ['Token', confirmation.token],
    ['TopicArn', arn],
    ['Type', 'SubscriptionConfirmation'],
  ];
  return JSON.stringify(
    {
      Type: 'SubscriptionConfirmation',
      MessageId: confirmation.messageId,
      Token: confirmation.token,
      TopicArn: arn,
      Message: message,
      SubscribeURL: subscribeUrl,
      Timestamp: timestamp,
      SignatureVersion: options.signatureVersion,
      Signature: signature(fields, options),
      SigningCertURL: `${confirmation.baseUrl}${signingCertificatePath}`,
    },
    null,
    2,
  );
}

function signature(
  fields: [string, string][],
  options: Pick<EnvelopeOptions, 'signingKey' | 'signatureVersion'>,
) {
  const signer = createSign(options.signatureVersion === '2' ? 'RSA-SHA256' : 'RSA-SHA1');
  signer.update(fields.map(([name, value]) => `${name}\n${value}\n`).join(''));
  return signer.sign(options.signingKey, 'base64');
}

/** A topic's SignatureVersion attribute ('1' unless set to '2', as SNS). */
export const signatureVersionOf = (attributes: Record<string, string>): SignatureVersion =>
  attributes.SignatureVersion === '2' ? '2' : '1';

/**
 * The event SNS invokes a subscribed Lambda function with: one record holding the Notification,
 * with Lambda's own spellings (SigningCertUrl, UnsubscribeUrl), Subject null when absent and
 * MessageAttributes always present (AWS Lambda Developer Guide, "Using Lambda with Amazon SNS").
 */
export function lambdaEvent(message: PublishedMessage, options: EnvelopeOptions): string {
  const { SigningCertURL, UnsubscribeURL, ...document } = notificationDocument(message, options);
  return JSON.stringify({
    Records: [
      {
        EventSource: 'aws:sns',
        EventVersion: '1.0',
        EventSubscriptionArn: subscriptionArn(message.topic, options.subscriptionId),
        Sns: {
          ...document,
          Subject: message.subject ?? null,
          SigningCertUrl: SigningCertURL,
          UnsubscribeUrl: UnsubscribeURL,
          MessageAttributes: document.MessageAttributes ?? {},
        },
      },
    ],
  });
}
