import { announce } from '../announcer';
import { api } from '../api';
import { h } from '../dom';
import { checkedForm, field, numberInput, optionalInteger, textInput } from '../form-fields';
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
  const form = checkedForm({
    attributes: { 'aria-labelledby': 'create-queue-title' },
    fields: [name, visibility, dlq, maxReceive],
    submitLabel: 'Create queue',
    grid: true,
    read: () => {
      const request: Record<string, unknown> = { name: name.input.value.trim() };
      const timeout = optionalInteger(visibility.input);
      if (timeout !== undefined) request.visibilityTimeoutSeconds = timeout;
      if (dlq.input.value.trim()) request.deadLetterQueue = dlq.input.value.trim();
      const receives = optionalInteger(maxReceive.input);
      if (receives !== undefined) request.maxReceiveCount = receives;
      return request;
    },
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
