import { QueueError } from '../../../queue/errors';
import { getQueue, updateQueue } from '../../../queue/operations/queues';
import { invalidValue, missing, requiredString, stringList, stringMap } from '../params';
import { queueArn } from '../queue-url';
import { sqsActionNames } from './action-names';
import { type SqsAction, targetQueue } from './call';

/**
 * Tags, and the legacy permission actions. AddPermission and RemovePermission edit the queue's
 * Policy attribute as SQS does (one statement per label), so GetQueueAttributes shows their
 * effect. The service stores the policy but does not enforce it: access is decided by the
 * caller's key (see the SigV4 step in dispatch.ts).
 */

export const TagQueue: SqsAction = async (call) => {
  const ref = targetQueue(call);
  if (call.input.Tags === undefined) throw missing('Tags');
  const tags = stringMap(call.input, 'Tags');
  for (const key of Object.keys(tags)) {
    if (key.length < 1 || key.length > 128) {
      throw new QueueError(
        'InvalidParameterValue',
        'Tag keys must be between 1 and 128 characters in length.',
        {
          field: 'Tags',
          given: key,
        },
      );
    }
  }
  await updateQueue(call.runtime.queue, { ref, tags });
  return {};
};

export const UntagQueue: SqsAction = async (call) => {
  const ref = targetQueue(call);
  if (call.input.TagKeys === undefined) throw missing('TagKeys');
  await updateQueue(call.runtime.queue, { ref, removeTags: stringList(call.input, 'TagKeys') });
  return {};
};

export const ListQueueTags: SqsAction = async (call) => {
  const queue = await getQueue(call.runtime.queue, targetQueue(call));
  return Object.keys(queue.tags).length > 0 ? { Tags: queue.tags } : {};
};

/** SQS allows at most 7 actions in one AddPermission call. */
const maxActions = 7;

/**
 * The actions a queue owner can grant to other accounts (AddPermission's ActionName, per the SQS
 * API Reference); the other SQS actions only the owner may call.
 */
const grantable = new Set([
  '*',
  'SendMessage',
  'ReceiveMessage',
  'DeleteMessage',
  'ChangeMessageVisibility',
  'GetQueueAttributes',
  'GetQueueUrl',
  'ListDeadLetterSourceQueues',
  'PurgeQueue',
]);

interface Statement {
  Sid: string;
  [key: string]: unknown;
}

export const AddPermission: SqsAction = async (call) => {
  const ref = targetQueue(call);
  const label = checkedLabel(requiredString(call.input, 'Label'));
  const accounts = stringList(call.input, 'AWSAccountIds');
  const actions = stringList(call.input, 'Actions');
  if (actions.length === 0) throw missing('Actions');
  if (accounts.length === 0) throw invalidValue('PrincipalId', '[]', 'Unable to verify.');
  if (actions.length > maxActions) {
    throw new QueueError(
      'OverLimit',
      `${actions.length} Actions were found, maximum allowed is ${maxActions}.`,
      { field: 'Actions', given: actions.length },
    );
  }
  const refused = actions.find((action) => !grantable.has(action));
  if (refused !== undefined) {
    throw invalidValue(
      'ActionName',
      `SQS:${refused}`,
      sqsActionNames.has(refused)
        ? 'Only the queue owner is allowed to invoke this action.'
        : 'Please refer to the appropriate WSDL for a list of valid actions.',
    );
  }
  const queue = await getQueue(call.runtime.queue, ref);
  const arn = queueArn(ref);
  const policy = parsePolicy(queue.extraAttributes.Policy, arn);
  if (policy.Statement.some((statement) => statement.Sid === label)) {
    throw invalidValue('Label', label, 'Already exists.');
  }
  policy.Statement.push({
    Sid: label,
    Effect: 'Allow',
    // As SQS writes it: one principal or action is a plain string, several a list.
    Principal: { AWS: oneOrList(accounts.map((account) => `arn:aws:iam::${account}:root`)) },
    Action: oneOrList(actions.map((action) => `SQS:${action}`)),
    Resource: arn,
  });
  await updateQueue(call.runtime.queue, { ref, extraAttributes: { Policy: JSON.stringify(policy) } });
  return {};
};

export const RemovePermission: SqsAction = async (call) => {
  const ref = targetQueue(call);
  const label = requiredString(call.input, 'Label');
  const queue = await getQueue(call.runtime.queue, ref);
  const policy = parsePolicy(queue.extraAttributes.Policy, queueArn(ref));
  const kept = policy.Statement.filter((statement) => statement.Sid !== label);
  if (kept.length === policy.Statement.length) throw invalidValue('Label', label, "can't find label.");
  // An empty string is how the core's extra attributes record "no policy".
  const Policy = kept.length === 0 ? '' : JSON.stringify({ ...policy, Statement: kept });
  await updateQueue(call.runtime.queue, { ref, extraAttributes: { Policy } });
  return {};
};

const oneOrList = (items: string[]) => (items.length === 1 ? items[0] : items);

function checkedLabel(label: string): string {
  if (!/^[A-Za-z0-9_-]{1,80}$/.test(label)) {
    throw invalidValue('Label', label, 'Up to 80 characters: letters, digits, hyphens and underscores.');
  }
  return label;
}

function parsePolicy(
  text: string | undefined,
  arn: string,
): { Statement: Statement[] } & Record<string, unknown> {
  const empty = { Version: '2008-10-17', Id: `${arn}/SQSDefaultPolicy`, Statement: [] as Statement[] };
  if (!text) return empty;
  try {
    const policy = JSON.parse(text) as Record<string, unknown>;
    const statements = policy.Statement;
    return { ...policy, Statement: Array.isArray(statements) ? (statements as Statement[]) : [] };
  } catch {
    return empty;
  }
}
