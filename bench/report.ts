import type { BundleResult } from './bundles';
import type { CapacityResult, Units } from './capacity';
import type { CostMeasurements } from './costs/measure';
import { type CostRow, costTable } from './costs/table';
import { type FairnessRow, fairnessTable } from './fairness';
import type { BenchOptions } from './options';
import type { RowResult } from './rows';
import { type ScheduleSpread, scheduleSpreadTable } from './schedule-spread';
import type { ShardModel } from './shards';
import { fixed, textTable } from './table';
import type { TargetCheck } from './targets-check';

export interface BenchReport {
  startedAt: string;
  durationSeconds: number;
  machine: { node: string; cpus: number; cpuModel: string; platform: string };
  options: BenchOptions;
  rows: RowResult[];
  capacity: CapacityResult;
  /** Fair queues: calls per send and receive with and without group ids (fairness.ts). */
  fairness?: FairnessRow[];
  /** The cost table (costs/table.ts) and the work it priced. */
  costs: { rows: CostRow[]; measured: CostMeasurements };
  shards: ShardModel;
  /** On-time delivery of scheduled messages (bench/schedule-spread.ts). */
  schedule?: ScheduleSpread;
  bundles?: BundleResult[];
  targets: TargetCheck[];
}

const lat = (s: { p50: number; p99: number } | undefined) => (s ? `${fixed(s.p50)} / ${fixed(s.p99)}` : '-');

export function throughputTable(report: BenchReport): string {
  const o = report.options;
  const header =
    `Throughput: ${o.messages} lifecycles per row (send, receive, delete), concurrency ${o.concurrency}, ` +
    `${o.bodyBytes}-byte bodies, ${o.shards} shards, ${o.rounds} interleaved rounds, ` +
    `service ${o.serviceInProcess ? 'in the bench process' : 'in its own process'}; ` +
    `load: 1-minute load average of the machine (${report.machine.cpus} cores) when rounds started`;
  const rows = report.rows.map((r) => {
    if (!r.result)
      return [r.label, 'n/a', '-', '-', '-', '-', '-', '-', '-', `not available: ${r.reason ?? ''}`];
    const x = r.result;
    const notes = [
      x.timedOut ? `timed out after ${x.completed}` : '',
      x.errors ? `${x.errors} errors: ${x.firstError}` : '',
    ]
      .filter(Boolean)
      .join('; ');
    return [
      r.label,
      fixed(x.lifecyclesPerSecond),
      r.ratioToCeiling === undefined ? '-' : `${r.ratioToCeiling.toFixed(2)}x`,
      lat(x.latency.send),
      lat(x.latency.receive),
      lat(x.latency.delete),
      r.dynamoCallsPerLifecycle === undefined ? '-' : fixed(r.dynamoCallsPerLifecycle, 2),
      String(x.emptyReceives),
      fixed(r.loadAverage, 1),
      notes,
    ];
  });
  return `${header}\n${textTable(
    [
      'row',
      'lifecycles/s',
      'vs ceiling',
      'send p50/p99 ms',
      'receive p50/p99 ms',
      'delete p50/p99 ms',
      'DDB calls/lc',
      'empty rcv',
      'load',
      'notes',
    ],
    rows,
  )}`;
}

const wcu = (u: Units) => u.writeTable + u.writeIndex;
const split = (u: Units) => `${fixed(wcu(u), 2)} (${fixed(u.writeTable, 2)}+${fixed(u.writeIndex, 2)})`;

export function capacityTable(report: BenchReport): string {
  const rows = report.capacity.scenarios.map((c) => [
    c.subject,
    c.bodyBytes >= 10_240 ? `${c.bodyBytes / 1024} KB` : `${c.bodyBytes} B`,
    String(c.batch),
    split(c.perMessage.send),
    split(c.perMessage.receive),
    split(c.perMessage.delete),
    fixed(wcu(c.perMessage.lifecycle), 2),
    fixed(c.leaseWriteUnits, 2),
    fixed(c.perMessage.lifecycle.read, 2) +
      (c.perMessage.lifecycle.readUnhooked
        ? ` (${fixed(c.perMessage.lifecycle.readUnhooked, 2)} unhooked)`
        : ''),
    fixed(c.perMessage.lifecycle.calls, 2),
    `${fixed(c.roundTripsPerCall.send, 1)} / ${fixed(c.roundTripsPerCall.receive, 1)} / ${fixed(c.roundTripsPerCall.delete, 1)}`,
    c.note ?? '',
  ]);
  return `Capacity per message (DynamoDB Local, ReturnConsumedCapacity INDEXES; write units table+index)\n${textTable(
    [
      'subject',
      'body',
      'batch',
      'send WCU',
      'receive WCU',
      'delete WCU',
      'WCU/lc',
      'lease WCU',
      'RCU/lc',
      'calls/msg',
      'calls per op (s/r/d)',
      'notes',
    ],
    rows,
  )}\n${capacityNotes(report.capacity)}`;
}

function capacityNotes(capacity: CapacityResult): string {
  const b = capacity.backlogReceive;
  return [
    `Largest body whose lifecycle stays within 7 WCU: ${capacity.largestSevenUnitBody} bytes (ASCII, no attributes).`,
    `A receive of 10 from a backlog of ${b.backlog} (${b.shards} shards): ${b.queries} query + ${b.leaseWrites} lease writes, ${b.received} received.`,
    "RCU 'unhooked': read units of calls the store's onConsumed hook does not report (its BatchGetItem reads).",
  ].join('\n');
}

export function cpuTable(report: BenchReport): string {
  const roles = ['bench client', 'service', 'DynamoDB Local', 'moto'];
  const rows = report.rows
    .filter((r) => r.cpu)
    .map((r) => {
      const ms = r.cpu!.msPerLifecycle;
      const total = Object.values(ms).reduce((a, b) => a + b, 0);
      return [
        r.label,
        `${(r.cpu!.utilisation * 100).toFixed(0)}%`,
        ...roles.map((role) => fixed(ms[role], 2)),
        fixed(total, 2),
      ];
    });
  return `CPU per lifecycle (ms, from /proc; ${report.machine.cpus} cores shared by all processes)\n${textTable(
    ['row', 'cores busy', ...roles, 'total'],
    rows,
  )}`;
}

export function shardTable(model: ShardModel): string {
  const rows = model.rows.map((r) => [
    String(r.shards),
    String(r.idealPerSecond),
    String(r.simulatedPerSecond),
  ]);
  return (
    `Shard model: ${model.partitionWriteLimit} WCU/s per index partition key, ${model.indexUnitsPerLifecycle} index ` +
    `write units per lifecycle (put 1 + lease 2 x ${model.deliveriesPerMessage} + delete 1) -> ` +
    `${model.perShardPerSecond} lifecycles/s per shard\n` +
    textTable(['shards', 'ideal lifecycles/s', 'random placement, 99% of seconds'], rows) +
    `\nFor ${model.target.toLocaleString('en-US')} messages/s: ${model.shardsForTargetIdeal} shards at perfect balance, ` +
    `${model.shardsForTargetSimulated} with random placement (limit ${model.maxShards}); ` +
    `${model.unitsAtTarget.table.toLocaleString('en-US')} table + ${model.unitsAtTarget.index.toLocaleString('en-US')} index WCU/s.`
  );
}

export function bundleTable(bundles: BundleResult[], runs: number): string {
  const rows = bundles.map((b) => [
    b.name,
    fixed(b.bytes / 1024, 0),
    b.deployBytes === undefined ? '-' : fixed(b.deployBytes / 1024, 0),
    fixed(b.withoutSdkBytes / 1024, 0),
    fixed(b.initMs, 0),
    fixed(b.plainInitMs, 0),
    fixed(b.processMs, 0),
    b.largest.map((l) => `${l.name} ${fixed(l.bytes / 1024, 0)}`).join(', '),
  ]);
  return `Bundles (esbuild, minified ESM, node22; "as deployed": infra/aws/bundling.ts settings; "w/o SDK": @aws-sdk/*, @smithy/* left to the runtime)\nand import time in a fresh node (median of ${runs}; modules left out load from node_modules, as from the runtime's on Lambda)\n${textTable(
    [
      'function',
      'KB',
      'KB as deployed',
      'KB w/o SDK',
      'init ms (deployed)',
      'init ms (SDK bundled)',
      'process ms (deployed)',
      'largest parts (KB, as deployed)',
    ],
    rows,
  )}`;
}

export function targetTable(checks: TargetCheck[]): string {
  return `Targets (issue 8)\n${textTable(
    ['target', 'measured', 'met'],
    checks.map((c) => [c.target, c.measured, c.met === undefined ? 'n/a' : c.met ? 'yes' : 'NO']),
  )}`;
}

export function fullText(report: BenchReport): string {
  const parts = [
    `npm run bench - ${report.startedAt} - node ${report.machine.node}, ${report.machine.cpus} x ${report.machine.cpuModel}`,
    throughputTable(report),
    cpuTable(report),
    capacityTable(report),
    ...(report.fairness ? [fairnessTable(report.fairness)] : []),
    costTable(report.costs.rows),
    shardTable(report.shards),
  ];
  if (report.schedule) parts.push(scheduleSpreadTable(report.schedule));
  if (report.bundles) parts.push(bundleTable(report.bundles, report.options.initRuns));
  parts.push(targetTable(report.targets));
  parts.push(`Total bench time: ${report.durationSeconds.toFixed(0)} s`);
  return parts.join('\n\n');
}
