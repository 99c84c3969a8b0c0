/**
 * Bench settings from flags (`npm run bench -- --messages 500`) or the environment
 * (`BENCH_MESSAGES=500 npm run bench`); flags win. Every loop in the bench is bounded by these.
 */
export interface BenchOptions {
  /** Measured message lifecycles per throughput row. */
  messages: number;
  /** Lifecycles run in parallel (workers), the same in every row. */
  concurrency: number;
  /** Body bytes of the throughput rows (800: the whole item stays within 1 KB). */
  bodyBytes: number;
  /** Each row's lifecycles are split over this many rounds, rows interleaved, to spread noise. */
  rounds: number;
  /** Unmeasured lifecycles per row before measuring (connections, JIT, caches). */
  warmup: number;
  /** A row stops after this long in all (its rounds share it), measured or not. */
  rowTimeLimitMs: number;
  /** The whole bench gives up after this long (everything it started is stopped). */
  totalTimeLimitMs: number;
  /** Shards of the queues the bench creates (the service default is 4). */
  shards: number;
  /** Rows to run (names from `rowNames`); all by default. */
  rows: RowName[];
  /** The local service runs in its own Node process (as `npm start` does) unless this is set. */
  serviceInProcess: boolean;
  /** Skip the bundle build and init timing. */
  skipBundles: boolean;
  /** Fresh processes per bundle for the init timing. */
  initRuns: number;
  /** Where the JSON, text and SVG results go. */
  outDir: string;
}

export const rowNames = ['ceiling', 'ceiling-query', 'core', 'rest-http', 'sqs-http', 'moto'] as const;
export type RowName = (typeof rowNames)[number];

const usage = `npm run bench -- [flags]            (each flag also reads BENCH_<NAME>, e.g. BENCH_MESSAGES)
  --messages N          lifecycles per row                 (default 2000)
  --concurrency N       parallel workers per row           (default 8)
  --body-bytes N        body size of the throughput rows   (default 800)
  --rounds N            rounds per row, rows interleaved   (default 4)
  --warmup N            unmeasured lifecycles per row      (default 100)
  --row-time-limit S    seconds before a row stops         (default 120)
  --total-time-limit S  seconds before the bench gives up  (default 900)
  --shards N            ready-index shards of bench queues (default 4)
  --rows a,b            rows to run: ${rowNames.join(',')}
  --service-in-process  host the local service in the bench process (default: its own process)
  --skip-bundles        skip bundle sizes and init times
  --init-runs N         fresh processes per bundle for init timing (default 5)
  --out DIR             output folder                      (default bench-results)`;

export function parseOptions(argv: string[], env: NodeJS.ProcessEnv): BenchOptions {
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') {
      console.log(usage);
      process.exit(0);
    }
    if (!arg.startsWith('--')) throw new Error(`Unexpected argument ${arg}\n${usage}`);
    const [name, inline] = arg.slice(2).split('=', 2) as [string, string | undefined];
    if (inline !== undefined) flags.set(name, inline);
    else if (argv[i + 1] !== undefined && !argv[i + 1]!.startsWith('--')) flags.set(name, argv[++i]!);
    else flags.set(name, 'true');
  }
  const get = (name: string) => flags.get(name) ?? env[`BENCH_${name.toUpperCase().replaceAll('-', '_')}`];
  const int = (name: string, fallback: number, min: number, max: number) => {
    const raw = get(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new Error(`--${name} must be an integer from ${min} to ${max}, but ${raw} was given`);
    }
    return value;
  };
  const bool = (name: string) => ['1', 'true', 'yes'].includes(get(name) ?? '');
  const rows = (get('rows') ?? rowNames.join(','))
    .split(',')
    .map((r) => r.trim())
    .filter(Boolean);
  for (const row of rows) {
    if (!(rowNames as readonly string[]).includes(row)) {
      throw new Error(`Unknown row ${row}: choose from ${rowNames.join(', ')}`);
    }
  }
  return {
    messages: int('messages', 2_000, 1, 1_000_000),
    concurrency: int('concurrency', 8, 1, 256),
    bodyBytes: int('body-bytes', 800, 1, 256 * 1024),
    rounds: int('rounds', 4, 1, 100),
    warmup: int('warmup', 100, 0, 100_000),
    rowTimeLimitMs: int('row-time-limit', 120, 1, 3_600) * 1000,
    totalTimeLimitMs: int('total-time-limit', 900, 10, 86_400) * 1000,
    shards: int('shards', 4, 1, 64),
    rows: rows as RowName[],
    serviceInProcess: bool('service-in-process'),
    skipBundles: bool('skip-bundles'),
    initRuns: int('init-runs', 5, 1, 50),
    outDir: get('out') ?? 'bench-results',
  };
}
