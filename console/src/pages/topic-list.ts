import type { Topic } from '../../../functions/dialects/rest/client-types';
import { announce } from '../announcer';
import { allTopics, api } from '../api';
import { h, replaceChildren } from '../dom';
import { checkedForm, field, textInput } from '../form-fields';
import { errorBox } from '../problem-view';
import { refresher } from '../refresher';
import { sortableTable } from '../sortable-table';
import { type Page, topicHref } from './page';

/** Every topic (SNS fan-out to queues), with a form to create one. */
const refreshSeconds = 10;

export const topicListPage: Page = (main) => {
  let loaded = false;
  const errors = h('div');
  const summary = h('p', { class: 'summary' });
  const table = sortableTable<Topic>({
    caption: 'Topics',
    rowKey: (topic) => topic.name,
    empty: 'No topics yet: create one below.',
    loading: 'Loading topics…',
    columns: [
      {
        key: 'name',
        label: 'Topic',
        value: (topic) => topic.name,
        render: (topic) => h('a', { href: topicHref(topic.name) }, topic.name),
      },
      { key: 'type', label: 'Type', value: (topic) => (topic.fifo ? 'FIFO' : 'standard') },
      { key: 'arn', label: 'ARN', value: (topic) => topic.arn, render: (topic) => h('code', {}, topic.arn) },
    ],
  });

  const live = refresher(async () => {
    try {
      const topics = await allTopics();
      loaded = true;
      replaceChildren(errors);
      table.update(topics);
      summary.textContent = `${topics.length} ${topics.length === 1 ? 'topic' : 'topics'}.`;
    } catch (error) {
      replaceChildren(errors, errorBox(error));
      if (!loaded) table.showStatus('Could not load the topics; retrying.');
      throw error;
    }
  }, refreshSeconds);

  replaceChildren(
    main,
    h('div', { class: 'page-head' }, h('h1', {}, 'Topics'), live.element),
    h(
      'p',
      { class: 'muted' },
      'A topic hands each published message to every subscribed queue whose filter policy it passes.',
    ),
    errors,
    summary,
    table.element,
    createTopicForm(() => live.now()),
  );
  return () => live.stop();
};

function createTopicForm(created: () => Promise<void>): HTMLElement {
  const name = field(
    'name',
    'Topic name',
    textInput({ required: true, pattern: '[A-Za-z0-9_\\-]{1,256}(\\.fifo)?' }),
    'Letters, digits, - and _; a name ending in .fifo makes a FIFO topic',
  );
  const form = checkedForm({
    attributes: { 'aria-labelledby': 'create-topic-title' },
    fields: [name],
    submitLabel: 'Create topic',
    read: () => ({ name: name.input.value.trim() }),
    submit: async (request, form) => {
      const topic = await api.createTopic({
        ...request,
        ...(request.name.endsWith('.fifo') ? { fifo: true } : {}),
      });
      announce(`Topic ${topic.name} created.`);
      form.reset();
      await created();
      document.querySelector<HTMLAnchorElement>(`a[href="${topicHref(topic.name)}"]`)?.focus();
    },
  });
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'create-topic-title' },
    h('h2', { id: 'create-topic-title' }, 'Create a topic'),
    form,
  );
}
