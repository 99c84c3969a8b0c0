/** A page renders itself into the main landmark and returns what stops its timers. */
export type Page = (main: HTMLElement, params: Record<string, string>) => (() => void) | undefined;

export const queueHref = (name: string) => `#/queues/${encodeURIComponent(name)}`;
export const deadLettersHref = (name: string) => `#/queues/${encodeURIComponent(name)}/dead-letters`;
