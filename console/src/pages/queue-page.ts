import type { Queue } from '../../../functions/dialects/rest/client-types';
import { activityCharts } from '../activity-chart';
import { ApiProblem, api } from '../api';
import { confirmDialog } from '../confirm-dialog';
import { h, replaceChildren, uniqueId } from '../dom';
import { count, oldestMessageAge } from '../format';
import { errorBox, problemText } from '../problem-view';
import { refresher } from '../refresher';
import { consumersLink } from './consumers-link';
import { fairTiles } from './fair-tiles';
import { archiveHref, breadcrumb, deadLettersHref, type Page, renderNotFound } from './page';
import { peekPanel } from './peek-panel';
import { sendMessageForm } from './send-message-form';
import { settingsForm } from './settings-form';

/** One queue: counts, activity chart, settings, a test send, a peek and purge. */
const refreshSeconds = 5;
const windows = [
  { minutes: 60, label: 'Last hour' },
  { minutes: 180, label: 'Last 3 hours' },
  { minutes: 360, label: 'Last 6 hours' },
  { minutes: 1440, label: 'Last 24 hours' },
];

export const queuePage: Page = (main, params) => {
  const name = params.name!;
  const counts = h('dl', { class: 'counts' });
  const errors = h('div');
  const chart = h('div', { class: 'chart-area' }, h('p', { class: 'muted' }, 'Loading statistics…'));
  const windowId = uniqueId('window');
  const windowSelect = h(
    'select',
    { id: windowId },
    windows.map((w) => h('option', { value: w.minutes }, w.label)),
  );
  const settings = h('div');
  let queue: Queue | undefined;
  let settingsShown = false;
  const consumers = consumersLink(name);

  async function refreshCounts(): Promise<void> {
    try {
      queue = await api.getQueue(name);
    } catch (error) {
      if (error instanceof ApiProblem && error.status === 404) showNotFound();
      throw error;
    }
    const dlq = queue.deadLetterQueue
      ? await api.getQueue(queue.deadLetterQueue).catch(() => undefined)
      : undefined;
    replaceChildren(
      counts,
      tile('Visible', count(queue.messages?.visible)),
      tile('In flight', count(queue.messages?.inFlight)),
      tile('Delayed', count(queue.messages?.delayed)),
      tile('Oldest message', oldestMessageAge(queue.messages)),
      tile(
        'Dead letters',
        queue.deadLetterQueue
          ? h('a', { href: deadLettersHref(queue.deadLetterQueue) }, count(dlq?.messages?.visible))
          : 'no redrive policy',
      ),
      tile(
        'Archive',
        queue.archiveRetentionSeconds > 0
          ? h('a', { href: archiveHref(name) }, `kept ${count(queue.archiveRetentionSeconds)} s`)
          : 'off',
      ),
      tile('Consumers', consumers),
      ...fairTiles(queue.messages?.fairness, tile),
    );
    if (!settingsShown) {
      settingsShown = true;
      replaceChildren(
        settings,
        settingsForm(queue, () => void live.now()),
      );
    }
  }

  async function refreshChart(): Promise<void> {
    try {
      const stats = await api.stats(name, Number(windowSelect.value));
      replaceChildren(chart, activityCharts(stats.minutes));
    } catch (error) {
      if (error instanceof ApiProblem && error.needsCredentials) throw error;
      replaceChildren(chart, h('p', { class: 'muted' }, `No statistics: ${problemText(error)}`));
    }
  }

  let missing = false;
  /** No such queue: nothing to send to or refresh, so the forms go and the refresh stops. */
  function showNotFound(): void {
    if (missing) return;
    missing = true;
    live.stop();
    const headingHadFocus = document.activeElement === main.querySelector('h1');
    renderNotFound(main, { kind: 'queue', name, listLabel: 'Queues', listHref: '#/' });
    if (headingHadFocus) main.querySelector('h1')?.focus();
  }

  const live = refresher(async () => {
    try {
      await Promise.all([refreshCounts(), refreshChart()]);
      replaceChildren(errors);
    } catch (error) {
      if (missing) return;
      replaceChildren(errors, errorBox(error));
      throw error;
    }
  }, refreshSeconds);
  windowSelect.addEventListener('change', () => void refreshChart());

  const purge = h('button', { type: 'button', class: 'danger' }, 'Purge queue…');
  const purgeStatus = h('p', { role: 'status' });
  purge.addEventListener('click', async () => {
    const visible = queue?.messages
      ? queue.messages.visible + queue.messages.inFlight + queue.messages.delayed
      : undefined;
    const ok = await confirmDialog({
      title: `Purge ${name}?`,
      message: `Every message in ${name}${visible === undefined ? '' : ` (about ${count(visible)})`} is deleted, in flight or not. This cannot be undone.`,
      confirmLabel: 'Purge',
    });
    if (!ok) return;
    try {
      const { purged } = await api.purgeQueue(name);
      purgeStatus.textContent = `Purged: ${count(purged)} ${purged === 1 ? 'message' : 'messages'} gone; storage is freed in the background.`;
      await live.now();
    } catch (error) {
      purgeStatus.textContent = problemText(error);
    }
  });

  const section = (id: string, title: string, ...content: (Node | string)[]) =>
    h('section', { class: 'card', 'aria-labelledby': id }, h('h2', { id }, title), ...content);

  replaceChildren(
    main,
    breadcrumb([['Queues', '#/']], name),
    h('div', { class: 'page-head' }, h('h1', {}, name), live.element),
    errors,
    counts,
    section(
      'activity-title',
      'Activity',
      h('div', { class: 'toolbar' }, h('label', { for: windowId }, 'Time window'), windowSelect),
      chart,
    ),
    h(
      'div',
      { class: 'columns' },
      section('settings-title', 'Settings', settings),
      section(
        'send-title',
        'Send a test message',
        sendMessageForm(name, () => void live.now()),
      ),
    ),
    section(
      'peek-title',
      'Peek at messages',
      h('p', { class: 'hint' }, 'Shows messages without leasing them: nobody’s receive is affected.'),
      peekPanel(name),
    ),
    section('purge-title', 'Purge', h('p', {}, 'Deletes every message in the queue.'), purge, purgeStatus),
  );
  return () => live.stop();
};

function tile(label: string, value: Node | string): HTMLElement {
  return h(
    'div',
    { class: 'tile' },
    h('dt', { class: 'tile-label' }, label),
    h('dd', { class: 'tile-value' }, value),
  );
}
