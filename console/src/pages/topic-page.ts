import type { Subscription, Topic } from '../../../functions/dialects/rest/client-types';
import { ApiProblem, allSubscriptions, api } from '../api';
import { confirmDialog } from '../confirm-dialog';
import { h, replaceChildren } from '../dom';
import { errorBox, problemText } from '../problem-view';
import { refresher } from '../refresher';
import { sortableTable } from '../sortable-table';
import { breadcrumb, type Page, queueHref, renderNotFound } from './page';
import { publishForm } from './publish-form';
import { subscribeForm } from './subscribe-form';

/**
 * One topic: its subscriptions with their filter policies, a test publish that marks the
 * subscriptions the message matched, and a form to subscribe a queue.
 */
const refreshSeconds = 10;

export const topicPage: Page = (main, params) => {
  const name = params.name!;
  const errors = h('div');
  const facts = h('dl', { class: 'facts' });
  const publishArea = h('div', {}, h('p', { class: 'muted' }, 'Loading…'));
  const status = h('p', { role: 'status' });
  let topic: Topic | undefined;
  let subscriptions: Subscription[] = [];
  let matched = new Set<string>();
  let missing = false;

  const table = sortableTable<Subscription>({
    caption: `Subscriptions of ${name}`,
    rowKey: (s) => s.id,
    empty: 'No subscriptions: messages published now reach nobody.',
    loading: 'Loading subscriptions…',
    columns: [
      {
        key: 'endpoint',
        label: 'Endpoint',
        value: (s) => endpointName(s),
        render: (s) =>
          s.protocol === 'queue' ? h('a', { href: queueHref(endpointName(s)) }, endpointName(s)) : s.endpoint,
      },
      { key: 'protocol', label: 'Protocol', value: (s) => s.protocol },
      { key: 'delivery', label: 'Delivery', value: (s) => (s.rawDelivery ? 'raw' : 'SNS envelope') },
      {
        key: 'filter',
        label: 'Filter policy',
        value: (s) => (s.filterPolicy ? JSON.stringify(s.filterPolicy) : ''),
        render: (s) =>
          s.filterPolicy
            ? h(
                'div',
                {},
                h(
                  'span',
                  { class: 'muted' },
                  `on the ${s.filterPolicyScope === 'body' ? 'body' : 'attributes'}`,
                ),
                h('pre', { class: 'body' }, h('code', {}, JSON.stringify(s.filterPolicy, null, 2))),
              )
            : 'none: every message',
      },
      {
        key: 'matched',
        label: 'Last test message',
        value: (s) => (matched.has(s.id) ? 1 : 0),
        render: (s) => (matched.has(s.id) ? h('strong', {}, 'matched') : '–'),
      },
      {
        key: 'actions',
        label: 'Actions',
        value: () => '',
        render: (s) => unsubscribeButton(s),
      },
    ],
  });

  function unsubscribeButton(s: Subscription): HTMLElement {
    const button = h(
      'button',
      { type: 'button', class: 'secondary small', 'aria-label': `Unsubscribe ${endpointName(s)}` },
      'Unsubscribe…',
    );
    button.addEventListener('click', async () => {
      const ok = await confirmDialog({
        title: `Unsubscribe ${endpointName(s)}?`,
        message: `${endpointName(s)} stops getting messages published to ${name}. The queue and its messages stay.`,
        confirmLabel: 'Unsubscribe',
      });
      if (!ok) return;
      try {
        await api.unsubscribe(name, s.id);
        status.textContent = `Unsubscribed ${endpointName(s)}.`;
        await live.now();
      } catch (error) {
        status.textContent = problemText(error);
      }
    });
    return button;
  }

  const live = refresher(async () => {
    try {
      if (!topic) {
        topic = await api.getTopic(name);
        showTopic(topic);
      }
      subscriptions = await allSubscriptions(name);
      table.update(subscriptions);
      replaceChildren(errors);
    } catch (error) {
      if (error instanceof ApiProblem && error.status === 404 && !topic) showNotFound();
      if (missing) return;
      replaceChildren(errors, errorBox(error));
      throw error;
    }
  }, refreshSeconds);

  function showTopic(t: Topic): void {
    replaceChildren(
      facts,
      h('dt', {}, 'ARN'),
      h('dd', {}, h('code', {}, t.arn)),
      h('dt', {}, 'Type'),
      h(
        'dd',
        {},
        t.fifo ? `FIFO${t.contentBasedDeduplication ? ', content-based deduplication' : ''}` : 'standard',
      ),
    );
    replaceChildren(
      publishArea,
      publishForm(name, t.fifo, (answer) => {
        matched = new Set(answer.matched);
        table.update(subscriptions);
      }),
    );
  }

  function showNotFound(): void {
    if (missing) return;
    missing = true;
    live.stop();
    renderNotFound(main, { kind: 'topic', name, listLabel: 'Topics', listHref: '#/topics' });
  }

  const section = (id: string, title: string, ...content: (Node | string)[]) =>
    h('section', { class: 'card', 'aria-labelledby': id }, h('h2', { id }, title), ...content);

  replaceChildren(
    main,
    breadcrumb([['Topics', '#/topics']], name),
    h('div', { class: 'page-head' }, h('h1', {}, name), live.element),
    errors,
    facts,
    section('subscriptions-title', 'Subscriptions', table.element, status),
    h(
      'div',
      { class: 'columns' },
      section('publish-title', 'Publish a test message', publishArea),
      section(
        'subscribe-title',
        'Subscribe a queue',
        subscribeForm(name, () => live.now()),
      ),
    ),
  );
  return () => live.stop();
};

/** A queue by name (the last part of its ARN); other endpoints as they are. */
function endpointName(s: Subscription): string {
  return s.protocol === 'queue' && s.endpoint.startsWith('arn:aws:sqs:')
    ? (s.endpoint.split(':')[5] ?? s.endpoint)
    : s.endpoint;
}
