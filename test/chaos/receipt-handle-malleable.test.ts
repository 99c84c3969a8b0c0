import { expect, test } from 'vitest';
import { createQueue, queueName, useChaosService } from './support';

/**
 * FINDING 6 (queue core, low): ReceiptHandleCodec.decode compares the DECODED signature bytes,
 * and Node's base64url decoder skips characters outside the alphabet and ignores the unused low
 * bits of the last character. So a genuine handle with junk appended (`<handle>!`), or with its
 * last character swapped for one with the same top bits, is accepted and acts like the original.
 * No forgery is possible (the payload is still signed), but "an altered handle is refused" does not
 * hold, and handles are not canonical (two spellings of one lease).
 */
const chaos = useChaosService();

test.each([
  ['junk appended', (handle: string) => `${handle}!`],
  ['a space inside the signature', (handle: string) => `${handle.slice(0, -3)} ${handle.slice(-3)}`],
  [
    'last character with the same top bits',
    (handle: string) => handle.slice(0, -1) + sibling(handle.at(-1)!),
  ],
])('an altered handle (%s) is refused and deletes nothing', async (_, alter) => {
  const queue = queueName('handles');
  await createQueue(chaos.url(), { name: queue, visibilityTimeoutSeconds: 60 });
  const client = chaos.rest(queue);
  await client.send([{ id: 'a', body: 'kept' }]);
  const [message] = await client.receive({ maxMessages: 1, waitSeconds: 0 });
  await expect(client.delete(alter(message!.receiptHandle))).rejects.toMatchObject({
    code: 'ReceiptHandleIsInvalid',
  });
  expect(await client.counts()).toMatchObject({ visible: 0, inFlight: 1, delayed: 0 });
});

/** Another base64url character whose top 2 bits are the same (the last of 22 carries 2 bits). */
function sibling(char: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const index = alphabet.indexOf(char);
  return alphabet[(index & ~0b1111) | ((index + 1) & 0b1111)]!;
}
