/**
 * Where the next receive of this process starts among a queue's shards: successive receives
 * start at different shards so that every shard is drained. Kept in the context (per process).
 */
export class ShardCursor {
  private position = Math.floor(Math.random() * 1_000);

  /** The shard to start at, of `shardCount`; moves on by one each time. */
  next(shardCount: number): number {
    return this.position++ % shardCount;
  }
}
