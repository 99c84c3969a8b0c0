import type { ReceivedMessage } from '../../queue/model';
import { md5OfAttributes, md5OfBody } from '../sqs/md5';
import { systemAttributes } from '../sqs/message-attributes';
import { queueArn } from '../sqs/queue-url';

/**
 * The Lambda SQS event, field for field as Lambda's event source mapping builds it (Lambda
 * Developer Guide, "Using Lambda with Amazon SQS"), so SQS-triggered handlers run unchanged.
 */
export interface SqsEventRecord {
  messageId: string;
  receiptHandle: string;
  body: string;
  attributes: Record<string, string>;
  messageAttributes: Record<
    string,
    {
      dataType: string;
      stringValue?: string;
      binaryValue?: string;
      stringListValues: [];
      binaryListValues: [];
    }
  >;
  md5OfBody: string;
  md5OfMessageAttributes?: string;
  eventSource: 'aws:sqs';
  eventSourceARN: string;
  awsRegion: string;
}

export interface SqsEvent {
  Records: SqsEventRecord[];
}

const all = new Set(['All']);

export function lambdaSqsEvent(
  queue: { account: string; region: string; name: string },
  messages: ReceivedMessage[],
): SqsEvent {
  const arn = queueArn(queue);
  return {
    Records: messages.map((message) => {
      const md5OfMessageAttributes = md5OfAttributes(message.attributes);
      return {
        messageId: message.id,
        receiptHandle: message.receiptHandle,
        body: message.body,
        attributes: systemAttributes(message, all),
        messageAttributes: Object.fromEntries(
          Object.entries(message.attributes).map(([name, value]) => [
            name,
            {
              dataType: value.dataType,
              ...(value.stringValue === undefined ? {} : { stringValue: value.stringValue }),
              ...(value.binaryValue === undefined ? {} : { binaryValue: value.binaryValue }),
              stringListValues: [],
              binaryListValues: [],
            },
          ]),
        ),
        md5OfBody: md5OfBody(message.body),
        ...(md5OfMessageAttributes ? { md5OfMessageAttributes } : {}),
        eventSource: 'aws:sqs' as const,
        eventSourceARN: arn,
        awsRegion: queue.region,
      };
    }),
  };
}
