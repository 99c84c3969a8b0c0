import type { Consumer, CreateConsumerRequest } from '../../../functions/dialects/rest/client-types';
import { announce } from '../announcer';
import { api } from '../api';
import { h } from '../dom';
import { checkedForm, field, numberInput, optionalInteger, textInput } from '../form-fields';

/**
 * Attaching a push consumer to a queue: where batches go (an HTTP endpoint, a Lambda function or,
 * on the local service, a handler module) and the delivery options. The browser checks the ranges
 * the API documents; the rules only the service knows (10 a batch on FIFO queues, the https URL
 * deployed, the functions its dispatcher may invoke, module targets locally only) come back as the
 * API's problem, shown on the field it names.
 */
type TargetKind = 'url' | 'functionArn' | 'module';

const kinds: Record<TargetKind, { option: string; placeholder: string; hint: string }> = {
  url: {
    option: 'HTTP endpoint',
    placeholder: 'https://example.com/hook',
    hint: 'Gets a signed POST of each batch; https (http too on the local service)',
  },
  functionArn: {
    option: 'Lambda function',
    placeholder: 'arn:aws:lambda:us-east-1:123456789012:function:orders',
    hint: 'Invoked with each batch; the stack must allow it (pushFunctionArns)',
  },
  module: {
    option: 'Handler module (local service)',
    placeholder: './consumer.mjs#handler',
    hint: 'A file and its exported handler, imported by the local service',
  },
};

export function consumerForm(queue: string, created: (consumer: Consumer) => Promise<void>): HTMLElement {
  const kind = field(
    'targetKind',
    'Target',
    h(
      'select',
      {},
      Object.entries(kinds).map(([value, k]) => h('option', { value }, k.option)),
    ),
  );
  const target = field('target.url', 'Address', textInput({ required: true }), kinds.url.hint);
  const hint = target.element.querySelector('.hint')!;
  /** The target field answers to the API's name for it (target.url, ...), so its problems land there. */
  const syncKind = () => {
    const k = kind.input.value as TargetKind;
    target.name = `target.${k}`;
    target.input.setAttribute('placeholder', kinds[k].placeholder);
    hint.textContent = kinds[k].hint;
  };
  kind.input.addEventListener('change', syncKind);
  syncKind();

  const batchSize = field(
    'batchSize',
    'Batch size',
    numberInput(1, 100, 10),
    'Messages per batch: 1 to 100, at most 10 on a FIFO queue',
  );
  const batchWindow = field(
    'maximumBatchingWindowSeconds',
    'Batching window (s)',
    numberInput(0, 300, 0),
    '0 to 300: once a message is there, wait this long for a fuller batch',
  );
  const concurrency = field(
    'maximumConcurrency',
    'Maximum concurrency',
    numberInput(1, 1000, 5),
    'Batches in flight at once: 1 to 1,000',
  );
  const itemFailures = field(
    'reportBatchItemFailures',
    'Report item failures',
    h('input', { type: 'checkbox' }),
    'Read {"batchItemFailures": [...]} from the answer: only the named messages come back',
  );
  const enabled = field(
    'enabled',
    'Start delivering at once',
    h('input', { type: 'checkbox', checked: true }),
    'Unchecked: created paused; resume it from the list',
  );
  const checked = (f: { input: HTMLElement }) => (f.input as HTMLInputElement).checked;

  return checkedForm({
    attributes: { 'aria-labelledby': 'create-consumer-title' },
    fields: [kind, target, batchSize, batchWindow, concurrency, itemFailures, enabled],
    submitLabel: 'Create consumer',
    grid: true,
    read: (): CreateConsumerRequest => {
      const k = kind.input.value as TargetKind;
      const address = target.input.value.trim();
      const request: CreateConsumerRequest = {
        target:
          k === 'url'
            ? { url: address }
            : k === 'functionArn'
              ? { functionArn: address }
              : { module: address },
        reportBatchItemFailures: checked(itemFailures),
        enabled: checked(enabled),
      };
      // An emptied number field leaves the API's default.
      const size = optionalInteger(batchSize.input);
      const seconds = optionalInteger(batchWindow.input);
      const inFlight = optionalInteger(concurrency.input);
      if (size !== undefined) request.batchSize = size;
      if (seconds !== undefined) request.maximumBatchingWindowSeconds = seconds;
      if (inFlight !== undefined) request.maximumConcurrency = inFlight;
      return request;
    },
    submit: async (request, form) => {
      const consumer = await api.createConsumer(queue, request);
      announce(`Consumer created on ${queue}.`);
      form.reset();
      syncKind();
      await created(consumer);
    },
  });
}
