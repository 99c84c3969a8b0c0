import { announce } from '../announcer';
import { api } from '../api';
import { h } from '../dom';
import { checkedForm, field, textInput } from '../form-fields';

/** Subscribes a queue of this service to the topic, with an optional filter policy. */
export function subscribeForm(topic: string, subscribed: () => Promise<void>): HTMLElement {
  const queue = field(
    'endpoint',
    'Queue',
    textInput({ required: true }),
    'A queue name (or its ARN); it gets every message the filter lets through',
  );
  const policy = field(
    'filterPolicy',
    'Filter policy (optional)',
    h('textarea', { rows: 3, spellcheck: 'false' }),
    'SNS filter policy JSON, e.g. {"state": ["paid"]}; empty: every message',
  );
  const scope = field(
    'filterPolicyScope',
    'The policy looks at',
    h(
      'select',
      {},
      h('option', { value: 'attributes' }, 'Message attributes'),
      h('option', { value: 'body' }, 'Message body (JSON)'),
    ),
  );
  const raw = field(
    'rawDelivery',
    'Raw delivery',
    h('input', { type: 'checkbox' }),
    'Deliver the body as published, without the SNS JSON envelope',
  );
  return checkedForm({
    fields: [queue, policy, scope, raw],
    submitLabel: 'Subscribe',
    grid: true,
    precheck: () => {
      const parsed = parsePolicy(policy.input.value);
      if (typeof parsed !== 'string') return true;
      policy.setError(parsed);
      policy.input.focus();
      return false;
    },
    read: () => {
      const parsed = parsePolicy(policy.input.value);
      if (typeof parsed === 'string') return undefined;
      return {
        protocol: 'queue' as const,
        endpoint: queue.input.value.trim(),
        ...(parsed ? { filterPolicy: parsed } : {}),
        filterPolicyScope: scope.input.value as 'attributes' | 'body',
        rawDelivery: (raw.input as HTMLInputElement).checked,
      };
    },
    submit: async (request, form) => {
      await api.subscribe(topic, request);
      announce(`${request.endpoint} subscribed to ${topic}.`);
      form.reset();
      await subscribed();
    },
  });
}

/** Empty (no policy), a JSON object, or what is wrong with it. */
function parsePolicy(text: string): Record<string, unknown> | undefined | string {
  if (text.trim() === '') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return `Not JSON: ${(error as Error).message}`;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return 'A filter policy is a JSON object, e.g. {"state": ["paid"]}.';
  }
  return parsed as Record<string, unknown>;
}
