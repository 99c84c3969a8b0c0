import { announce } from '../announcer';
import { api } from '../api';
import { h } from '../dom';
import { checkedForm, field, numberInput, optionalInteger, textInput } from '../form-fields';
import { createQueueRequest } from './create-queue-request';
import { queueHref } from './page';

/** Creating a queue from the list page: a name, and optionally a dead-letter queue to use. */
export function createQueueForm(created: () => Promise<void>): HTMLElement {
  const name = field(
    'name',
    'Queue name',
    textInput({ required: true, pattern: '[A-Za-z0-9_\\-]{1,80}(\\.fifo)?' }),
    '1 to 80 letters, digits, - and _',
  );
  const visibility = field(
    'visibilityTimeoutSeconds',
    'Visibility timeout (seconds)',
    numberInput(0, 43_200, 30),
  );
  const dlq = field(
    'deadLetterQueue',
    'Dead-letter queue (optional)',
    textInput({ pattern: '[A-Za-z0-9_\\-]{1,80}(\\.fifo)?' }),
    'An existing queue that receives messages received too often',
  );
  const maxReceive = field(
    'maxReceiveCount',
    'Max receive count',
    numberInput(1, 1000),
    'Needed with a dead-letter queue',
  );
  const dedup = field(
    'contentBasedDeduplication',
    'Content-based deduplication (FIFO)',
    h('input', { type: 'checkbox', checked: true }),
    'For a name ending in .fifo: a message sent without a deduplication id is deduplicated by its body',
  );
  const form = checkedForm({
    attributes: { 'aria-labelledby': 'create-queue-title' },
    fields: [name, visibility, dlq, maxReceive, dedup],
    submitLabel: 'Create queue',
    grid: true,
    read: () =>
      createQueueRequest({
        name: name.input.value,
        visibilityTimeoutSeconds: optionalInteger(visibility.input),
        deadLetterQueue: dlq.input.value,
        maxReceiveCount: optionalInteger(maxReceive.input),
        contentBasedDeduplication: (dedup.input as HTMLInputElement).checked,
      }),
    submit: async (request, form) => {
      const queue = await api.createQueue(request);
      announce(`Queue ${queue.name} created.`);
      form.reset();
      await created();
      const link = document.querySelector<HTMLAnchorElement>(`a[href="${queueHref(queue.name)}"]`);
      link?.focus();
    },
  });
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'create-queue-title' },
    h('h2', { id: 'create-queue-title' }, 'Create a queue'),
    form,
  );
}
