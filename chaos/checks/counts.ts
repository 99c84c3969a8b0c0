import type { StoredState } from '../audit';
import { rest } from '../rest-calls';
import { type Violation, violation } from './types';

/**
 * The counts the service shows (REST `GET /queues/{name}`, read from the counters the messages
 * table's stream keeps) against what each queue holds once the run has stopped. The total must be
 * exact; a message whose visible-at lies within a second of the reads may sit on either side of
 * visible/hidden (counters take visible-at to its second), so each state may differ by those only.
 */
export async function checkCounts(
  url: string,
  queues: { name: string; stored: Map<string, StoredState> }[],
  readFrom: number,
  now: () => number,
): Promise<{ violations: Violation[]; figures: string[] }> {
  const violations: Violation[] = [];
  const figures: string[] = [];
  for (const { name, stored } of queues) {
    const shown = (
      (await rest(url, 'GET', `/queues/${encodeURIComponent(name)}`)) as {
        messages: { visible: number; inFlight: number; delayed: number };
      }
    ).messages;
    const readTo = now();
    const truth = { visible: 0, inFlight: 0, delayed: 0 };
    let unsure = 0;
    for (const state of stored.values()) {
      if (state.visibleAt > readFrom - 1_000 && state.visibleAt <= readTo + 1_000) unsure++;
      if (state.visibleAt <= readTo) truth.visible++;
      else if (state.receiveCount > 0) truth.inFlight++;
      else truth.delayed++;
    }
    const total = (c: typeof truth) => c.visible + c.inFlight + c.delayed;
    figures.push(
      `${name}: shown ${shown.visible}/${shown.inFlight}/${shown.delayed}, stored ${truth.visible}/${truth.inFlight}/${truth.delayed} (visible/in flight/delayed)`,
    );
    if (total(shown) !== total(truth)) {
      violations.push(
        violation('counts', `${name}: counts total ${total(shown)}, the queue holds ${total(truth)}`),
      );
    }
    for (const state of ['visible', 'inFlight', 'delayed'] as const) {
      if (Math.abs(shown[state] - truth[state]) > unsure) {
        violations.push(
          violation(
            'counts',
            `${name}: ${state} shown ${shown[state]}, held ${truth[state]} (${unsure} on the edge)`,
          ),
        );
      }
    }
  }
  return { violations, figures };
}
