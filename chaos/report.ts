import { type FaultKind, faultKinds, sumValues } from './faults';
import type { ChaosResult } from './scenario';

/** The figures of a run, as printed at its end: what was done, what was injected, what broke. */
export function formatReport(result: ChaosResult): string {
  const { ledger, faults, checks, sweeper, seconds, config } = result;
  const lines: string[] = [];
  const line = (text = '') => lines.push(text);
  const deletes = (outcome: string) => ledger.deletes.filter((d) => d.outcome === outcome).length;
  const attempts = sumValues(faults.attempts);
  const commands = sumValues(faults.commands);

  line(
    `chaos run: ${config.messages} messages, ${config.producers} producers, ${config.consumers} consumers`,
  );
  line(
    `  dialects ${config.dialects.join(', ')}; visibility ${config.visibilitySeconds} s; maxReceiveCount ${config.maxReceiveCount}; clock x${config.clockRate}`,
  );
  line();
  line('accounting (acknowledged sends)');
  for (const a of checks.accounting) {
    line(
      `  ${a.queue}: sent ${a.sent} = deleted ${a.deleted} + dead ${a.dead} + remaining ${a.remaining}` +
        ` + expired ${a.expired}; lost ${a.lost}`,
    );
    line(
      `    stored without an acknowledged send: ${a.unacknowledgedStored}; deletes acknowledged after dead-lettering: ${a.lateDeletesOfDeadLetters}`,
    );
  }
  line(`  left in the work queue when the drain ended: ${result.undrained}`);
  line();
  line('traffic');
  line(`  send attempts ${ledger.sends.length}, acknowledged ${ledger.acknowledgedSends().length}`);
  line(
    `  receive calls ${ledger.receiveCalls} (${ledger.emptyReceives} empty), deliveries ${ledger.deliveries.length}`,
  );
  line(
    `  deletes: acknowledged ${deletes('deleted')}, refused as stale ${deletes('invalid')}, given up ${deletes('failed')}`,
  );
  line(
    `  consumer crashes ${ledger.crashes}, stalls past the lease ${ledger.stalls}, deletes at the lease end ${ledger.lateDeletes}`,
  );
  line(
    `  sweeper: ${sweeper.runs} runs (${sweeper.failed} failed), ${sweeper.deadLettered} dead-lettered, ${sweeper.expired} expired`,
  );
  line(`  leases granted whose handle never reached a consumer: ${checks.storage.undeliveredLeases}`);
  line(
    `  SQS deletes by an earlier lease's handle, under a newer lease (AWS's rule): ${checks.storage.earlierHandleDeletes}`,
  );
  line(
    `  rewrites of a message by a retried send: ${checks.storage.harmlessRewrites} before anyone touched it, ` +
      `${checks.storage.lateRewrites} answered after a lease or removal`,
  );
  line();
  line('faults injected into DynamoDB calls');
  line(
    `  ${commands} calls, ${attempts} attempts (SDK retries ${attempts - commands}), ${sumFaults(faults.injected)} faults`,
  );
  for (const kind of faultKinds) {
    const byCommand = faults.injected[kind];
    if (sumValues(byCommand) === 0) continue;
    const top = Object.entries(byCommand)
      .sort((a, b) => b[1] - a[1])
      .map(([command, n]) => `${command} ${n}`)
      .join(', ');
    line(
      `  ${kind.padEnd(13)}${String(sumValues(byCommand)).padStart(6)}  still failing after SDK retries: ${faults.surfaced[kind]}  (${top})`,
    );
  }
  line();
  line('retries by the clients, after a retryable answer');
  line(
    `  ${
      Object.entries(ledger.retries)
        .map(([op, n]) => `${op} ${n}`)
        .join(', ') || 'none'
    }`,
  );
  line(
    `  errors seen: ${
      Object.entries(ledger.errors)
        .map(([key, n]) => `${key} ${n}`)
        .join(', ') || 'none'
    }`,
  );
  line();
  line('service log (counted, not printed)');
  for (const [key, n] of Object.entries(result.serviceLog.counts)) line(`  ${key}: ${n}`);
  line();
  line('throughput');
  const acknowledged = ledger.acknowledgedSends().length;
  line(
    `  ${(acknowledged / seconds.producing).toFixed(1)} acknowledged sends/s over ${seconds.producing.toFixed(1)} s of producing`,
  );
  line(
    `  ${(deletes('deleted') / seconds.total).toFixed(1)} acknowledged deletes/s, ${(attempts / seconds.total).toFixed(1)} DynamoDB attempts/s over ${seconds.total.toFixed(1)} s`,
  );
  line();
  const byCheck = new Map<string, number>();
  for (const v of checks.violations) byCheck.set(v.check, (byCheck.get(v.check) ?? 0) + 1);
  line(`violations: ${checks.violations.length}`);
  for (const [check, n] of byCheck) line(`  ${check}: ${n}`);
  for (const v of checks.violations.slice(0, 20)) line(`    ${v.check} ${v.messageId ?? ''}: ${v.detail}`);
  return lines.join('\n');
}

function sumFaults(injected: Record<FaultKind, Record<string, number>>): number {
  return faultKinds.filter((k) => k !== 'latency').reduce((sum, kind) => sum + sumValues(injected[kind]), 0);
}
