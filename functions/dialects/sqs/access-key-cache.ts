import type { Clock } from '../../queue/clock';
import type { AccessKey, AccessKeyStore } from '../../queue/ports/access-key-store';

/**
 * Access keys as the signature check reads them, cached per container so a signed request costs
 * no extra read: a key (or its absence) for `ttlMs`, so a revocation made elsewhere takes effect
 * within that time. Changes made through this object are seen at once.
 */
export class AccessKeyCache {
  private readonly keys = new Map<string, { key: AccessKey | undefined; readAt: number }>();
  private active: { value: boolean; readAt: number } | undefined;

  constructor(
    readonly store: AccessKeyStore,
    private readonly clock: Clock,
    private readonly ttlMs = 10_000,
  ) {}

  /** The key if it exists and is not revoked. */
  async activeKey(accessKeyId: string): Promise<AccessKey | undefined> {
    const now = this.clock.now();
    let entry = this.keys.get(accessKeyId);
    if (!entry || !this.fresh(entry.readAt, now)) {
      entry = { key: await this.store.getKey(accessKeyId), readAt: now };
      // Bounded: random ids from unsigned scanners must not grow the map without end.
      if (this.keys.size >= 1_000) this.keys.clear();
      this.keys.set(accessKeyId, entry);
    }
    return entry.key && entry.key.revokedAt === undefined ? entry.key : undefined;
  }

  async hasActiveKeys(): Promise<boolean> {
    const now = this.clock.now();
    if (!this.active || !this.fresh(this.active.readAt, now)) {
      this.active = { value: await this.store.hasActiveKeys(), readAt: now };
    }
    return this.active.value;
  }

  async createKey(key: AccessKey): Promise<boolean> {
    const created = await this.store.createKey(key);
    this.forget(key.accessKeyId);
    return created;
  }

  async revokeKey(accessKeyId: string, at: number): Promise<boolean> {
    const revoked = await this.store.revokeKey(accessKeyId, at);
    this.forget(accessKeyId);
    return revoked;
  }

  private forget(accessKeyId: string): void {
    this.keys.delete(accessKeyId);
    this.active = undefined;
  }

  private fresh(readAt: number, now: number): boolean {
    return now >= readAt && now - readAt < this.ttlMs;
  }
}
