import { createHash } from 'node:crypto';
import type { MessageAttributes } from '../../queue/model';

/**
 * The digests SQS returns and SDKs check: MD5 of the body's UTF-8 bytes, and MD5 of the message
 * (or system) attributes in SQS's canonical encoding: for each attribute, sorted by name, the
 * name, the data type, a transport byte (1 for String and Number, 2 for Binary) and the value,
 * each variable part preceded by its length as a 4-byte big-endian integer.
 */
export function md5OfBody(body: string): string {
  return createHash('md5').update(body, 'utf8').digest('hex');
}

/** Undefined when there are no attributes: SQS then omits the digest. */
export function md5OfAttributes(attributes: MessageAttributes): string | undefined {
  const names = Object.keys(attributes).sort();
  if (names.length === 0) return undefined;
  const hash = createHash('md5');
  for (const name of names) {
    const value = attributes[name]!;
    const binary = value.dataType.startsWith('Binary');
    hash.update(lengthPrefixed(Buffer.from(name, 'utf8')));
    hash.update(lengthPrefixed(Buffer.from(value.dataType, 'utf8')));
    hash.update(Buffer.from([binary ? 2 : 1]));
    hash.update(
      lengthPrefixed(
        binary
          ? Buffer.from(value.binaryValue ?? '', 'base64')
          : Buffer.from(value.stringValue ?? '', 'utf8'),
      ),
    );
  }
  return hash.digest('hex');
}

function lengthPrefixed(bytes: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length);
  return Buffer.concat([length, bytes]);
}
