import { api } from '../api';
import { h } from '../dom';
import { count } from '../format';
import { consumersHref } from './page';

/**
 * The queue page's link to the queue's push consumers: how many there are (the tile's value,
 * like the dead letters'). Counted once when the page opens, not on every refresh: the list is a
 * query of its own, and consumers change far less often than counts.
 */
export function consumersLink(queue: string): HTMLAnchorElement {
  const link = h('a', { href: consumersHref(queue), 'aria-label': 'Push consumers' }, '–');
  api.listConsumers(queue).then(
    ({ consumers }) => {
      const n = consumers.length;
      link.textContent = count(n);
      link.setAttribute('aria-label', `${count(n)} push ${n === 1 ? 'consumer' : 'consumers'}`);
    },
    // The link still leads to the consumers page, which says what went wrong.
    () => undefined,
  );
  return link;
}
