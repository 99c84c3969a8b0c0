import type { BundleResult } from './bundles';
import type { CapacityResult, CapacityScenario } from './capacity';
import type { RowResult } from './rows';

/** The issue's targets, each with what this run measured. */
export interface TargetCheck {
  target: string;
  measured: string;
  met: boolean | undefined;
}

export function checkTargets(
  rows: RowResult[],
  capacityResult: CapacityResult,
  bundles: BundleResult[] | undefined,
): TargetCheck[] {
  const checks: TargetCheck[] = [];
  const row = (name: string) => rows.find((r) => r.name === name && r.result);
  const ratio = (name: string) => row(name)?.ratioToCeiling;
  const rate = (name: string) => row(name)?.result?.lifecyclesPerSecond;
  const show = (value: number | undefined, digits = 2) =>
    value === undefined ? 'not measured' : value.toFixed(digits);

  for (const name of ['rest-http', 'sqs-http']) {
    const r = rows.find((x) => x.name === name);
    checks.push({
      target: `${name}: lifecycles/s >= 0.8 x ceiling`,
      measured: r && !r.available ? `not available (${r.reason})` : `${show(ratio(name))} x`,
      met: ratio(name) === undefined ? undefined : ratio(name)! >= 0.8,
    });
  }
  checks.push({
    target: 'core in-process: lifecycles/s >= 0.9 x ceiling',
    measured: `${show(ratio('core'))} x`,
    met: ratio('core') === undefined ? undefined : ratio('core')! >= 0.9,
  });
  const moto = rate('moto');
  for (const name of ['sqs-http', 'rest-http']) {
    const ours = rate(name);
    checks.push({
      target: `${name}: >= 4 x the moto peer's lifecycles/s`,
      measured: ours !== undefined && moto ? `${(ours / moto).toFixed(2)} x` : 'not measured',
      met: ours !== undefined && moto ? ours / moto >= 4 : undefined,
    });
  }

  const capacity = capacityResult.scenarios;
  const queue = (body: number, batch: number) =>
    capacity.find((c) => c.subject === 'queue' && c.bodyBytes === body && c.batch === batch);
  const wcu = (c: CapacityScenario | undefined) =>
    c ? c.perMessage.lifecycle.writeTable + c.perMessage.lifecycle.writeIndex : undefined;
  const small = queue(800, 1);
  checks.push({
    target: '<= 7 write units per 1 KB lifecycle (800 B body), index included',
    measured: `${show(wcu(small), 1)} WCU`,
    met: wcu(small) === undefined ? undefined : wcu(small)! <= 7,
  });
  const kib = queue(1024, 1);
  if (kib) {
    checks.push({
      target: '(same, 1,024-byte body: item over 1 KB)',
      measured: `${show(wcu(kib), 1)} WCU`,
      met: wcu(kib)! <= 7,
    });
  }
  const large = queue(200 * 1024, 1);
  checks.push({
    target: '200 KB lease write units = 1 KB lease write units',
    measured:
      large && small ? `${large.leaseWriteUnits} vs ${small.leaseWriteUnits} WCU per lease` : 'not measured',
    met: large && small ? large.leaseWriteUnits <= small.leaseWriteUnits : undefined,
  });
  const batch = queue(800, 10);
  if (batch) {
    checks.push({
      target: 'batch of 10 sends <= 2 DynamoDB round trips',
      measured: `${batch.roundTripsPerCall.send}`,
      met: batch.roundTripsPerCall.send <= 2,
    });
    checks.push({
      target: 'batch of 10 deletes <= 2 DynamoDB round trips',
      measured: `${batch.roundTripsPerCall.delete}`,
      met: batch.roundTripsPerCall.delete <= 2,
    });
    const perReceive = (command: string) =>
      ((batch.perMessage.receive.commands[command] ?? 0) * batch.messages) / batch.operationCalls.receive;
    checks.push({
      target: 'receive of 10 = 1 query + the lease writes (queue holding 10)',
      measured: `${show(perReceive('Query'), 1)} queries + ${show(perReceive('UpdateItem'), 1)} lease writes per receive (${show(batch.messages / batch.operationCalls.receive, 1)} messages each)`,
      met: perReceive('Query') <= 1,
    });
  }
  // Not targets: what bounds them in this run.
  const info = (target: string, a: number | undefined, b: number | undefined) =>
    checks.push({
      target,
      measured: a !== undefined && b ? `${(a / b).toFixed(2)} x` : 'not measured',
      met: undefined,
    });
  info('(bound) ceiling / moto: the most any row over DynamoDB Local can reach', rate('ceiling'), moto);
  info('(bound) ceiling with index query / ceiling', rate('ceiling-query'), rate('ceiling'));
  info(
    "(diagnosis) core / ceiling with index query: the core's own cost",
    rate('core'),
    rate('ceiling-query'),
  );
  info('(diagnosis) rest-http / core: the cost of HTTP and the local host', rate('rest-http'), rate('core'));
  const b = capacityResult.backlogReceive;
  checks.push({
    target: `receive of 10 = 1 query + the lease writes (backlog of ${b.backlog})`,
    measured: `${b.queries} queries + ${b.leaseWrites} lease writes, ${b.received} received`,
    met: b.queries <= 1 && b.received === 10,
  });
  if (bundles) {
    const biggest = Math.max(...bundles.map((b) => b.deployBytes ?? b.bytes));
    const slowest = Math.max(...bundles.map((b) => b.initMs));
    checks.push({
      target: 'each bundle < 250 KB minified',
      measured: `largest ${(biggest / 1024).toFixed(0)} KB (${bundles.map((b) => `${b.name} ${((b.deployBytes ?? b.bytes) / 1024).toFixed(0)}`).join(', ')})`,
      met: biggest < 250 * 1024,
    });
    checks.push({
      target: 'module initialisation < 150 ms',
      measured: `slowest ${slowest.toFixed(0)} ms (median of runs)`,
      met: slowest < 150,
    });
  }
  return checks;
}
