/**
 * Throughput against shard count, under DynamoDB's limit of 1,000 write units a second per
 * partition key (shared/FACTS.md), for the ready index whose partition key is `<queue id>#<shard>`.
 *
 * Per lifecycle, the message's shard partition of the index takes: 1 unit when the message is put,
 * 2 when a lease changes its sort key (delete + put of the index entry), 1 when it is deleted; each
 * further delivery (a lease that expired) adds 2. Index entries hold keys, rc and p only, so these
 * are 1-unit writes whatever the body size. Table items are keyed by message id and spread over all
 * partitions: the table side has no hot key. So one shard carries at most
 * 1,000 / (2 + 2 x deliveries) lifecycles a second: 250 with one delivery per message.
 *
 * Messages pick their shard at random, so in any one second some shard gets more than its share.
 * The simulation draws each second's per-shard counts (normal approximation of the multinomial)
 * and finds the highest rate at which the busiest shard stays within 1,000 units in 99% of seconds.
 */
export interface ShardModelRow {
  shards: number;
  /** Perfect balance: shards x 1,000 / index units per lifecycle. */
  idealPerSecond: number;
  /** Random placement, busiest shard within the limit in 99% of simulated seconds. */
  simulatedPerSecond: number;
}

export interface ShardModel {
  partitionWriteLimit: number;
  deliveriesPerMessage: number;
  indexUnitsPerLifecycle: number;
  perShardPerSecond: number;
  rows: ShardModelRow[];
  target: number;
  shardsForTargetIdeal: number;
  shardsForTargetSimulated: number;
  maxShards: number;
  /** Write units a second at the target rate: table and index, for 1 KB items. */
  unitsAtTarget: { table: number; index: number };
}

/** A small seeded generator, so the printed model is the same on every run. */
function generator(seed: number) {
  let state = seed >>> 0;
  const uniform = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  return () => Math.sqrt(-2 * Math.log(uniform() || 1e-12)) * Math.cos(2 * Math.PI * uniform());
}

/** Share of simulated seconds in which the busiest shard stays within the per-shard rate. */
function withinLimit(rate: number, shards: number, perShard: number, seconds: number, seed: number): number {
  const normal = generator(seed);
  const mean = rate / shards;
  const sd = Math.sqrt(mean * (1 - 1 / shards));
  let fine = 0;
  for (let s = 0; s < seconds; s++) {
    let busiest = 0;
    for (let k = 0; k < shards; k++) busiest = Math.max(busiest, mean + sd * normal());
    if (busiest <= perShard) fine++;
  }
  return fine / seconds;
}

function simulatedRate(shards: number, perShard: number): number {
  let low = 0;
  let high = shards * perShard;
  for (let i = 0; i < 30; i++) {
    const mid = (low + high) / 2;
    if (withinLimit(mid, shards, perShard, 2_000, shards * 7919) >= 0.99) low = mid;
    else high = mid;
  }
  return Math.floor(low);
}

export function shardModel(
  options: { deliveriesPerMessage?: number; target?: number; maxShards?: number } = {},
) {
  const partitionWriteLimit = 1_000;
  const deliveriesPerMessage = options.deliveriesPerMessage ?? 1;
  const target = options.target ?? 10_000;
  const maxShards = options.maxShards ?? 64;
  const indexUnitsPerLifecycle = 2 + 2 * deliveriesPerMessage;
  const perShardPerSecond = partitionWriteLimit / indexUnitsPerLifecycle;
  const counts = [1, 2, 4, 8, 16, 32, 40, 48, 56, 64];
  const rows = counts.map((shards) => ({
    shards,
    idealPerSecond: Math.floor(shards * perShardPerSecond),
    simulatedPerSecond: simulatedRate(shards, perShardPerSecond),
  }));
  let shardsForTargetSimulated = Math.ceil(target / perShardPerSecond);
  while (
    shardsForTargetSimulated < 1_000 &&
    simulatedRate(shardsForTargetSimulated, perShardPerSecond) < target
  )
    shardsForTargetSimulated++;
  return {
    partitionWriteLimit,
    deliveriesPerMessage,
    indexUnitsPerLifecycle,
    perShardPerSecond,
    rows,
    target,
    shardsForTargetIdeal: Math.ceil(target / perShardPerSecond),
    shardsForTargetSimulated,
    maxShards,
    unitsAtTarget: { table: target * 3, index: target * indexUnitsPerLifecycle },
  } satisfies ShardModel;
}
