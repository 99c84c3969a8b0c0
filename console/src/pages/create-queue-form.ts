import { announce } from '../announcer';
import { api } from '../api';
import { h } from '../dom';
import {
  checkFields,
  clearProblem,
  errorSummary,
  field,
  numberInput,
  optionalInteger,
  showProblem,
  textInput,
} from '../form-fields';
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
  const fields = [name, visibility, dlq, maxReceive];
  const summary = errorSummary();
  const submit = h('button', { type: 'submit' }, 'Create queue');
  const form = h(
    'form',
    { novalidate: true, 'aria-labelledby': 'create-queue-title' },
    summary,
    h(
      'div',
      { class: 'grid' },
      fields.map((f) => f.element),
    ),
    submit,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearProblem(fields, summary);
    if (!checkFields(fields)) return;
    const request: Record<string, unknown> = { name: name.input.value.trim() };
    const timeout = optionalInteger(visibility.input);
    if (timeout !== undefined) request.visibilityTimeoutSeconds = timeout;
    if (dlq.input.value.trim()) request.deadLetterQueue = dlq.input.value.trim();
    const receives = optionalInteger(maxReceive.input);
    if (receives !== undefined) request.maxReceiveCount = receives;
    submit.disabled = true;
    try {
      const queue = await api.createQueue(request);
      announce(`Queue ${queue.name} created.`);
      form.reset();
      await created();
      const link = document.querySelector<HTMLAnchorElement>(`a[href="${queueHref(queue.name)}"]`);
      link?.focus();
    } catch (error) {
      showProblem(error, fields, summary);
    } finally {
      submit.disabled = false;
    }
  });
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'create-queue-title' },
    h('h2', { id: 'create-queue-title' }, 'Create a queue'),
    form,
  );
}
