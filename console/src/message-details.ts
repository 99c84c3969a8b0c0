import type { AttributeValue } from '../../functions/dialects/rest/client-types';
import { h } from './dom';

/** A message's attributes and body, as definition lists and preformatted text. */
export function attributeList(attributes: Record<string, AttributeValue> | undefined): HTMLElement {
  const entries = Object.entries(attributes ?? {});
  if (entries.length === 0) return h('p', { class: 'muted' }, 'No attributes.');
  return h(
    'dl',
    { class: 'attributes' },
    entries.flatMap(([name, value]) => [
      h('dt', {}, name, h('span', { class: 'muted' }, ` (${value.dataType})`)),
      h('dd', {}, value.stringValue ?? (value.binaryValue ? `base64 ${value.binaryValue}` : '')),
    ]),
  );
}

export function bodyBlock(body: string): HTMLElement {
  return h('pre', { class: 'body', tabindex: 0, 'aria-label': 'Message body' }, prettyBody(body));
}

/** JSON bodies indented, anything else as it is. */
function prettyBody(body: string): string {
  try {
    const parsed: unknown = JSON.parse(body);
    if (typeof parsed === 'object' && parsed !== null) return JSON.stringify(parsed, null, 2);
  } catch {
    // not JSON
  }
  return body;
}

export const preview = (body: string, length = 80) =>
  body.length > length ? `${body.slice(0, length)}…` : body;

/** A list of facts: label and value pairs. */
export function facts(pairs: [string, Node | string][]): HTMLElement {
  return h(
    'dl',
    { class: 'facts' },
    pairs.flatMap(([label, value]) => [h('dt', {}, label), h('dd', {}, value)]),
  );
}
