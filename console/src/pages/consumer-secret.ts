import type { Consumer } from '../../../functions/dialects/rest/client-types';
import { h } from '../dom';

/**
 * The signing secret of a consumer just created with an HTTP target. The API returns it in the
 * creation's reply only, so this is the one chance to copy it: the console keeps it nowhere, and
 * it is gone once dismissed or the page is left.
 */
export function secretNotice(consumer: Consumer, dismissed: () => void): HTMLElement {
  const url = 'url' in consumer.target ? consumer.target.url : '';
  const done = h('button', { type: 'button', class: 'secondary small' }, 'I have copied it');
  done.addEventListener('click', dismissed);
  return h(
    'section',
    { class: 'notice', 'aria-labelledby': 'secret-title' },
    h('h2', { id: 'secret-title', tabindex: -1 }, 'Signing secret: shown only once'),
    h(
      'p',
      {},
      `Deliveries to ${url} carry an x-queue-signature header, an HMAC-SHA-256 under this secret. `,
      'Copy it to your endpoint now: neither the console nor the API will show it again.',
    ),
    h('pre', { class: 'body' }, h('code', { class: 'secret' }, consumer.secret ?? '')),
    done,
  );
}
