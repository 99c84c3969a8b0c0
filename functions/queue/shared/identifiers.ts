import { createHash } from 'node:crypto';
import { invalidParameter, missingParameter } from '../errors';
import { limits } from '../limits';

/**
 * The ids a FIFO caller chooses: message group ids, deduplication ids and receive request
 * attempt ids are 1 to 128 characters of letters, digits and ASCII punctuation, as in SQS.
 */
const fifoIdPattern = /^[A-Za-z0-9!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]+$/;
const allowed = `1 to ${limits.fifoIdMaxLength} characters from A-Z, a-z, 0-9 and the punctuation !"#$%&'()*+,-./:;<=>?@[\\]^_\`{|}~`;

export function validateFifoId(field: string, value: unknown): string {
  if (
    typeof value !== 'string' ||
    value.length === 0 ||
    value.length > limits.fifoIdMaxLength ||
    !fifoIdPattern.test(value)
  ) {
    throw invalidParameter(field, value, allowed);
  }
  return value;
}

export function requireGroupId(field: string, value: unknown): string {
  if (value === undefined || value === null || value === '') {
    throw missingParameter(
      field,
      `the message group id (SQS MessageGroupId) of a FIFO queue message: ${allowed}`,
    );
  }
  return validateFifoId(field, value);
}

/** SQS content-based deduplication: the SHA-256 of the body (attributes do not count), in hex. */
export function contentDeduplicationId(body: string): string {
  return createHash('sha256').update(body, 'utf8').digest('hex');
}
