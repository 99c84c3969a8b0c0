import type { DeadLetter, RedriveRequest } from '../../../functions/dialects/rest/client-types';
import { announce } from '../announcer';
import { api } from '../api';
import { h, replaceChildren, uniqueId } from '../dom';
import { inputWithId } from '../form-fields';
import { count, dateTime } from '../format';
import { attributeList, bodyBlock, facts, preview } from '../message-details';
import { errorBox, problemText } from '../problem-view';
import { breadcrumb, type Page, queueHref } from './page';
import { redriveProgress } from './redrive-progress';

/**
 * The dead letters of a dead-letter queue: browse them with their history, select some or filter
 * by time and attribute, and redrive them with a progress bar (and cancel).
 */
const pageSize = 50;

interface Filter {
  order: 'newest' | 'oldest';
  after?: string;
  before?: string;
  attributeName?: string;
  attributeValue?: string;
}

export const deadLettersPage: Page = (main, params) => {
  const name = params.name!;
  let filter: Filter = { order: 'newest' };
  let loaded: DeadLetter[] = [];
  let nextToken: string | undefined;
  const selected = new Set<string>();

  const list = h('ul', { class: 'dead-letters', 'aria-label': 'Dead letters' });
  const listStatus = h('p', { role: 'status', class: 'summary' });
  const errors = h('div');
  const more = h('button', { type: 'button', class: 'secondary', hidden: true }, 'Load more');
  const selectAllId = uniqueId('select-all');
  const selectAll = h('input', { type: 'checkbox', id: selectAllId });
  const redriveSelected = h('button', { type: 'button', disabled: true }, 'Redrive selected');
  const redriveAll = h('button', { type: 'button', class: 'secondary' }, 'Redrive all matching');
  const destination = inputWithId('destination', 'text', 'each to its source queue');
  const redriveError = h('div');
  const progress = redriveProgress(name, () => void reload());

  function paint(): void {
    // The server applies the whole filter (attribute included), so every loaded page is shown.
    const shown = loaded;
    for (const id of [...selected]) if (!shown.some((m) => m.messageId === id)) selected.delete(id);
    replaceChildren(
      list,
      shown.map((message) => item(message)),
    );
    if (shown.length === 0) list.append(h('li', { class: 'empty' }, 'No dead letters match.'));
    listStatus.textContent = `${count(shown.length)} ${shown.length === 1 ? 'dead letter' : 'dead letters'} shown${nextToken ? ', more to load' : ''}.`;
    more.hidden = !nextToken;
    selectAll.checked = shown.length > 0 && shown.every((m) => selected.has(m.messageId));
    paintSelection();
  }

  function paintSelection(): void {
    redriveSelected.disabled = selected.size === 0;
    redriveSelected.textContent = `Redrive selected (${selected.size})`;
  }

  function item(message: DeadLetter): HTMLElement {
    const id = uniqueId('dl');
    const box = h('input', { type: 'checkbox', id, value: message.messageId });
    box.checked = selected.has(message.messageId);
    box.addEventListener('change', () => {
      if (box.checked) selected.add(message.messageId);
      else selected.delete(message.messageId);
      paintSelection();
    });
    const dl = message.deadLetter;
    return h(
      'li',
      { class: 'dead-letter' },
      h(
        'div',
        { class: 'dead-letter-head' },
        box,
        h(
          'label',
          { for: id },
          h('span', { class: 'visually-hidden' }, 'Select message '),
          h('code', {}, message.messageId),
        ),
      ),
      h(
        'p',
        { class: 'reason' },
        dl ? `${dl.reason} (from ${dl.sourceQueue}, received ${dl.receiveCount}×)` : 'No dead-letter record.',
      ),
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
          ['Source queue', dl ? h('a', { href: queueHref(dl.sourceQueue) }, dl.sourceQueue) : '–'],
          ['Reason', dl?.reason ?? '–'],
          ['Sent', dateTime(message.sentAt)],
          ['First received', dateTime(dl?.firstReceivedAt)],
          ['Last received', dateTime(dl?.lastReceivedAt)],
          ['Receive count', String(dl?.receiveCount ?? '–')],
          ['Dead-lettered', dateTime(dl?.deadLetteredAt)],
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
      const page = await api.deadLetters(name, {
        order: filter.order,
        limit: pageSize,
        ...(append && nextToken ? { nextToken } : {}),
        ...(filter.after ? { deadLetteredAfter: filter.after } : {}),
        ...(filter.before ? { deadLetteredBefore: filter.before } : {}),
        ...(filter.attributeName ? { attributeName: filter.attributeName } : {}),
        ...(filter.attributeValue ? { attributeValue: filter.attributeValue } : {}),
      });
      loaded = append ? [...loaded, ...page.messages] : page.messages;
      nextToken = page.nextToken;
      replaceChildren(errors);
      paint();
    } catch (error) {
      replaceChildren(errors, errorBox(error));
    }
  }
  const reload = () => load(false);

  selectAll.addEventListener('change', () => {
    for (const message of loaded) {
      if (selectAll.checked) selected.add(message.messageId);
      else selected.delete(message.messageId);
    }
    paint();
  });
  more.addEventListener('click', () => void load(true));

  async function start(request: RedriveRequest, expected?: number): Promise<void> {
    replaceChildren(redriveError);
    const to = destination.value.trim();
    try {
      const task = await api.startRedrive(name, { ...request, ...(to ? { destination: to } : {}) });
      selected.clear();
      paintSelection();
      announce(`Redrive started: up to ${count(expected ?? task.toMove)} to move.`);
      progress.follow(task, expected);
    } catch (error) {
      replaceChildren(redriveError, h('p', { class: 'error', role: 'alert' }, problemText(error)));
    }
  }
  redriveSelected.addEventListener('click', () => void start({ messageIds: [...selected] }, selected.size));
  redriveAll.addEventListener(
    'click',
    () =>
      void start({
        ...(filter.attributeName && filter.attributeValue
          ? { attribute: { name: filter.attributeName, value: filter.attributeValue } }
          : {}),
        ...(filter.after ? { deadLetteredAfter: filter.after } : {}),
        ...(filter.before ? { deadLetteredBefore: filter.before } : {}),
      }),
  );

  replaceChildren(
    main,
    breadcrumb(
      [
        ['Queues', '#/'],
        [name, queueHref(name)],
      ],
      'Dead letters',
    ),
    h('div', { class: 'page-head' }, h('h1', {}, `Dead letters in ${name}`)),
    filterForm((next) => {
      filter = next;
      selected.clear();
      void reload();
    }),
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'redrive-title' },
      h('h2', { id: 'redrive-title' }, 'Redrive'),
      h(
        'div',
        { class: 'field' },
        h('label', { for: destination.id }, 'Destination queue (optional)'),
        destination,
      ),
      h('div', { class: 'toolbar' }, redriveSelected, redriveAll),
      redriveError,
      progress.element,
    ),
    errors,
    h(
      'div',
      { class: 'toolbar' },
      selectAll,
      h('label', { for: selectAllId }, 'Select all shown'),
      listStatus,
    ),
    list,
    more,
  );
  void load(false);
  // A task already running (started elsewhere) shows its progress too.
  api
    .listRedrives(name)
    .then(({ tasks }) => {
      const running = tasks.find((task) => task.status === 'RUNNING' || task.status === 'CANCELLING');
      if (running) progress.follow(running);
    })
    .catch(() => undefined);
  return () => progress.stop();
};

function filterForm(apply: (filter: Filter) => void): HTMLElement {
  const ids = {
    order: uniqueId('order'),
    after: uniqueId('after'),
    before: uniqueId('before'),
    name: uniqueId('attr'),
    value: uniqueId('value'),
  };
  const order = h(
    'select',
    { id: ids.order },
    h('option', { value: 'newest' }, 'Newest first'),
    h('option', { value: 'oldest' }, 'Oldest first'),
  );
  const after = h('input', { id: ids.after, type: 'datetime-local', step: 1 });
  const before = h('input', { id: ids.before, type: 'datetime-local', step: 1 });
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
      h('legend', {}, 'Filter'),
      h(
        'div',
        { class: 'grid' },
        labelled(ids.order, 'Order', order),
        labelled(ids.after, 'Dead-lettered after', after),
        labelled(ids.before, 'Dead-lettered before', before),
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
  const current = (): Filter => ({
    order: order.value === 'oldest' ? 'oldest' : 'newest',
    ...(iso(after) ? { after: iso(after)! } : {}),
    ...(iso(before) ? { before: iso(before)! } : {}),
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
