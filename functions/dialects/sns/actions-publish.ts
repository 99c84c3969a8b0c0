import { invalidParameter, TopicError } from '../../topics/errors';
import { type PublishBatchEntry, publish, publishBatch } from '../../topics/publish';
import type { SnsAction, SnsCall } from './actions-topics';
import { topicOf } from './actions-topics';
import { members, messageAttributes, optionalString, type QueryTree } from './query';

function publishInput(params: QueryTree) {
  const input = {
    body: optionalString(params, 'Message'),
    attributes: messageAttributes(params),
  } as Parameters<typeof publish>[2];
  const subject = optionalString(params, 'Subject');
  const structure = optionalString(params, 'MessageStructure');
  const groupId = optionalString(params, 'MessageGroupId');
  const deduplicationId = optionalString(params, 'MessageDeduplicationId');
  if (subject !== undefined) input.subject = subject;
  if (structure !== undefined) input.messageStructure = structure;
  if (groupId !== undefined) input.groupId = groupId;
  if (deduplicationId !== undefined) input.deduplicationId = deduplicationId;
  return input;
}

/** Publish to a topic (TopicArn or TargetArn); phone numbers and platform endpoints are not served. */
export const Publish: SnsAction = async (call) => {
  if (optionalString(call.params, 'PhoneNumber') !== undefined) throw unsupported('SMS');
  const target = optionalString(call.params, 'TopicArn') ?? optionalString(call.params, 'TargetArn');
  if (target?.includes(':endpoint/')) throw unsupported('Mobile push');
  const field = optionalString(call.params, 'TopicArn') !== undefined ? 'TopicArn' : 'TargetArn';
  const result = await publish(
    call.runtime.topics,
    topicOf(call, field),
    publishInput(call.params),
    call.baseUrl,
  );
  return {
    MessageId: result.messageId,
    ...(result.sequenceNumber !== undefined ? { SequenceNumber: result.sequenceNumber } : {}),
  };
};

export const PublishBatch: SnsAction = async (call: SnsCall) => {
  const entries: PublishBatchEntry[] = members(call.params, 'PublishBatchRequestEntries').map((member) => {
    if (typeof member !== 'object') throw invalidParameter('Invalid parameter: PublishBatchRequestEntries');
    return { id: optionalString(member, 'Id') ?? '', ...publishInput(member) };
  });
  const result = await publishBatch(call.runtime.topics, topicOf(call), entries, call.baseUrl);
  return {
    Successful: {
      member: result.successful.map((s) => ({
        Id: s.id,
        MessageId: s.messageId,
        ...(s.sequenceNumber !== undefined ? { SequenceNumber: s.sequenceNumber } : {}),
      })),
    },
    Failed: {
      member: result.failed.map((f) => ({
        Id: f.id,
        Code: f.code,
        Message: f.message,
        SenderFault: String(f.senderFault),
      })),
    },
  };
};

export function unsupported(what: string): TopicError {
  return new TopicError(
    'Unsupported',
    `Invalid parameter: ${what} is not supported by this service: it delivers topics to SQS queues (and http/https endpoints), not to SMS, email or mobile push`,
  );
}
