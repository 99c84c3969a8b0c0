import { h, replaceChildren } from '../dom';

/** A page renders itself into the main landmark and returns what stops its timers. */
export type Page = (main: HTMLElement, params: Record<string, string>) => (() => void) | undefined;

export const queueHref = (name: string) => `#/queues/${encodeURIComponent(name)}`;
export const topicHref = (name: string) => `#/topics/${encodeURIComponent(name)}`;
export const archiveHref = (name: string) => `#/queues/${encodeURIComponent(name)}/archive`;
export const deadLettersHref = (name: string) => `#/queues/${encodeURIComponent(name)}/dead-letters`;
export const consumersHref = (name: string) => `#/queues/${encodeURIComponent(name)}/consumers`;

/** Where a page stands: links to the pages above it, then its own name, marked as the current page. */
export function breadcrumb(above: [label: string, href: string][], current: string): HTMLElement {
  return h(
    'nav',
    { 'aria-label': 'Breadcrumb', class: 'breadcrumb' },
    above.flatMap(([label, href]) => [h('a', { href }, label), ' / ']),
    h('span', { 'aria-current': 'page' }, current),
  );
}

/**
 * What a page shows when the queue or topic it names does not exist (any more): the same words and
 * landmarks for both, with the way back to their list.
 */
export function renderNotFound(
  main: HTMLElement,
  what: { kind: 'queue' | 'topic'; name: string; listLabel: string; listHref: string },
): void {
  const title = `${what.kind === 'queue' ? 'Queue' : 'Topic'} not found`;
  document.title = `${title} · Queue console`;
  replaceChildren(
    main,
    breadcrumb([[what.listLabel, what.listHref]], what.name),
    h('h1', { tabindex: -1 }, title),
    h(
      'p',
      { role: 'alert' },
      `There is no ${what.kind} named “${what.name}”: it may have been deleted, or the address is mistyped.`,
    ),
    h('p', {}, h('a', { href: what.listHref }, `Back to the ${what.kind}s`)),
  );
}
