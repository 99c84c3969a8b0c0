import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { QueueError } from './errors';

/**
 * Receipt handles are opaque to callers and tamper-evident: the payload (queue id, message id,
 * lease token) is signed with an HMAC under a server secret, so a forged or altered handle is
 * rejected before any storage call, and a handle from one queue cannot act on another.
 *
 * Format: `<version>.<base64url payload>.<base64url 128-bit tag>`.
 */
export interface ReceiptHandleParts {
  queueId: string;
  messageId: string;
  leaseToken: string;
}

const version = 'r1';
const tagBytes = 16;

export class ReceiptHandleCodec {
  private readonly key: Buffer;

  constructor(secret: string) {
    if (secret.length < 16) throw new Error('The receipt handle secret must be at least 16 characters');
    this.key = Buffer.from(secret, 'utf8');
  }

  encode(parts: ReceiptHandleParts): string {
    const payload = Buffer.from(`${parts.queueId}\n${parts.messageId}\n${parts.leaseToken}`).toString(
      'base64url',
    );
    return `${version}.${payload}.${this.sign(payload).toString('base64url')}`;
  }

  /** Returns the parts of a genuine handle for `queueId`, or throws ReceiptHandleIsInvalid. */
  decode(handle: unknown, queueId: string): ReceiptHandleParts {
    const invalidHandle = (reason: string) => invalidReceiptHandle(reason, handle);
    if (typeof handle !== 'string' || handle.length === 0) throw invalidHandle('it is empty');
    if (handle.length > 1024) throw invalidHandle('it is too long');
    const [prefix, payload, tag, ...rest] = handle.split('.');
    if (prefix !== version || !payload || !tag || rest.length > 0) throw invalidHandle('it is malformed');
    // Compared as text: base64url decoding ignores stray or trailing characters, so several
    // spellings would decode to the same tag; only the one this service wrote is genuine.
    const given = Buffer.from(tag, 'utf8');
    const expected = Buffer.from(this.sign(payload).toString('base64url'), 'utf8');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw invalidHandle('it was not issued by this service or was altered');
    }
    const [handleQueueId, messageId, leaseToken] = Buffer.from(payload, 'base64url')
      .toString('utf8')
      .split('\n');
    if (!handleQueueId || !messageId || !leaseToken) throw invalidHandle('it is malformed');
    if (handleQueueId !== queueId) throw invalidHandle('it belongs to another queue');
    return { queueId: handleQueueId, messageId, leaseToken };
  }

  private sign(payload: string): Buffer {
    return createHmac('sha256', this.key).update(payload).digest().subarray(0, tagBytes);
  }
}

/** The handle as given rides along, so a dialect can echo it as SQS does. */
export function invalidReceiptHandle(reason: string, handle: unknown): QueueError {
  return new QueueError('ReceiptHandleIsInvalid', `The receipt handle is invalid: ${reason}`, {
    field: 'receiptHandle',
    ...(typeof handle === 'string' && handle.length <= 1024 ? { given: handle } : {}),
  });
}

/** A fresh, unguessable token naming one lease. */
export const newLeaseToken = (): string => randomBytes(12).toString('base64url');
