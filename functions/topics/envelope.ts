import { createSign, type KeyObject } from 'node:crypto';
import { type PublishedMessage, subscriptionArn, topicArn } from './model';

/**
 * The JSON document SNS delivers to a subscriber that did not ask for raw delivery, signed as SNS
 * signs it: the string to sign is "<name>\n<value>\n" for Message, MessageId, Subject (when
 * present), Timestamp, TopicArn and Type, in that order (AWS, "Verifying the signatures of Amazon
 * SNS messages"); SignatureVersion 1 signs with SHA1withRSA, 2 with SHA256withRSA.
 */
export interface EnvelopeOptions {
  subscriptionId: string;
  signingKey: KeyObject;
  signatureVersion: '1' | '2';
}

export function notificationEnvelope(message: PublishedMessage, options: EnvelopeOptions): string {
  const timestamp = new Date(message.publishedAt).toISOString();
  const arn = topicArn(message.topic);
  const signed: [string, string][] = [
    ['Message', message.body],
    ['MessageId', message.messageId],
    ...(message.subject !== undefined ? ([['Subject', message.subject]] as [string, string][]) : []),
    ['Timestamp', timestamp],
    ['TopicArn', arn],
    ['Type', 'Notification'],
  ];
  const signer = createSign(options.signatureVersion === '2' ? 'RSA-SHA256' : 'RSA-SHA1');
  signer.update(signed.map(([name, value]) => `${name}\n${value}\n`).join(''));
  const envelope: Record<string, unknown> = {
    Type: 'Notification',
    MessageId: message.messageId,
  };
  if (message.sequenceNumber !== undefined) envelope.SequenceNumber = message.sequenceNumber;
  envelope.TopicArn = arn;
  if (message.subject !== undefined) envelope.Subject = message.subject;
  envelope.Message = message.body;
  envelope.Timestamp = timestamp;
  envelope.SignatureVersion = options.signatureVersion;
  envelope.Signature = signer.sign(options.signingKey, 'base64');
  envelope.SigningCertURL = `${message.baseUrl}/SimpleNotificationService-${message.topic.region}.pem`;
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
  return JSON.stringify(envelope, null, 2);
}
