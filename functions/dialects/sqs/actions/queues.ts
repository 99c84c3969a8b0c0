import { queueDoesNotExist } from '../../../queue/context';
import { isQueueError, QueueError } from '../../../queue/errors';
import { limits } from '../../../queue/limits';
import type { QueueRecord, QueueRef } from '../../../queue/model';
import { describeQueueDepth } from '../../../queue/operations/depth';
import {
  createQueue,
  deleteQueue,
  describeQueue,
  getQueue,
  listQueues,
  purgeQueue,
  settingsOf,
  updateQueue,
} from '../../../queue/operations/queues';
import { validateQueueName } from '../../../queue/validation';
import { fairAttributes, needsFairness } from '../fair-attributes';
import { invalidValue, missing, optionalInteger, optionalString, stringList, stringMap } from '../params';
import {
  type AttributeChanges,
  attributeChanges,
  needsCounts,
  queueAttributes,
  requestedAttributes,
} from '../queue-attributes';
import { queueArn } from '../queue-url';
import { allowsSource } from '../redrive-allow-policy';
import { refFor, type SqsAction, type SqsCall, targetQueue, urlOf } from './call';

/** Queue administration: CreateQueue, GetQueueUrl, ListQueues, attributes, purge and delete. */

export const CreateQueue: SqsAction = async (call) => {
  const name = queueName(call.input, 'QueueName');
  const ref = refFor(call, name);
  const changes = attributeChanges(stringMap(call.input, 'Attributes'), ref);
  if (name.endsWith('.fifo') && changes.fifo !== true) {
    // Without FifoQueue=true the queue is a standard one, whose name cannot hold a period.
    throw new QueueError(
      'InvalidParameterValue',
      'Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length',
      { field: 'QueueName', given: name },
    );
  }
  // The JSON protocol names CreateQueue's tags `tags`; the Query codec decodes Tag.N to `Tags`.
  const tags = { ...stringMap(call.input, 'tags'), ...stringMap(call.input, 'Tags') };
  // As in SQS, creating an existing queue succeeds when the attributes given match it; only the
  // attributes given are compared, not the defaults of those left out.
  const existing = await findQueue(call, ref);
  if (existing) {
    const given = stringMap(call.input, 'Attributes');
    const differing = Object.keys(given).find(
      (attribute) => !matches(existing, attributeChanges({ [attribute]: given[attribute]! }, ref)),
    );
    if (differing !== undefined) {
      throw new QueueError(
        'QueueNameExists',
        `A queue already exists with the same name and a different value for attribute ${differing}`,
        { field: 'QueueName', given: name },
      );
    }
    return { QueueUrl: urlOf(call, ref) };
  }
  await requireRedriveAllowed(call, ref, changes);
  await createQueue(call.runtime.queue, {
    ref,
    ...(changes.fifo === undefined ? {} : { fifo: changes.fifo }),
    settings: changes.settings,
    tags,
    extraAttributes: changes.extraAttributes,
  });
  return { QueueUrl: urlOf(call, ref) };
};

export const GetQueueUrl: SqsAction = async (call) => {
  const name = queueName(call.input, 'QueueName');
  const owner = optionalString(call.input, 'QueueOwnerAWSAccountId');
  if (owner !== undefined && owner !== call.account) {
    throw queueDoesNotExist({ account: owner, region: call.region, name });
  }
  const ref = refFor(call, name);
  await getQueue(call.runtime.queue, ref);
  return { QueueUrl: urlOf(call, ref) };
};

export const ListQueues: SqsAction = async (call) => {
  const maxResults = optionalInteger(call.input, 'MaxResults', { min: 1, max: limits.listQueuesMaxResults });
  const prefix = optionalString(call.input, 'QueueNamePrefix');
  const nextToken = optionalString(call.input, 'NextToken');
  const { queues, nextToken: next } = await listQueues(call.runtime.queue, {
    account: call.account,
    region: call.region,
    ...(prefix ? { prefix } : {}),
    ...(maxResults === undefined ? {} : { limit: maxResults }),
    ...(nextToken ? { nextToken } : {}),
  });
  return {
    ...(queues.length > 0 ? { QueueUrls: queues.map((queue) => urlOf(call, queue.ref)) } : {}),
    // SQS pages only when asked to (MaxResults); otherwise it returns up to 1,000 queues.
    ...(maxResults !== undefined && next ? { NextToken: next } : {}),
  };
};

export const DeleteQueue: SqsAction = async (call) => {
  await deleteQueue(call.runtime.queue, targetQueue(call));
  return {};
};

export const PurgeQueue: SqsAction = async (call) => {
  await purgeQueue(call.runtime.queue, targetQueue(call));
  return {};
};

export const GetQueueAttributes: SqsAction = async (call) => {
  const ref = targetQueue(call);
  const names = requestedAttributes(stringList(call.input, 'AttributeNames'));
  if (needsFairness(names)) {
    const { queue, depth } = await describeQueueDepth(call.runtime.queue, ref);
    const attributes = { ...queueAttributes(queue, names, depth), ...fairAttributes(queue, depth, names) };
    return Object.keys(attributes).length > 0 ? { Attributes: attributes } : {};
  }
  if (needsCounts(names)) {
    const { queue, counts } = await describeQueue(call.runtime.queue, ref);
    return { Attributes: queueAttributes(queue, names, counts) };
  }
  const queue = await getQueue(call.runtime.queue, ref);
  const attributes = queueAttributes(queue, names);
  return Object.keys(attributes).length > 0 ? { Attributes: attributes } : {};
};

export const SetQueueAttributes: SqsAction = async (call) => {
  const ref = targetQueue(call);
  if (call.input.Attributes === undefined) throw missing('Attributes');
  const changes = attributeChanges(stringMap(call.input, 'Attributes'), ref);
  await requireRedriveAllowed(call, ref, changes);
  await updateQueue(call.runtime.queue, {
    ref,
    settings: changes.settings,
    removeRedrivePolicy: changes.removeRedrivePolicy,
    extraAttributes: changes.extraAttributes,
  });
  return {};
};

/** Queues whose RedrivePolicy names this queue (a scan of the account's queues: fine for now). */
export const ListDeadLetterSourceQueues: SqsAction = async (call) => {
  const ref = targetQueue(call);
  await getQueue(call.runtime.queue, ref);
  const maxResults = optionalInteger(call.input, 'MaxResults', { min: 1, max: limits.listQueuesMaxResults });
  const after = optionalString(call.input, 'NextToken');
  const sources: QueueRecord[] = [];
  let token: string | undefined;
  do {
    const page = await listQueues(call.runtime.queue, {
      account: ref.account,
      region: ref.region,
      ...(token ? { nextToken: token } : {}),
    });
    sources.push(...page.queues.filter((queue) => queue.deadLetterQueue === ref.name));
    token = page.nextToken;
  } while (token);
  const start = after ? Buffer.from(after, 'base64url').toString('utf8') : '';
  const remaining = sources.filter((queue) => queue.ref.name > start);
  const page = remaining.slice(0, maxResults ?? limits.listQueuesMaxResults);
  const more = maxResults !== undefined && remaining.length > page.length;
  return {
    queueUrls: page.map((queue) => urlOf(call, queue.ref)),
    ...(more ? { NextToken: Buffer.from(page.at(-1)!.ref.name).toString('base64url') } : {}),
  };
};

/**
 * A queue name as SQS checks it (a FIFO queue's ends in `.fifo`), with SQS's texts: an empty name
 * is invalid, not missing.
 */
function queueName(input: SqsCall['input'], parameter: string): string {
  const name = optionalString(input, parameter);
  if (name === undefined) throw missing(parameter);
  try {
    return validateQueueName(name, parameter);
  } catch (error) {
    if (!isQueueError(error)) throw error;
    throw new QueueError(
      'InvalidParameterValue',
      name.endsWith('.fifo')
        ? 'The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end with .fifo suffix and be 1 to 80 in length.'
        : 'Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length',
      { field: parameter, given: name },
    );
  }
}

async function findQueue(call: SqsCall, ref: QueueRef): Promise<QueueRecord | undefined> {
  try {
    return await getQueue(call.runtime.queue, ref);
  } catch (error) {
    if (isQueueError(error) && error.code === 'QueueDoesNotExist') return undefined;
    throw error;
  }
}

/** A queue may name a dead-letter queue only if that queue's RedriveAllowPolicy lets it. */
async function requireRedriveAllowed(call: SqsCall, ref: QueueRef, changes: AttributeChanges): Promise<void> {
  const target = changes.settings.deadLetterQueue;
  if (target === undefined) return;
  // A missing dead-letter queue is reported by the core with its own message.
  const deadLetterQueue = await findQueue(call, { ...ref, name: target });
  if (deadLetterQueue && !allowsSource(deadLetterQueue.extraAttributes.RedriveAllowPolicy, queueArn(ref))) {
    throw invalidValue(
      'RedrivePolicy',
      stringMap(call.input, 'Attributes').RedrivePolicy,
      `The RedriveAllowPolicy of ${target} does not allow ${ref.name} as a source queue.`,
    );
  }
}

function matches(queue: QueueRecord, changes: AttributeChanges): boolean {
  const current = settingsOf(queue) as unknown as Record<string, unknown>;
  for (const [key, value] of Object.entries(changes.settings)) if (current[key] !== value) return false;
  if (changes.removeRedrivePolicy && queue.deadLetterQueue !== undefined) return false;
  if (changes.fifo !== undefined && changes.fifo !== Boolean(queue.fifo)) return false;
  for (const [key, value] of Object.entries(changes.extraAttributes)) {
    if ((queue.extraAttributes[key] ?? '') !== value) return false;
  }
  return true;
}
