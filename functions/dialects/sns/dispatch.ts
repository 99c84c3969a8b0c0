import type { Runtime } from '../../handlers/runtime';
import { TopicError } from '../../topics/errors';
import { parseTopicArn } from '../../topics/model';
import type { HttpEvent, HttpResult } from '../http';
import type { Caller } from '../sqs/caller';
import { callerOf } from '../sqs/caller';
import { baseUrlOf } from '../sqs/queue-url';
import { Publish, PublishBatch, unsupported } from './actions-publish';
import {
  ConfirmSubscription,
  GetSubscriptionAttributes,
  ListSubscriptions,
  ListSubscriptionsByTopic,
  SetSubscriptionAttributes,
  Subscribe,
  Unsubscribe,
} from './actions-subscriptions';
import {
  AddPermission,
  CreateTopic,
  DeleteTopic,
  GetTopicAttributes,
  ListTagsForResource,
  ListTopics,
  RemovePermission,
  SetTopicAttributes,
  type SnsAction,
  TagResource,
  UntagResource,
} from './actions-topics';
import { queryParameters, queryVersionAndAction } from './query';
import { snsResponse } from './xml';

/**
 * The Amazon SNS Query protocol (version 2010-03-31) on the same endpoint as SQS. A form request
 * is SNS's when it says Version=2010-03-31 (every SNS SDK does), or, without a version, names an
 * action only SNS has.
 */
export const snsVersion = '2010-03-31';

const snsActions: Record<string, SnsAction> = {
  CreateTopic,
  DeleteTopic,
  ListTopics,
  GetTopicAttributes,
  SetTopicAttributes,
  Subscribe,
  ConfirmSubscription,
  Unsubscribe,
  ListSubscriptions,
  ListSubscriptionsByTopic,
  GetSubscriptionAttributes,
  SetSubscriptionAttributes,
  Publish,
  PublishBatch,
  TagResource,
  UntagResource,
  ListTagsForResource,
  AddPermission,
  RemovePermission,
};

/** SNS actions for SMS, mobile push and data protection: answered with a clear error. */
const unsupportedActions: Record<string, string> = {
  CreatePlatformApplication: 'Mobile push',
  CreatePlatformEndpoint: 'Mobile push',
  DeleteEndpoint: 'Mobile push',
  DeletePlatformApplication: 'Mobile push',
  GetEndpointAttributes: 'Mobile push',
  SetEndpointAttributes: 'Mobile push',
  GetPlatformApplicationAttributes: 'Mobile push',
  SetPlatformApplicationAttributes: 'Mobile push',
  ListPlatformApplications: 'Mobile push',
  ListEndpointsByPlatformApplication: 'Mobile push',
  CheckIfPhoneNumberIsOptedOut: 'SMS',
  GetSMSAttributes: 'SMS',
  SetSMSAttributes: 'SMS',
  ListPhoneNumbersOptedOut: 'SMS',
  OptInPhoneNumber: 'SMS',
  CreateSMSSandboxPhoneNumber: 'SMS',
  DeleteSMSSandboxPhoneNumber: 'SMS',
  GetSMSSandboxAccountStatus: 'SMS',
  ListSMSSandboxPhoneNumbers: 'SMS',
  VerifySMSSandboxPhoneNumber: 'SMS',
  ListOriginationNumbers: 'SMS',
  GetDataProtectionPolicy: 'Data protection',
  PutDataProtectionPolicy: 'Data protection',
};

/** Never throws: decides before the request is authenticated which protocol answers it. */
export function isSnsRequest(event: HttpEvent): boolean {
  if (event.headers?.['x-amz-target'] !== undefined) return false;
  if ((event.headers?.['content-type'] ?? '').includes('application/x-amz-json')) return false;
  const { version, action } = queryVersionAndAction(event);
  if (version !== undefined) return version === snsVersion;
  // AddPermission and RemovePermission are SQS actions too: without a version they stay SQS's.
  return (
    action !== undefined &&
    action !== 'AddPermission' &&
    action !== 'RemovePermission' &&
    (Object.hasOwn(snsActions, action) || Object.hasOwn(unsupportedActions, action))
  );
}

export interface SnsDispatchOptions {
  /** Verifies the SigV4 signature (service `sns`); unverified scope reading when absent. */
  verifySignature?: (event: HttpEvent) => Promise<Caller>;
}

export async function handleSnsRequest(
  event: HttpEvent,
  runtime: Runtime,
  options: SnsDispatchOptions = {},
): Promise<HttpResult> {
  const params = queryParameters(event);
  const actionName = typeof params.Action === 'string' ? params.Action : '';
  const caller = isUnsignedConfirmation(event, actionName)
    ? confirmingCaller(params)
    : options.verifySignature
      ? await options.verifySignature(event)
      : callerOf(event);
  if (Object.hasOwn(unsupportedActions, actionName)) throw unsupported(unsupportedActions[actionName]!);
  const action = Object.hasOwn(snsActions, actionName) ? snsActions[actionName] : undefined;
  if (!action) {
    throw new TopicError('InvalidAction', `The action ${actionName} is not valid for this web service.`);
  }
  const result = await action({
    runtime,
    params,
    account: caller.account ?? runtime.account,
    region: caller.region ?? runtime.region,
    baseUrl: baseUrlOf(event),
  });
  return snsResponse(actionName, result, event.requestContext.requestId);
}

/**
 * The SubscribeURL an http(s) endpoint is sent is a plain GET with no signature (the endpoint has
 * no keys): as with SNS, ConfirmSubscription needs none, since the token, 128 random hex digits
 * sent only to the endpoint, is the proof. The topic's account and region come from its ARN.
 */
function isUnsignedConfirmation(event: HttpEvent, action: string): boolean {
  if (action !== 'ConfirmSubscription') return false;
  const caller = callerOf(event);
  return caller.accessKeyId === undefined && caller.region === undefined;
}

function confirmingCaller(params: Record<string, unknown>): Caller {
  const ref = typeof params.TopicArn === 'string' ? parseTopicArn(params.TopicArn) : undefined;
  return ref ? { account: ref.account, region: ref.region } : {};
}
