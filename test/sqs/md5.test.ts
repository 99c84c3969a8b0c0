// The MD5 digests SQS clients check, against vectors computed by an independent implementation
// (Python's struct + hashlib, following the SQS developer guide's encoding).
import { expect, test } from 'vitest';
import { md5OfAttributes, md5OfBody } from '../../functions/dialects/sqs/md5';

test('MD5OfMessageBody is the MD5 of the UTF-8 body', () => {
  expect(md5OfBody('hello')).toBe('5d41402abc4b2a76b9719d911017c592');
});

test('MD5OfMessageAttributes encodes sorted names, types, transport bytes and values', () => {
  expect(
    md5OfAttributes({
      b: { dataType: 'Binary', binaryValue: Buffer.from([1, 2, 3]).toString('base64') },
      a: { dataType: 'String', stringValue: 'x' },
      n: { dataType: 'Number.int', stringValue: '42' },
      é: { dataType: 'String.custom', stringValue: 'ü' },
    }),
  ).toBe('2ae9d0843ec942df8ba7a082f6d08449');
});

test('MD5OfMessageSystemAttributes uses the same encoding; no attributes, no digest', () => {
  expect(
    md5OfAttributes({
      AWSTraceHeader: { dataType: 'String', stringValue: 'Root=1-5759e988-bd862e3fe1be46a994272793' },
    }),
  ).toBe('62a56dd927315f2b2e12832b84617ea5');
  expect(md5OfAttributes({})).toBeUndefined();
});
