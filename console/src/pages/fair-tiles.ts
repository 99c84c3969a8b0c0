import type { Queue } from '../../../functions/dialects/rest/client-types';
import { count, oldestMessageAge } from '../format';

type Fairness = NonNullable<NonNullable<Queue['messages']>['fairness']>;

/**
 * Fair queues on the queue page: shown only for standard queues that have had messages with a
 * group id. Noisy groups wait while quiet groups' messages are visible, so the quiet groups'
 * backlog is the one that tells whether well-behaved tenants are being served.
 */
export function fairTiles(
  fairness: Fairness | undefined,
  tile: (label: string, value: Node | string) => HTMLElement,
): HTMLElement[] {
  if (!fairness) return [];
  return [
    tile('Noisy groups', count(fairness.noisyGroups)),
    tile('Visible in quiet groups', count(fairness.quietVisible)),
    tile(
      'Oldest in quiet groups',
      oldestMessageAge({
        visible: fairness.quietVisible,
        oldestMessageAgeSeconds: fairness.quietOldestMessageAgeSeconds,
      }),
    ),
  ];
}
