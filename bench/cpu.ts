import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';

/**
 * CPU time of this process and of the processes it started (DynamoDB Local's JVM, the service
 * process, the moto peer), from /proc (Linux; elsewhere only this process is counted). On a
 * 2-core machine every process competes with DynamoDB Local, so where the CPU goes per lifecycle
 * tells which layer to make cheaper.
 */
export type CpuSnapshot = Map<string, number>;

const ticksPerSecond = (() => {
  const out = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' });
  const value = Number(out.stdout);
  return Number.isFinite(value) && value > 0 ? value : 100;
})();

function roleOf(pid: number, comm: string): string {
  if (pid === process.pid) return 'bench client';
  if (comm.startsWith('java')) return 'DynamoDB Local';
  if (comm.startsWith('node')) return 'service';
  if (comm.startsWith('python')) return 'moto';
  return comm;
}

/** CPU milliseconds by role, summed over this process and its child processes. */
export function cpuSnapshot(): CpuSnapshot {
  const snapshot: CpuSnapshot = new Map();
  const self = process.cpuUsage();
  snapshot.set('bench client', (self.user + self.system) / 1000);
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return snapshot;
  }
  for (const name of pids) {
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // Fields after the command name, which is in parentheses and may contain spaces.
      const close = stat.lastIndexOf(')');
      const comm = stat.slice(stat.indexOf('(') + 1, close);
      const fields = stat.slice(close + 2).split(' ');
      const ppid = Number(fields[1]);
      if (ppid !== process.pid) continue;
      const ms = ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond;
      const role = roleOf(Number(name), comm);
      snapshot.set(role, (snapshot.get(role) ?? 0) + ms);
    } catch {
      // the process ended meanwhile
    }
  }
  return snapshot;
}

export interface CpuUse {
  /** CPU milliseconds per completed lifecycle, by role. */
  msPerLifecycle: Record<string, number>;
  /** Share of the machine's cores busy in the processes counted (1 = all cores). */
  utilisation: number;
}

/** CPU time by role over several measured runs of one row. */
export class CpuTally {
  private readonly used = new Map<string, number>();
  private wallMs = 0;

  add(before: CpuSnapshot, after: CpuSnapshot, wallMs: number): void {
    this.wallMs += wallMs;
    for (const [role, ms] of after) {
      const delta = ms - (before.get(role) ?? 0);
      if (delta > 0) this.used.set(role, (this.used.get(role) ?? 0) + delta);
    }
  }

  use(lifecycles: number): CpuUse {
    const msPerLifecycle: Record<string, number> = {};
    let total = 0;
    for (const [role, ms] of this.used) {
      total += ms;
      msPerLifecycle[role] = lifecycles > 0 ? ms / lifecycles : 0;
    }
    return { msPerLifecycle, utilisation: this.wallMs > 0 ? total / (this.wallMs * cpus().length) : 0 };
  }
}
