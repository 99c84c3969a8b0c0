import type { PeekedMessage } from '../../../functions/dialects/rest/client-types';
import { messageStateLabels } from '../../../functions/dialects/rest/message-states';
import { api } from '../api';
import { h, replaceChildren, uniqueId } from '../dom';
import { dateTime } from '../format';
import { attributeList, bodyBlock, facts, preview } from '../message-details';
import { errorBox } from '../problem-view';

/** Peeks at a queue's messages without leasing them: receive counts and leases stay as they are. */

export function peekPanel(queueName: string): HTMLElement {
  const limitId = uniqueId('peek-limit');
  const limit = h(
    'select',
    { id: limitId },
    [10, 25, 50].map((n) => h('option', { value: n }, String(n))),
  );
  const scheduledId = uniqueId('peek-scheduled');
  const scheduledOnly = h('input', { type: 'checkbox', id: scheduledId });
  const button = h('button', { type: 'button' }, 'Peek at messages');
  const output = h('div', { class: 'peek-output' });
  const status = h('p', { role: 'status', class: 'muted' });
  button.addEventListener('click', async () => {
    button.disabled = true;
    status.textContent = 'Loading…';
    try {
      const { messages } = await api.peek(
        queueName,
        Number(limit.value),
        scheduledOnly.checked ? 'delayed' : undefined,
      );
      status.textContent = `${messages.length} ${messages.length === 1 ? 'message' : 'messages'} shown, none leased.`;
      replaceChildren(
        output,
        messages.length === 0
          ? h('p', {}, 'The queue holds no messages.')
          : messageList(queueName, messages, status),
      );
    } catch (error) {
      status.textContent = '';
      replaceChildren(output, errorBox(error));
    } finally {
      button.disabled = false;
    }
  });
  return h(
    'div',
    {},
    h(
      'div',
      { class: 'toolbar' },
      h('label', { for: limitId }, 'How many'),
      limit,
      scheduledOnly,
      h('label', { for: scheduledId }, 'Scheduled only'),
      button,
    ),
    status,
    output,
  );
}

function messageList(queueName: string, messages: PeekedMessage[], status: HTMLElement): HTMLElement {
  return h(
    'ul',
    { class: 'messages' },
    messages.map((message) =>
      h(
        'li',
        { class: 'message' },
        h(
          'details',
          {},
          h(
            'summary',
            {},
            h(
              'span',
              { class: `badge ${message.state}` },
              messageStateLabels[message.state] ?? message.state,
            ),
            ' ',
            ...(message.priority
              ? [h('span', { class: 'badge priority' }, `priority ${message.priority}`), ' ']
              : []),
            h('code', {}, preview(message.body, 60)),
          ),
          facts([
            ['Message id', h('code', {}, message.messageId)],
            ['Sent', dateTime(message.sentAt)],
            ['Receive count', String(message.receiveCount)],
            ['Priority', String(message.priority ?? 0)],
            ['Visible at', dateTime(message.visibleAt)],
            ...(message.deliverAt
              ? ([['Deliver at', dateTime(message.deliverAt)]] as [string, string][])
              : []),
            ...(message.groupId ? ([['Group', message.groupId]] as [string, string][]) : []),
          ]),
          ...(message.state === 'delayed' ? [cancelButton(queueName, message, status)] : []),
          h('h3', {}, 'Attributes'),
          attributeList(message.attributes),
          h('h3', {}, 'Body'),
          bodyBlock(message.body),
        ),
      ),
    ),
  );
}

/** A scheduled message not yet deliverable can be cancelled: it is then never delivered. */
function cancelButton(queueName: string, message: PeekedMessage, status: HTMLElement): HTMLElement {
  const button = h('button', { type: 'button', class: 'danger' }, 'Cancel delivery');
  button.addEventListener('click', async () => {
    button.disabled = true;
    try {
      await api.cancelScheduled(queueName, message.messageId);
      status.textContent = `Message ${message.messageId} cancelled: it will never be delivered.`;
      button.closest('li')?.remove();
    } catch (error) {
      button.replaceWith(errorBox(error));
    }
  });
  return button;
}
