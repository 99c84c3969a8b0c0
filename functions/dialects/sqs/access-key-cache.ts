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
    const key = await this.knownKey(accessKeyId);
    return key && key.revokedAt === undefined ? key : undefined;
  }

  /** Whether this id names a revoked key (refused even while authentication is off). */
  async isRevoked(accessKeyId: string): Promise<boolean> {
    return (await this.knownKey(accessKeyId))?.revokedAt !== undefined;
  }

  /**
   * Whether requests must be signed: the store's switch (on from the first key created until
   * turned off explicitly); for data from before the switch, whether an active key exists.
   */
  async authenticationRequired(): Promise<boolean> {
    const now = this.clock.now();
    if (!this.active || !this.fresh(this.active.readAt, now)) {
      const on = (await this.store.getAuthentication()) ?? (await this.store.hasActiveKeys());
      this.active = { value: on, readAt: now };
    }
    return this.active.value;
  }

  async setAuthentication(on: boolean, at: number): Promise<void> {
    await this.store.setAuthentication(on, at);
    this.active = undefined;
  }

  private async knownKey(accessKeyId: string): Promise<AccessKey | undefined> {
    const now = this.clock.now();
    let entry = this.keys.get(accessKeyId);
    if (!entry || !this.fresh(entry.readAt, now)) {
      entry = { key: await this.store.getKey(accessKeyId), readAt: now };
      // Bounded: random ids from unsigned scanners must not grow the map without end.
      if (this.keys.size >= 1_000) this.keys.clear();
      this.keys.set(accessKeyId, entry);
    }
    return entry.key;
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
