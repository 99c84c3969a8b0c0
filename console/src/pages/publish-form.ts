import type { PublishRequest, PublishResult } from '../../../functions/dialects/rest/client-types';
import { api } from '../api';
import { h } from '../dom';
import { checkedForm, field, textInput } from '../form-fields';

type Attributes = NonNullable<PublishRequest['attributes']>;

/**
 * Publishes a test message to a topic: a body, attributes (one `name=value` or `name:Type=value`
 * a line, as `dq publish --attr` takes them), a subject, and on FIFO topics a group and a
 * deduplication id. The answer says which subscriptions the message matched.
 */
export function publishForm(
  topic: string,
  fifo: boolean,
  published: (result: PublishResult) => void,
): HTMLElement {
  const body = field('body', 'Message body', h('textarea', { rows: 3, required: true }));
  const attributes = field(
    'attributes',
    'Message attributes (optional)',
    h('textarea', { rows: 2, spellcheck: 'false' }),
    'One name=value a line (a String), or name:Number=42, name:String.Array=["a","b"]',
  );
  const subject = field('subject', 'Subject (optional)', textInput());
  const group = field('groupId', 'Message group', textInput({ required: true }), 'Required on FIFO topics');
  const deduplication = field(
    'deduplicationId',
    'Deduplication id (optional)',
    textInput(),
    'Without one, a topic with content-based deduplication uses the body',
  );
  const result = h('div', { class: 'result', role: 'status' });
  return checkedForm({
    fields: [body, attributes, subject, ...(fifo ? [group, deduplication] : [])],
    submitLabel: 'Publish message',
    result,
    precheck: () => {
      const parsed = parseAttributes(attributes.input.value);
      if (typeof parsed !== 'string') return true;
      attributes.setError(parsed);
      attributes.input.focus();
      return false;
    },
    read: () => {
      const parsed = parseAttributes(attributes.input.value);
      if (typeof parsed === 'string') return undefined;
      const request: PublishRequest = { body: body.input.value };
      if (Object.keys(parsed).length > 0) request.attributes = parsed;
      if (subject.input.value.trim()) request.subject = subject.input.value;
      if (fifo) request.groupId = group.input.value;
      if (fifo && deduplication.input.value.trim()) request.deduplicationId = deduplication.input.value;
      return request;
    },
    submit: async (request) => {
      const answer = await api.publish(topic, request);
      result.textContent =
        answer.matched.length === 0
          ? `Published ${answer.messageId}: it matched no subscription, so nothing was delivered.`
          : `Published ${answer.messageId}: it matched ${answer.matched.length} ${answer.matched.length === 1 ? 'subscription' : 'subscriptions'} (marked in the table).`;
      published(answer);
    },
  });
}

/** The attribute lines, or what is wrong with the first bad one. */
export function parseAttributes(text: string): Attributes | string {
  const out: Attributes = {};
  for (const [index, line] of text.split('\n').entries()) {
    if (line.trim() === '') continue;
    const at = line.indexOf('=');
    if (at <= 0) return `Line ${index + 1} is not name=value or name:Type=value.`;
    const [name = '', type = 'String'] = line.slice(0, at).trim().split(/:(.*)/s);
    const value = line.slice(at + 1).trim();
    if (!/^(String|Number|Binary)(\.\S+)?$/.test(type)) {
      return `Line ${index + 1}: the type must be String, Number, String.Array or Binary, not ${type}.`;
    }
    out[name] = type.startsWith('Binary')
      ? { dataType: type, binaryValue: value }
      : { dataType: type, stringValue: value };
  }
  return out;
}
