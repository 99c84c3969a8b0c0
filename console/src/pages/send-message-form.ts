import { api } from '../api';
import { h } from '../dom';
import { checkedForm, field, numberInput, optionalInteger } from '../form-fields';

/** Sends a test message: a body, String attributes (one `name=value` a line), a delay and a priority. */
export function sendMessageForm(queueName: string, sent: () => void): HTMLElement {
  const body = field('body', 'Message body', h('textarea', { rows: 3, required: true }));
  const attributes = field(
    'attributes',
    'Attributes (optional)',
    h('textarea', { rows: 2, spellcheck: 'false' }),
    'One name=value a line',
  );
  const delay = field('delaySeconds', 'Delay (seconds, optional)', numberInput(0, 900));
  const priority = field(
    'priority',
    'Priority (optional)',
    numberInput(0, 9),
    '0 to 9: higher ones are received first (standard queues)',
  );
  const result = h('p', { class: 'result', role: 'status' });
  return checkedForm({
    fields: [body, attributes, delay, priority],
    submitLabel: 'Send message',
    result,
    // The attribute lines are checked first: their own message says which line is wrong.
    precheck: () => {
      const parsed = parseAttributes(attributes.input.value);
      if (typeof parsed !== 'string') return true;
      attributes.setError(parsed);
      attributes.input.focus();
      return false;
    },
    read: () => {
      const parsed = parseAttributes(attributes.input.value);
      return typeof parsed === 'string'
        ? undefined
        : { parsed, delaySeconds: optionalInteger(delay.input), priority: optionalInteger(priority.input) };
    },
    submit: async ({ parsed, delaySeconds, priority: level }) => {
      const { messageId } = await api.send(queueName, {
        body: body.input.value,
        ...(Object.keys(parsed).length > 0 ? { attributes: parsed } : {}),
        ...(delaySeconds === undefined ? {} : { delaySeconds }),
        ...(level === undefined ? {} : { priority: level }),
      });
      result.textContent = `Sent message ${messageId}.`;
      body.input.value = '';
      sent();
    },
  });
}

function parseAttributes(text: string): Record<string, string> | string {
  const attributes: Record<string, string> = {};
  for (const [index, line] of text.split('\n').entries()) {
    if (line.trim() === '') continue;
    const at = line.indexOf('=');
    if (at <= 0) return `Line ${index + 1} is not name=value.`;
    attributes[line.slice(0, at).trim()] = line.slice(at + 1).trim();
  }
  return attributes;
}
