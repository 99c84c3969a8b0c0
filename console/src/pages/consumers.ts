import type { Consumer } from '../../../functions/dialects/rest/client-types';
import { announce } from '../announcer';
import { ApiProblem, api } from '../api';
import { confirmDialog } from '../confirm-dialog';
import { h, replaceChildren } from '../dom';
import { dateTime } from '../format';
import { errorBox, problemText } from '../problem-view';
import { refresher } from '../refresher';
import { sortableTable } from '../sortable-table';
import { consumerForm } from './consumer-form';
import { secretNotice } from './consumer-secret';
import { breadcrumb, type Page, queueHref, renderNotFound } from './page';

/**
 * A queue's push consumers: each with its target, delivery options and state; pause, resume and
 * delete one; attach a new one (an HTTP target's signing secret is shown once, right after).
 */
const refreshSeconds = 10;

export const consumersPage: Page = (main, params) => {
  const name = params.name!;
  const errors = h('div');
  const actionError = h('div');
  const status = h('p', { role: 'status' });
  const secretArea = h('div');
  let consumers: Consumer[] = [];
  let loaded = false;
  let missing = false;

  const table = sortableTable<Consumer>({
    caption: `Consumers of ${name}`,
    rowKey: (c) => c.id,
    empty: 'No consumers: messages wait for receivers to poll.',
    loading: 'Loading consumers…',
    columns: [
      {
        key: 'target',
        label: 'Target',
        value: (c) => targetOf(c).address,
        render: (c) =>
          h(
            'div',
            { class: 'consumer-target' },
            h('span', { class: 'muted' }, `${targetOf(c).kind} `),
            h('code', {}, targetOf(c).address),
            h('div', { class: 'muted' }, `id ${c.id}, created ${dateTime(c.createdAt)}`),
          ),
      },
      { key: 'batch', label: 'Batch', value: (c) => c.batchSize, numeric: true },
      { key: 'window', label: 'Window (s)', value: (c) => c.maximumBatchingWindowSeconds, numeric: true },
      { key: 'concurrency', label: 'Concurrency', value: (c) => c.maximumConcurrency, numeric: true },
      {
        key: 'failures',
        label: 'Item failures',
        value: (c) => (c.reportBatchItemFailures ? 'reported' : 'whole batch'),
      },
      {
        key: 'state',
        label: 'State',
        value: (c) => (c.enabled ? 'delivering' : 'paused'),
        render: (c) => (c.enabled ? 'delivering' : h('strong', {}, 'paused')),
      },
      { key: 'updated', label: 'Changed', value: (c) => c.updatedAt, render: (c) => dateTime(c.updatedAt) },
      { key: 'actions', label: 'Actions', value: () => '', render: (c) => actions(c) },
    ],
  });

  function show(next: Consumer[]): void {
    consumers = next;
    loaded = true;
    table.update(consumers);
  }

  function actions(c: Consumer): HTMLElement {
    const target = targetOf(c).address;
    const toggle = h(
      'button',
      {
        type: 'button',
        class: 'secondary small',
        'aria-label': `${c.enabled ? 'Pause' : 'Resume'} ${target}`,
      },
      c.enabled ? 'Pause' : 'Resume',
    );
    toggle.addEventListener('click', () =>
      act(toggle, async () => {
        const updated = await api.updateConsumer(name, c.id, { enabled: !c.enabled });
        show(consumers.map((other) => (other.id === c.id ? updated : other)));
        return updated.enabled
          ? `Delivery to ${target} resumed.`
          : `Delivery to ${target} paused: its messages wait in ${name}.`;
      }),
    );
    const remove = h(
      'button',
      { type: 'button', class: 'danger small', 'aria-label': `Delete ${target}` },
      'Delete…',
    );
    remove.addEventListener('click', async () => {
      const ok = await confirmDialog({
        title: `Delete this consumer of ${name}?`,
        message: `Nothing more is pushed to ${target}. The queue and its messages stay. This cannot be undone.`,
        confirmLabel: 'Delete consumer',
      });
      if (!ok) return;
      await act(remove, async () => {
        await api.deleteConsumer(name, c.id);
        show(consumers.filter((other) => other.id !== c.id));
        return `Consumer of ${target} deleted.`;
      });
    });
    return h('div', { class: 'row-actions' }, toggle, remove);
  }

  /** Runs a row's action: its outcome in the status line, a refusal in words, never thrown. */
  async function act(button: HTMLButtonElement, action: () => Promise<string>): Promise<void> {
    button.disabled = true;
    replaceChildren(actionError);
    status.textContent = '';
    try {
      const done = await action();
      status.textContent = done;
      announce(done);
    } catch (error) {
      if (error instanceof ApiProblem && error.needsCredentials) return;
      replaceChildren(actionError, errorBox(error));
    } finally {
      button.disabled = false;
    }
  }

  const live = refresher(async () => {
    try {
      show((await api.listConsumers(name)).consumers);
      replaceChildren(errors);
    } catch (error) {
      if (error instanceof ApiProblem && error.status === 404) showNotFound();
      if (missing) return;
      if (!loaded) table.showStatus(`The consumers could not be loaded: ${problemText(error)}`);
      replaceChildren(errors, errorBox(error));
      throw error;
    }
  }, refreshSeconds);

  function showNotFound(): void {
    if (missing) return;
    missing = true;
    live.stop();
    renderNotFound(main, { kind: 'queue', name, listLabel: 'Queues', listHref: '#/' });
  }

  async function created(consumer: Consumer): Promise<void> {
    show([...consumers.filter((c) => c.id !== consumer.id), consumer]);
    status.textContent = `Consumer of ${targetOf(consumer).address} created.`;
    if (consumer.secret) {
      const notice = secretNotice(consumer, () => {
        replaceChildren(secretArea);
        main.querySelector<HTMLElement>('h1')?.focus();
      });
      replaceChildren(secretArea, notice);
      notice.querySelector<HTMLElement>('h2')?.focus();
    }
  }

  const section = (id: string, title: string, ...content: (Node | string)[]) =>
    h('section', { class: 'card', 'aria-labelledby': id }, h('h2', { id }, title), ...content);

  replaceChildren(
    main,
    breadcrumb(
      [
        ['Queues', '#/'],
        [name, queueHref(name)],
      ],
      'Consumers',
    ),
    h('div', { class: 'page-head' }, h('h1', {}, `Consumers of ${name}`), live.element),
    errors,
    secretArea,
    section(
      'consumers-title',
      'Push consumers',
      h(
        'p',
        { class: 'hint' },
        `Each gets ${name}'s messages in batches, as the Lambda SQS event, without polling: `,
        'a failed batch comes back after the visibility timeout. At most 10 consumers a queue.',
      ),
      table.element,
      actionError,
      status,
    ),
    section('create-consumer-title', 'Attach a consumer', consumerForm(name, created)),
  );
  return () => live.stop();
};

/** What a consumer pushes to, in words, and its address. */
export function targetOf(c: Consumer): { kind: string; address: string } {
  if ('url' in c.target) return { kind: 'HTTP', address: c.target.url };
  if ('functionArn' in c.target) return { kind: 'Lambda', address: c.target.functionArn };
  return { kind: 'module', address: c.target.module };
}
