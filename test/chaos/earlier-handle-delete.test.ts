import { expect, test } from 'vitest';
import { checkStorage } from '../../chaos/checks/storage';
import type { CheckInput } from '../../chaos/checks/types';
import { createQueueClient } from '../../chaos/clients';
import { type DeleteCall, Ledger } from '../../chaos/ledger';
import { ManualClock } from '../../functions/queue/clock';
import { createQueue, queueName, useChaosService } from './support';

/**
 * Since issue 14 the SQS dialect deletes with the handle of an earlier lease (AWS's rule), and such
 * a delete names no lease token to DynamoDB. The storage check read the token from the DynamoDB
 * call, so it took every SQS delete landing within a lease, even the holder's own, for a delete by
 * an older handle: the short chaos run reported 164 "stale delete" violations. The check now asks
 * the ledger whose handle the delete carried; a REST delete (strict rule) that removed a message
 * under a newer lease is still a violation.
 */
const clock = new ManualClock(Date.now());
const chaos = useChaosService({ clock });

test("an SQS delete by an earlier lease's handle follows AWS's rule and is no stale delete; the REST rule still is", async () => {
  const queue = queueName('earlier');
  await createQueue(chaos.url(), { name: queue, visibilityTimeoutSeconds: 30 });
  const sqs = createQueueClient('sqs-json', chaos.url(), chaos.service().runtime.account, queue);
  await sqs.send([{ id: 'a', body: 'k-earlier first' }]);
  const [first] = await sqs.receive({ maxMessages: 1, waitSeconds: 0, visibilitySeconds: 10 });
  clock.advance(11_000);
  const [second] = await sqs.receive({ maxMessages: 1, waitSeconds: 0 });
  expect(second?.messageId).toBe(first!.messageId);
  const messageId = first!.messageId;

  const startedAt = clock.now();
  await sqs.delete(first!.receiptHandle);
  const leases = chaos.oracle.leases.filter((l) => l.messageId === messageId).sort((a, b) => a.at - b.at);
  expect(leases).toHaveLength(2);
  const removals = chaos.oracle.writes.filter((w) => w.messageId === messageId && w.kind === 'remove');
  expect(removals).toHaveLength(1);

  const check = (dialect: DeleteCall['dialect']) => {
    const ledger = new Ledger();
    ledger.deletes.push({
      queue,
      messageId,
      token: leases[0]!.token,
      via: 'single',
      worker: 'c0',
      dialect,
      startedAt,
      endedAt: clock.now(),
      outcome: 'deleted',
      attempts: 1,
    });
    // The storage check reads only the oracle and the ledger.
    return checkStorage({ oracle: chaos.oracle, ledger } as unknown as CheckInput);
  };
  const sqsCheck = check('sqs-json');
  expect(sqsCheck.violations).toEqual([]);
  expect(sqsCheck.figures.earlierHandleDeletes).toBe(1);
  expect(check('rest').violations.map((v) => v.check)).toEqual(['stale delete']);
});
