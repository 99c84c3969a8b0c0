/**
 * The storage port for the access keys SQS clients sign requests with (SigV4, service `sqs`).
 * The service manages its own keys, since API Gateway's IAM authorization only knows signatures
 * for `execute-api`. A key belongs to an account: its queues are the ones that key reaches.
 */
export interface AccessKey {
  accessKeyId: string;
  /** Never logged and never listed; shown once, when the key is created. */
  secretAccessKey: string;
  accountId: string;
  createdAt: number;
  /** Set when the key was revoked; a revoked key signs nothing. */
  revokedAt?: number;
  description?: string;
}

/** What a listing shows: everything but the secret. */
export type AccessKeySummary = Omit<AccessKey, 'secretAccessKey'>;

export interface AccessKeyStore {
  /** False when a key with this id exists already (ids are random; a clash means: try again). */
  createKey(key: AccessKey): Promise<boolean>;
  getKey(accessKeyId: string): Promise<AccessKey | undefined>;
  listKeys(): Promise<AccessKeySummary[]>;
  /** False when there is no such key. Revoking a revoked key keeps its first revocation time. */
  revokeKey(accessKeyId: string, at: number): Promise<boolean>;
  /** Whether any key that is not revoked exists. */
  hasActiveKeys(): Promise<boolean>;
  /**
   * The authentication switch of a service that does not always require signatures (the local
   * one): creating or revoking a key turns it on, and only `setAuthentication(false)` (npm run
   * keys -- auth off) turns it off, so revoking the last key never re-opens the service.
   * Undefined when never set (data from before the switch existed: active keys decide).
   */
  getAuthentication(): Promise<boolean | undefined>;
  setAuthentication(on: boolean, at: number): Promise<void>;
}
