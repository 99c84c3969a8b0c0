import type { ArchivedMessage, Replay } from '../../../functions/dialects/rest/client-types';
import { announce } from '../announcer';
import { api } from '../api';
import { h, replaceChildren, uniqueId } from '../dom';
import { count, dateTime } from '../format';
import { attributeList, bodyBlock, facts, preview } from '../message-details';
import { errorBox, problemText } from '../problem-view';
import { breadcrumb, type Page, queueHref } from './page';
import { taskProgress } from './task-progress';

/**
 * A queue's archive: browse it by sent time (oldest first, an attribute filter, paged), and replay
 * a time range of it into the queue or another one, with a progress bar and cancel.
 */
const pageSize = 50;

interface Range {
  from?: string;
  to?: string;
  attributeName?: string;
  attributeValue?: string;
}

export const archivePage: Page = (main, params) => {
  const name = params.name!;
  let range: Range = {};
  let loaded: ArchivedMessage[] = [];
  let nextToken: string | undefined;

  const list = h('ul', { class: 'dead-letters', 'aria-label': 'Archived messages' });
  const listStatus = h('p', { role: 'status', class: 'summary' });
  const errors = h('div');
  const more = h('button', { type: 'button', class: 'secondary', hidden: true }, 'Load more');
  const destination = h('input', { id: uniqueId('destination'), type: 'text', placeholder: name });
  const rate = h('input', { id: uniqueId('rate'), type: 'number', min: 1, max: 500, step: 1 });
  const replayButton = h('button', { type: 'button' }, 'Replay this range');
  const replayError = h('div');
  const progress = taskProgress<Replay>(
    {
      id: 'replay',
      noun: 'Replay',
      get: (taskId) => api.getReplay(name, taskId),
      cancel: (taskId) => api.cancelReplay(name, taskId),
      view: (task) => ({
        taskId: task.taskId,
        status: task.status,
        done: task.replayed,
        total: task.toReplay,
      }),
      words(task, total) {
        const into = ` into ${task.destination}`;
        const replayed = `${count(task.replayed)} ${task.replayed === 1 ? 'message' : 'messages'} replayed${into}`;
        const words: Record<string, string> = {
          RUNNING: `Replaying: ${count(task.replayed)} of about ${count(total)} replayed${into}.`,
          CANCELLING: `Cancelling: ${replayed} so far.`,
          COMPLETED: `Replay complete: ${replayed}.`,
          CANCELLED: `Replay cancelled: ${replayed}.`,
          FAILED: `Replay failed after ${replayed}: ${task.failureReason ?? 'no reason given'}.`,
        };
        return words[task.status] ?? task.status;
      },
    },
    () => undefined,
  );

  function paint(): void {
    replaceChildren(
      list,
      loaded.map((message) => item(message)),
    );
    if (loaded.length === 0) list.append(h('li', { class: 'empty' }, 'No archived messages in this range.'));
    listStatus.textContent = `${count(loaded.length)} archived ${loaded.length === 1 ? 'message' : 'messages'} shown${nextToken ? ', more to load' : ''}.`;
    more.hidden = !nextToken;
  }

  function item(message: ArchivedMessage): HTMLElement {
    return h(
      'li',
      { class: 'dead-letter archived' },
      h('div', { class: 'dead-letter-head' }, h('code', {}, message.messageId)),
      h('p', { class: 'reason' }, `Sent ${dateTime(message.sentAt)}`),
      h('p', { class: 'preview' }, h('code', {}, preview(message.body))),
      h(
        'details',
        {},
        h(
          'summary',
          {},
          'Details',
          h('span', { class: 'visually-hidden' }, ` of message ${message.messageId}`),
        ),
        facts([
          ['Sent', dateTime(message.sentAt)],
          ['Group', message.groupId ?? '–'],
          ['Kept until', dateTime(message.archivedUntil)],
        ]),
        h('h3', {}, 'Attributes'),
        attributeList(message.attributes),
        h('h3', {}, 'Body'),
        bodyBlock(message.body),
      ),
    );
  }

  async function load(append: boolean): Promise<void> {
    try {
      const page = await api.archive(name, {
        limit: pageSize,
        ...(append && nextToken ? { nextToken } : {}),
        ...range,
      });
      loaded = append ? [...loaded, ...page.messages] : page.messages;
      nextToken = page.nextToken;
      replaceChildren(errors);
      paint();
    } catch (error) {
      replaceChildren(errors, errorBox(error));
    }
  }
  more.addEventListener('click', () => void load(true));

  replayButton.addEventListener('click', async () => {
    replaceChildren(replayError);
    const to = destination.value.trim();
    const perSecond = rate.value ? Number(rate.value) : undefined;
    try {
      // A replay needs a range; the browse filter's, with "the archive's start" and "now" for the blanks.
      const task = await api.startReplay(name, {
        from: range.from ?? new Date(0).toISOString(),
        to: range.to ?? new Date().toISOString(),
        ...(to ? { destination: to } : {}),
        ...(range.attributeName && range.attributeValue
          ? { attributeName: range.attributeName, attributeValue: range.attributeValue }
          : {}),
        ...(perSecond ? { maxMessagesPerSecond: perSecond } : {}),
      });
      announce(`Replay started: up to ${count(task.toReplay)} to replay.`);
      progress.follow(task);
    } catch (error) {
      replaceChildren(replayError, h('p', { class: 'error', role: 'alert' }, problemText(error)));
    }
  });

  replaceChildren(
    main,
    breadcrumb(
      [
        ['Queues', '#/'],
        [name, queueHref(name)],
      ],
      'Archive',
    ),
    h('div', { class: 'page-head' }, h('h1', {}, `Archive of ${name}`)),
    rangeForm((next) => {
      range = next;
      void load(false);
    }),
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'replay-title' },
      h('h2', { id: 'replay-title' }, 'Replay'),
      h(
        'p',
        { class: 'muted' },
        'Sends every archived message of the filter above again, as new messages, oldest first.',
      ),
      h(
        'div',
        { class: 'grid' },
        h(
          'div',
          { class: 'field' },
          h('label', { for: destination.id }, 'Destination queue (optional)'),
          destination,
        ),
        h('div', { class: 'field' }, h('label', { for: rate.id }, 'Messages per second (optional)'), rate),
      ),
      h('div', { class: 'toolbar' }, replayButton),
      replayError,
      progress.element,
    ),
    errors,
    listStatus,
    list,
    more,
  );
  void load(false);
  // A replay already running (started elsewhere) shows its progress too.
  api
    .listReplays(name)
    .then(({ replays }) => {
      const running = replays.find((task) => task.status === 'RUNNING' || task.status === 'CANCELLING');
      if (running) progress.follow(running);
    })
    .catch(() => undefined);
  return () => progress.stop();
};

function rangeForm(apply: (range: Range) => void): HTMLElement {
  const ids = {
    from: uniqueId('from'),
    to: uniqueId('to'),
    name: uniqueId('attr'),
    value: uniqueId('value'),
  };
  const from = h('input', { id: ids.from, type: 'datetime-local', step: 1 });
  const to = h('input', { id: ids.to, type: 'datetime-local', step: 1 });
  const attributeName = h('input', { id: ids.name, type: 'text', autocomplete: 'off' });
  const attributeValue = h('input', { id: ids.value, type: 'text', autocomplete: 'off' });
  const labelled = (id: string, label: string, control: HTMLElement) =>
    h('div', { class: 'field' }, h('label', { for: id }, label), control);
  const form = h(
    'form',
    { class: 'card filter' },
    h(
      'fieldset',
      {},
      h('legend', {}, 'Sent between'),
      h(
        'div',
        { class: 'grid' },
        labelled(ids.from, 'Sent from', from),
        labelled(ids.to, 'Sent until', to),
        labelled(ids.name, 'Attribute name', attributeName),
        labelled(ids.value, 'Attribute value', attributeValue),
      ),
      h(
        'div',
        { class: 'toolbar' },
        h('button', { type: 'submit' }, 'Apply filter'),
        h('button', { type: 'reset', class: 'secondary' }, 'Clear'),
      ),
    ),
  );
  const iso = (input: HTMLInputElement) => (input.value ? new Date(input.value).toISOString() : undefined);
  const current = (): Range => ({
    ...(iso(from) ? { from: iso(from)! } : {}),
    ...(iso(to) ? { to: iso(to)! } : {}),
    ...(attributeName.value.trim() ? { attributeName: attributeName.value.trim() } : {}),
    ...(attributeValue.value.trim() ? { attributeValue: attributeValue.value.trim() } : {}),
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    apply(current());
  });
  form.addEventListener('reset', () => window.setTimeout(() => apply(current()), 0));
  return form;
}
