import type { Queue } from '../../../functions/dialects/rest/client-types';
import { announce } from '../announcer';
import { h, replaceChildren } from '../dom';
import { inputWithId } from '../form-fields';
import { count, oldestMessageAge } from '../format';
import { errorBox } from '../problem-view';
import { deadLetterCount, queuesWithCounts, redrivePolicy } from '../queue-counts';
import { refresher } from '../refresher';
import { sortableTable } from '../sortable-table';
import { createQueueForm } from './create-queue-form';
import { deadLettersHref, type Page, queueHref } from './page';

/** Every queue with its counts, sortable and filterable, refreshed every few seconds. */
const refreshSeconds = 5;

interface Row {
  queue: Queue;
  deadLetters: number | undefined;
}

export const queueListPage: Page = (main) => {
  let queues: Queue[] = [];
  // Until the first answer there is nothing to filter: no summary, and the filter waits.
  let loaded = false;
  let lastSummary = '';
  const filter = inputWithId('filter', 'search', 'name contains…');
  const errors = h('div');
  const summary = h('p', { class: 'summary' });
  const table = sortableTable<Row>({
    caption: 'Queues and their message counts',
    rowKey: (row) => row.queue.name,
    empty: 'No queues match.',
    loading: 'Loading queues…',
    columns: [
      {
        key: 'name',
        label: 'Queue',
        value: (row) => row.queue.name,
        render: (row) => h('a', { href: queueHref(row.queue.name) }, row.queue.name),
      },
      {
        key: 'visible',
        label: 'Visible',
        numeric: true,
        value: (row) => row.queue.messages?.visible ?? -1,
        render: (row) => count(row.queue.messages?.visible),
      },
      {
        key: 'inFlight',
        label: 'In flight',
        numeric: true,
        value: (row) => row.queue.messages?.inFlight ?? -1,
        render: (row) => count(row.queue.messages?.inFlight),
      },
      {
        key: 'delayed',
        label: 'Delayed',
        numeric: true,
        value: (row) => row.queue.messages?.delayed ?? -1,
        render: (row) => count(row.queue.messages?.delayed),
      },
      {
        key: 'deadLetters',
        label: 'Dead letters',
        numeric: true,
        value: (row) => row.deadLetters ?? -1,
        render: (row) =>
          row.deadLetters === undefined
            ? '–'
            : h(
                'a',
                {
                  href: deadLettersHref(row.queue.deadLetterQueue!),
                  class: row.deadLetters > 0 ? 'warn' : undefined,
                },
                count(row.deadLetters),
              ),
      },
      {
        key: 'oldest',
        label: 'Oldest message',
        numeric: true,
        value: (row) =>
          row.queue.messages?.visible ? (row.queue.messages.oldestMessageAgeSeconds ?? -1) : -1,
        render: (row) => oldestMessageAge(row.queue.messages),
      },
      { key: 'redrive', label: 'Redrive policy', value: (row) => redrivePolicy(row.queue) },
    ],
  });

  function paint(): void {
    if (!loaded) return;
    const needle = filter.value.trim().toLowerCase();
    const byName = new Map(queues.map((queue) => [queue.name, queue]));
    const rows = queues
      .filter((queue) => queue.name.toLowerCase().includes(needle))
      .map((queue) => ({ queue, deadLetters: deadLetterCount(queue, byName) }));
    table.update(rows);
    const visible = rows.reduce((sum, row) => sum + (row.queue.messages?.visible ?? 0), 0);
    const text =
      `${rows.length} ${rows.length === 1 ? 'queue' : 'queues'}${needle ? ` matching “${filter.value.trim()}”` : ''}, ` +
      `${count(visible)} visible ${visible === 1 ? 'message' : 'messages'}.`;
    summary.textContent = text;
    // Only a change is announced: a refresh that changed nothing stays silent.
    if (text !== lastSummary) announce(text);
    lastSummary = text;
  }

  const live = refresher(async () => {
    try {
      queues = await queuesWithCounts();
      loaded = true;
      replaceChildren(errors);
      paint();
    } catch (error) {
      replaceChildren(errors, errorBox(error));
      // Queues shown before stay (with the error above them); none shown yet is no empty list.
      if (!loaded) table.showStatus('Could not load the queues; retrying.');
      throw error;
    }
  }, refreshSeconds);
  filter.addEventListener('input', paint);

  replaceChildren(
    main,
    h('div', { class: 'page-head' }, h('h1', {}, 'Queues'), live.element),
    h('div', { class: 'toolbar' }, h('label', { for: filter.id }, 'Filter by name'), filter),
    errors,
    summary,
    table.element,
    createQueueForm(() => live.now()),
  );
  return () => live.stop();
};
