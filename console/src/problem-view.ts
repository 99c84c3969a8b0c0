import { ApiProblem } from './api';
import { h } from './dom';

/** How an API failure reads: the problem's detail, its code, and what was allowed. */
export function problemText(error: unknown): string {
  if (error instanceof ApiProblem) {
    const { problem } = error;
    const parts = [problem.detail ?? problem.title ?? `HTTP ${problem.status}`];
    if (problem.code) parts.push(`(${problem.code})`);
    return parts.join(' ');
  }
  return error instanceof Error ? error.message : String(error);
}

/** An error box screen readers hear at once. */
export function errorBox(error: unknown): HTMLElement {
  return h('p', { class: 'error', role: 'alert' }, problemText(error));
}
