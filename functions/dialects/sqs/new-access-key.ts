import { randomBytes } from 'node:crypto';
import type { AccessKey } from '../../queue/ports/access-key-store';

/**
 * A new access key in the shape AWS tools expect: a 20-character id of capitals and digits
 * (prefix AKSQ, so it is recognisably this service's) and a 40-character secret.
 */
const idAlphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export function newAccessKey(input: { accountId: string; now: number; description?: string }): AccessKey {
  const id = [...randomBytes(16)].map((byte) => idAlphabet[byte % idAlphabet.length]).join('');
  return {
    accessKeyId: `AKSQ${id}`,
    secretAccessKey: randomBytes(30).toString('base64url'),
    accountId: input.accountId,
    createdAt: input.now,
    ...(input.description ? { description: input.description } : {}),
  };
}
