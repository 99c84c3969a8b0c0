import { api } from '../api';
import { h } from '../dom';
import { count } from '../format';
import { consumersHref } from './page';

/**
 * The queue page's link to the queue's push consumers, saying how many there are. Counted once
 * when the page opens, not on every refresh: the list is a query of its own, and consumers change
 * far less often than counts.
 */
export function consumersLink(queue: string): HTMLAnchorElement {
  const link = h('a', { href: consumersHref(queue) }, 'see consumers');
  api.listConsumers(queue).then(
    ({ consumers }) => {
      link.textContent = `${count(consumers.length)} ${consumers.length === 1 ? 'consumer' : 'consumers'}`;
    },
    // The link still leads to the consumers page, which says what went wrong.
    () => undefined,
  );
  return link;
}
