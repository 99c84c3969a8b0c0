import { type Violation, violation } from '../checks/types';
import { type ScaledClock, sleepReal } from '../clock';

/**
 * Scheduled delivery under the run's faults, on a queue of its own (REST): messages due a few
 * seconds ahead (service time), every third cancelled right after its send, and a consumer that
 * receives and deletes. Checked by message id: none delivered before its deliverAt, none of the
 * acknowledged and not cancelled ones lost, no cancelled one delivered. A cancel answered 204, or
 * 404 after a retry (its first attempt applied, the answer lost), cancelled it; 409 did not; a cancel
 * that never got an answer is uncertain and left out of both checks.
 */
export interface ScheduleRunResult {
  sent: number;
  cancelled: number;
  uncertain: number;
  delivered: number;
  violations: Violation[];
}

interface Scheduled {
  messageId: string;
  deliverAt: number;
  cancel: 'no' | 'yes' | 'uncertain';
}

async function call(url: string, method: string, path: string, body?: unknown) {
  for (let attempt = 1; ; attempt++) {
    try {
      const response = await fetch(url + path, {
        method,
        headers: { 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await response.text();
      if ((response.status >= 500 || response.status === 429) && attempt < 8) {
        await sleepReal(20 * 2 ** Math.min(attempt, 5));
        continue;
      }
      return { status: response.status, attempt, body: text ? JSON.parse(text) : undefined };
    } catch {
      if (attempt >= 8) return { status: 0, attempt, body: undefined };
      await sleepReal(20 * 2 ** Math.min(attempt, 5));
    }
  }
}

export async function runScheduled(options: {
  url: string;
  queue: string;
  clock: ScaledClock;
  count: number;
  log: (line: string) => void;
}): Promise<ScheduleRunResult> {
  const { url, clock } = options;
  const path = `/queues/${options.queue}`;
  const created = await call(url, 'POST', '/queues', { name: options.queue, visibilityTimeoutSeconds: 30 });
  if (created.status >= 300) throw new Error(`could not create ${options.queue}: ${created.status}`);
  const scheduled = new Map<string, Scheduled>();
  const deliveries: { messageId: string; at: number }[] = [];
  const sending = (async () => {
    for (let i = 0; i < options.count; i++) {
      const deliverAt = clock.now() + 2_000 + Math.floor(Math.random() * 18_000);
      const sent = await call(url, 'POST', `${path}/messages`, {
        body: `sched-${i}`,
        deliverAt: new Date(deliverAt).toISOString(),
      });
      if (sent.status !== 201) continue;
      const entry: Scheduled = { messageId: sent.body.messageId, deliverAt, cancel: 'no' };
      scheduled.set(entry.messageId, entry);
      if (i % 3 !== 0) continue;
      const cancel = await call(url, 'DELETE', `${path}/messages/scheduled/${entry.messageId}`);
      if (cancel.status === 204 || (cancel.status === 404 && cancel.attempt > 1)) entry.cancel = 'yes';
      else if (cancel.status !== 409) entry.cancel = 'uncertain';
    }
  })();
  let sendingDone = false;
  sending.finally(() => {
    sendingDone = true;
  });
  const expected = () => [...scheduled.values()].filter((s) => s.cancel === 'no');
  const deliveredIds = new Set<string>();
  const consuming = (async () => {
    let idleSince: number | undefined;
    for (;;) {
      const got = await call(url, 'POST', `${path}/messages/receive`, {
        maxMessages: 10,
        waitTimeSeconds: 1,
      });
      const at = clock.now();
      const messages: { messageId: string; receiptHandle: string }[] = got.body?.messages ?? [];
      for (const m of messages) {
        deliveries.push({ messageId: m.messageId, at });
        deliveredIds.add(m.messageId);
        await call(url, 'DELETE', `${path}/messages/${encodeURIComponent(m.receiptHandle)}`);
      }
      const lastDue = Math.max(0, ...[...scheduled.values()].map((s) => s.deliverAt));
      const allIn = expected().every((s) => deliveredIds.has(s.messageId));
      // Done once every expected message came and the last due time is well past (late ones would show).
      if (sendingDone && allIn && at > lastDue + 5_000) return;
      if (messages.length === 0) idleSince ??= Date.now();
      else idleSince = undefined;
      if (sendingDone && at > lastDue && idleSince !== undefined && Date.now() - idleSince > 60_000) return;
    }
  })();
  await Promise.all([sending, consuming]);

  const violations: Violation[] = [];
  for (const d of deliveries) {
    const s = scheduled.get(d.messageId);
    if (!s) continue; // a copy whose send was never acknowledged
    if (d.at < s.deliverAt) {
      violations.push(
        violation('scheduled: delivered early', `${d.at - s.deliverAt} ms before its deliverAt`, d.messageId),
      );
    }
    if (s.cancel === 'yes') violations.push(violation('scheduled: cancelled but delivered', '', d.messageId));
  }
  for (const s of expected()) {
    if (!deliveredIds.has(s.messageId))
      violations.push(violation('scheduled: lost', 'never delivered', s.messageId));
  }
  const values = [...scheduled.values()];
  const result = {
    sent: values.length,
    cancelled: values.filter((s) => s.cancel === 'yes').length,
    uncertain: values.filter((s) => s.cancel === 'uncertain').length,
    delivered: deliveredIds.size,
    violations,
  };
  options.log(
    `scheduled: ${result.sent} sent, ${result.cancelled} cancelled (${result.uncertain} uncertain), ` +
      `${result.delivered} delivered, ${violations.length} violations`,
  );
  return result;
}
