import type { LeaseGrant } from '../oracle';
import { type CheckInput, type Violation, violation } from './types';

/**
 * What storage did to each message item, whatever the callers were told:
 * - a message item is written once: a repeated write of the same send may land only before
 *   anyone leased or removed it. Otherwise it resets a lease or brings a deleted message back,
 *   which shows as a receive count going back, or a lease granted after a removal;
 * - a delete removes it only for the holder of its newest lease, or when no lease is running;
 *   except in the SQS dialects, where (as on AWS, issue 14) the handle of an earlier lease of a
 *   message still queued deletes it too. Such a delete names no token to DynamoDB, so the ledger's
 *   delete calls under way when it landed tell whose handle it was.
 */
export interface StorageFigures {
  /** Identical rewrites of a message no one had touched yet (harmless). */
  harmlessRewrites: number;
  /** Rewrites whose answer came after a lease's or a removal's (their effect is checked apart). */
  lateRewrites: number;
  /** Leases granted whose receipt handle never reached a consumer (a lost response). */
  undeliveredLeases: number;
  /** SQS deletes by an earlier lease's handle that removed the message under a newer lease (AWS's rule). */
  earlierHandleDeletes: number;
}

export function checkStorage(input: CheckInput): { violations: Violation[]; figures: StorageFigures } {
  const { oracle, ledger } = input;
  const violations: Violation[] = [];
  const figures: StorageFigures = {
    harmlessRewrites: 0,
    lateRewrites: 0,
    undeliveredLeases: 0,
    earlierHandleDeletes: 0,
  };
  const leaseByToken = oracle.leaseByToken();
  const leasesByKey = oracle.leasesByKey();
  for (const [key, writes] of oracle.writesByKey()) {
    const leases = leasesByKey.get(key) ?? [];
    const id = writes[0]!.messageId;
    let written = false;
    let touched = false;
    for (const event of [...writes, ...leases.map(asTouch)].sort((a, b) => a.at - b.at)) {
      if (event.kind !== 'put') {
        touched = true;
        continue;
      }
      // Answers may arrive out of order, so a late answer alone proves nothing; its effects do.
      if (written && touched) figures.lateRewrites++;
      else if (written) figures.harmlessRewrites++;
      written = true;
      touched = false;
    }
    violations.push(...rewriteEffects(leases, writes));
    for (const removal of writes.filter((w) => w.kind === 'remove')) {
      const current = latestLeaseBefore(leases, removal.at);
      if (!current || removal.at >= current.end) continue;
      if (removal.via === 'delete' && removal.token === undefined) {
        // The SQS rule: the deletes of this message under way then, by whatever handle they hold.
        const calls = deletesUnderWay(ledger.deletes, id, removal.at);
        if (calls.some((d) => d.token === current.token)) continue;
        const earlier = calls.filter(
          (d) => d.dialect !== 'rest' && d.token !== undefined && leaseByToken.get(d.token)?.key === key,
        );
        if (earlier.length > 0) figures.earlierHandleDeletes++;
        else
          violations.push(
            violation(
              'stale delete',
              'a delete naming no lease removed it under a newer lease, and no SQS delete of an earlier handle of it was under way',
              id,
            ),
          );
        continue;
      }
      if (removal.via === 'delete' && removal.token !== current.token) {
        violations.push(
          violation('stale delete', 'a delete by an older receipt handle removed it under a newer lease', id),
        );
      }
      if (removal.via === 'batch' && !batchDeleteBy(ledger.deletes, id, current.token, removal.at)) {
        violations.push(
          violation(
            'stale batch delete',
            `a batch delete removed it while another consumer's lease ran (until ${current.end})`,
            id,
          ),
        );
      }
    }
  }
  const delivered = new Set(ledger.deliveries.map((d) => d.token));
  figures.undeliveredLeases = oracle.leases.filter((l) => !delivered.has(l.token)).length;
  return { violations, figures };
}

const asTouch = (lease: LeaseGrant) => ({ kind: 'lease' as const, at: lease.at });

/** The visible effects of a message item written again after it was leased or removed. */
function rewriteEffects(leases: LeaseGrant[], writes: CheckInput['oracle']['writes']): Violation[] {
  const violations: Violation[] = [];
  const byStart = [...leases].sort((a, b) => a.start - b.start);
  byStart.forEach((lease, index) => {
    const previous = byStart[index - 1];
    if (previous && lease.receiveCount <= previous.receiveCount) {
      violations.push(
        violation(
          'rewritten',
          `receive count went back from ${previous.receiveCount} to ${lease.receiveCount}: the message was written again after it was leased`,
          lease.messageId,
        ),
      );
    }
  });
  for (const removal of writes.filter((w) => w.kind === 'remove' && w.certain)) {
    const after = leases.find((lease) => lease.start > removal.at);
    if (after) {
      violations.push(
        violation(
          'resurrected',
          `leased at ${after.start}, after it was removed at ${removal.at}`,
          after.messageId,
        ),
      );
    }
  }
  return violations;
}

function latestLeaseBefore(leases: LeaseGrant[], at: number): LeaseGrant | undefined {
  return leases.filter((l) => l.at <= at).sort((a, b) => b.at - a.at)[0];
}

/** The delete calls (single or batch) of a message that were under way at `at`. */
function deletesUnderWay(deletes: CheckInput['ledger']['deletes'], messageId: string, at: number) {
  return deletes.filter((d) => d.messageId === messageId && d.startedAt <= at && at <= d.endedAt);
}

/** Whether a batch delete of this lease's own handle was under way when the removal landed. */
function batchDeleteBy(
  deletes: CheckInput['ledger']['deletes'],
  messageId: string,
  token: string,
  at: number,
): boolean {
  return deletes.some(
    (d) =>
      d.via === 'batch' &&
      d.messageId === messageId &&
      d.token === token &&
      d.startedAt <= at &&
      at <= d.endedAt,
  );
}
