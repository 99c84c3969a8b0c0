import { h } from '../dom';

/** A page renders itself into the main landmark and returns what stops its timers. */
export type Page = (main: HTMLElement, params: Record<string, string>) => (() => void) | undefined;

export const queueHref = (name: string) => `#/queues/${encodeURIComponent(name)}`;
export const topicHref = (name: string) => `#/topics/${encodeURIComponent(name)}`;
export const deadLettersHref = (name: string) => `#/queues/${encodeURIComponent(name)}/dead-letters`;

/** Where a page stands: links to the pages above it, then its own name, marked as the current page. */
export function breadcrumb(above: [label: string, href: string][], current: string): HTMLElement {
  return h(
    'nav',
    { 'aria-label': 'Breadcrumb', class: 'breadcrumb' },
    above.flatMap(([label, href]) => [h('a', { href }, label), ' / ']),
    h('span', { 'aria-current': 'page' }, current),
  );
}
