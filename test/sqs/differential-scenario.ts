import {
  ChangeMessageVisibilityBatchCommand,
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListQueuesCommand,
  ListQueueTagsCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SetQueueAttributesCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';

/**
 * One scripted SQS session, run step by step with @aws-sdk/client-sqs against any endpoint: a
 * queue with attributes and tags, messages with attributes, receive, visibility, delete, the
 * batch actions, and the common mistakes. Each step's outcome (output or error) is recorded in a
 * normalised form so that two services can be compared field by field.
 */
export interface ScenarioState {
  queueUrl: string;
  /** The latest receipt handle of each message, by body. */
  handles: Record<string, string>;
}

export type Step = [name: string, run: (sqs: SQSClient, state: ScenarioState) => Promise<unknown>];

const binary = new Uint8Array([0, 1, 2, 250, 255]);

function remember(state: ScenarioState, output: { Messages?: { Body?: string; ReceiptHandle?: string }[] }) {
  for (const message of output.Messages ?? []) state.handles[message.Body!] = message.ReceiptHandle!;
  return output;
}

export const scenario = (queueName: string): Step[] => [
  [
    'CreateQueue with attributes and tags',
    async (sqs, state) => {
      const out = await sqs.send(
        new CreateQueueCommand({
          QueueName: queueName,
          Attributes: {
            VisibilityTimeout: '45',
            MessageRetentionPeriod: '3600',
            MaximumMessageSize: '2048',
            DelaySeconds: '0',
            ReceiveMessageWaitTimeSeconds: '0',
          },
          tags: { team: 'queue', env: 'test' },
        }),
      );
      state.queueUrl = out.QueueUrl!;
      return out;
    },
  ],
  [
    'CreateQueue again with the same attributes',
    (sqs) =>
      sqs.send(new CreateQueueCommand({ QueueName: queueName, Attributes: { VisibilityTimeout: '45' } })),
  ],
  [
    'CreateQueue again with other attributes',
    (sqs) =>
      sqs.send(new CreateQueueCommand({ QueueName: queueName, Attributes: { VisibilityTimeout: '46' } })),
  ],
  ['GetQueueUrl', (sqs) => sqs.send(new GetQueueUrlCommand({ QueueName: queueName }))],
  [
    'GetQueueAttributes All',
    (sqs, state) =>
      sqs.send(new GetQueueAttributesCommand({ QueueUrl: state.queueUrl, AttributeNames: ['All'] })),
  ],
  [
    'GetQueueAttributes some',
    (sqs, state) =>
      sqs.send(
        new GetQueueAttributesCommand({
          QueueUrl: state.queueUrl,
          AttributeNames: ['VisibilityTimeout', 'MaximumMessageSize', 'ApproximateNumberOfMessages'],
        }),
      ),
  ],
  ['ListQueueTags', (sqs, state) => sqs.send(new ListQueueTagsCommand({ QueueUrl: state.queueUrl }))],
  ['ListQueues by prefix', (sqs) => sqs.send(new ListQueuesCommand({ QueueNamePrefix: queueName }))],
  [
    'SendMessage with message attributes',
    (sqs, state) =>
      sqs.send(
        new SendMessageCommand({
          QueueUrl: state.queueUrl,
          MessageBody: 'first message: ünïcödé & <xml> \r\n done',
          MessageAttributes: {
            colour: { DataType: 'String', StringValue: 'blue' },
            count: { DataType: 'Number', StringValue: '42' },
            blob: { DataType: 'Binary', BinaryValue: binary },
            custom: { DataType: 'Number.float', StringValue: '3.5' },
          },
        }),
      ),
  ],
  [
    'ReceiveMessage with All attributes',
    async (sqs, state) =>
      remember(
        state,
        await sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: state.queueUrl,
            MessageAttributeNames: ['All'],
            MessageSystemAttributeNames: ['All'],
          }),
        ),
      ),
  ],
  [
    'ReceiveMessage while it is in flight',
    (sqs, state) => sqs.send(new ReceiveMessageCommand({ QueueUrl: state.queueUrl })),
  ],
  [
    'ChangeMessageVisibility to 0',
    (sqs, state) =>
      sqs.send(
        new ChangeMessageVisibilityCommand({
          QueueUrl: state.queueUrl,
          ReceiptHandle: Object.values(state.handles)[0]!,
          VisibilityTimeout: 0,
        }),
      ),
  ],
  [
    'ReceiveMessage again: second receive, selected attributes',
    async (sqs, state) =>
      remember(
        state,
        await sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: state.queueUrl,
            MessageAttributeNames: ['colour', 'cou.*'],
            MessageSystemAttributeNames: ['ApproximateReceiveCount'],
          }),
        ),
      ),
  ],
  [
    'DeleteMessage',
    (sqs, state) =>
      sqs.send(
        new DeleteMessageCommand({
          QueueUrl: state.queueUrl,
          ReceiptHandle: Object.values(state.handles)[0]!,
        }),
      ),
  ],
  [
    'SendMessageBatch',
    (sqs, state) =>
      sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: state.queueUrl,
          Entries: [
            {
              Id: 'a',
              MessageBody: 'batch a',
              MessageAttributes: { k: { DataType: 'String', StringValue: 'v' } },
            },
            { Id: 'b', MessageBody: 'batch b' },
            { Id: 'c', MessageBody: 'batch c', DelaySeconds: 0 },
          ],
        }),
      ),
  ],
  [
    'ReceiveMessage up to 10',
    async (sqs, state) => {
      // Both services may spread messages over several receives; collect until all three are here.
      const messages: { Body?: string; ReceiptHandle?: string }[] = [];
      for (let i = 0; i < 10 && messages.length < 3; i++) {
        const out = await sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: state.queueUrl,
            MaxNumberOfMessages: 10,
            MessageAttributeNames: ['All'],
          }),
        );
        messages.push(...(out.Messages ?? []));
      }
      return remember(state, { Messages: messages });
    },
  ],
  [
    'ChangeMessageVisibilityBatch with one bad handle',
    (sqs, state) =>
      sqs.send(
        new ChangeMessageVisibilityBatchCommand({
          QueueUrl: state.queueUrl,
          Entries: [
            { Id: 'a', ReceiptHandle: state.handles['batch a']!, VisibilityTimeout: 60 },
            { Id: 'bad', ReceiptHandle: 'not-a-receipt-handle', VisibilityTimeout: 60 },
          ],
        }),
      ),
  ],
  [
    'DeleteMessageBatch',
    (sqs, state) =>
      sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: state.queueUrl,
          Entries: ['batch a', 'batch b', 'batch c'].map((body, index) => ({
            Id: `d${index}`,
            ReceiptHandle: state.handles[body]!,
          })),
        }),
      ),
  ],
  [
    'GetQueueAttributes counts after deleting',
    (sqs, state) =>
      sqs.send(
        new GetQueueAttributesCommand({
          QueueUrl: state.queueUrl,
          AttributeNames: [
            'ApproximateNumberOfMessages',
            'ApproximateNumberOfMessagesNotVisible',
            'ApproximateNumberOfMessagesDelayed',
          ],
        }),
      ),
  ],
  // The common mistakes.
  [
    'error: GetQueueUrl of a missing queue',
    (sqs) => sqs.send(new GetQueueUrlCommand({ QueueName: `${queueName}-missing` })),
  ],
  [
    'error: SendMessage to a missing queue',
    (sqs, state) =>
      sqs.send(new SendMessageCommand({ QueueUrl: `${state.queueUrl}-missing`, MessageBody: 'lost' })),
  ],
  [
    'error: CreateQueue with VisibilityTimeout 50000',
    (sqs) =>
      sqs.send(
        new CreateQueueCommand({ QueueName: `${queueName}-bad`, Attributes: { VisibilityTimeout: '50000' } }),
      ),
  ],
  [
    'error: CreateQueue with an unknown attribute',
    (sqs) =>
      sqs.send(
        new CreateQueueCommand({
          QueueName: `${queueName}-bad2`,
          Attributes: { Colour: 'blue' } as Record<string, string>,
        }),
      ),
  ],
  [
    'error: SetQueueAttributes with an unknown attribute',
    (sqs, state) =>
      sqs.send(
        new SetQueueAttributesCommand({
          QueueUrl: state.queueUrl,
          Attributes: { Colour: 'x' } as Record<string, string>,
        }),
      ),
  ],
  [
    'error: GetQueueAttributes with an unknown name',
    (sqs, state) =>
      sqs.send(
        new GetQueueAttributesCommand({ QueueUrl: state.queueUrl, AttributeNames: ['Colour' as never] }),
      ),
  ],
  [
    'error: SendMessageBatch with no entries',
    (sqs, state) => sqs.send(new SendMessageBatchCommand({ QueueUrl: state.queueUrl, Entries: [] })),
  ],
  [
    'error: SendMessageBatch with duplicate ids',
    (sqs, state) =>
      sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: state.queueUrl,
          Entries: [
            { Id: 'same', MessageBody: 'one' },
            { Id: 'same', MessageBody: 'two' },
          ],
        }),
      ),
  ],
  [
    'error: SendMessageBatch with 11 entries',
    (sqs, state) =>
      sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: state.queueUrl,
          Entries: Array.from({ length: 11 }, (_, i) => ({ Id: `e${i}`, MessageBody: `m${i}` })),
        }),
      ),
  ],
  [
    'error: SendMessageBatch with an invalid id',
    (sqs, state) =>
      sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: state.queueUrl,
          Entries: [{ Id: 'no spaces!', MessageBody: 'x' }],
        }),
      ),
  ],
  [
    'error: DeleteMessageBatch with no entries',
    (sqs, state) => sqs.send(new DeleteMessageBatchCommand({ QueueUrl: state.queueUrl, Entries: [] })),
  ],
  [
    'error: ReceiveMessage with MaxNumberOfMessages 11',
    (sqs, state) =>
      sqs.send(new ReceiveMessageCommand({ QueueUrl: state.queueUrl, MaxNumberOfMessages: 11 })),
  ],
  [
    'error: ChangeMessageVisibility with a garbled handle',
    (sqs, state) =>
      sqs.send(
        new ChangeMessageVisibilityCommand({
          QueueUrl: state.queueUrl,
          ReceiptHandle: 'garbled',
          VisibilityTimeout: 10,
        }),
      ),
  ],
  [
    'error: SendMessage with an empty body',
    (sqs, state) => sqs.send(new SendMessageCommand({ QueueUrl: state.queueUrl, MessageBody: '' })),
  ],
  ['DeleteQueue', (sqs, state) => sqs.send(new DeleteQueueCommand({ QueueUrl: state.queueUrl }))],
  [
    'error: DeleteQueue again',
    (sqs, state) => sqs.send(new DeleteQueueCommand({ QueueUrl: state.queueUrl })),
  ],
];

/** The outcome of each step, normalised: ids, handles and times masked, URLs without their host. */
export async function runScenario(
  sqs: SQSClient,
  endpoint: string,
  queueName: string,
): Promise<Record<string, unknown>> {
  const state: ScenarioState = { queueUrl: '', handles: {} };
  const outcomes: Record<string, unknown> = {};
  for (const [name, run] of scenario(queueName)) {
    try {
      outcomes[name] = { ok: normalise(await run(sqs, state), endpoint) };
    } catch (error) {
      const e = error as Error & { Code?: string; $metadata?: { httpStatusCode?: number } };
      if (!('$metadata' in e)) throw error; // not a service error: the test itself broke
      outcomes[name] = { error: { name: e.name, code: e.Code, status: e.$metadata?.httpStatusCode } };
    }
  }
  return outcomes;
}

const masked: Record<string, string> = {
  MessageId: '<id>',
  ReceiptHandle: '<handle>',
  SentTimestamp: '<time>',
  ApproximateFirstReceiveTimestamp: '<time>',
  CreatedTimestamp: '<time>',
  LastModifiedTimestamp: '<time>',
  SenderId: '<sender>',
};

function normalise(value: unknown, endpoint: string, key = ''): unknown {
  if (key === '$metadata') return undefined;
  if (key in masked && value !== undefined) return masked[key];
  if (typeof value === 'string') return value.split(endpoint).join('<endpoint>');
  if (value instanceof Uint8Array) return `<bytes ${Buffer.from(value).toString('base64')}>`;
  if (Array.isArray(value)) {
    const items = value.map((item) => normalise(item, endpoint));
    // Order within a receive or a batch reply is not part of the contract.
    return items.sort((a, b) => sortKey(a).localeCompare(sortKey(b)));
  }
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value)
        .map(([k, v]) => [k, normalise(v, endpoint, k)] as const)
        .filter(([, v]) => v !== undefined),
    );
  }
  return value;
}

const sortKey = (item: unknown) =>
  typeof item === 'object' && item !== null
    ? String((item as Record<string, unknown>).Id ?? (item as Record<string, unknown>).Body ?? '')
    : String(item);

/** Every leaf of a value, by its path: `a.b.0.c`. */
export function leaves(
  value: unknown,
  path = '',
  out: Record<string, unknown> = {},
): Record<string, unknown> {
  if (typeof value === 'object' && value !== null) {
    for (const [key, child] of Object.entries(value)) leaves(child, path ? `${path}.${key}` : key, out);
  } else {
    out[path] = value;
  }
  return out;
}
