/** A body kept outside DynamoDB, found again by the queue and message it belongs to. */
export interface BodyRef {
  queueId: string;
  messageId: string;
}

/**
 * The storage port of large message bodies (deployed: an S3 bucket of the stack). A body above
 * `thresholdBytes` is written here before its message item, which then only marks where its body
 * is; smaller bodies stay in DynamoDB (inline in the item, or in body-part items), which remains
 * the default when no body store is configured. A message that moves to another queue (dead-letter
 * move, redrive) gets a copy under its new queue before the old one is removed, so the body the
 * item points to is there whenever the item is.
 */
export interface BodyStore {
  /** Bodies of more UTF-8 bytes than this are kept here. */
  readonly thresholdBytes: number;
  /** Stores (or overwrites: a retry writes the same body again) one body. */
  put(ref: BodyRef, body: Uint8Array): Promise<void>;
  /** One body, or undefined when there is none (already removed). */
  get(ref: BodyRef): Promise<Uint8Array | undefined>;
  /** Removes bodies; removing one that is not there is not an error. */
  delete(refs: BodyRef[]): Promise<void>;
}
