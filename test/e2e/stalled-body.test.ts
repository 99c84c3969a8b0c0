import { connect } from 'node:net';
import { expect, test } from 'vitest';
import { useLocalService } from '../support/local-service';

/**
 * Issue 15, point 12: a request whose body stalls after its headers is answered 408 and its
 * connection closed within seconds (the local host's request timeout, 10 s), not after Node's
 * default 5 minutes.
 */
const local = useLocalService();

test('a body that stalls after the headers times out in seconds', { timeout: 40_000 }, async () => {
  const { hostname, port } = new URL(local.url());
  const began = Date.now();
  const reply = await new Promise<string>((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => {
      // Promises 100 bytes of body, sends one, and goes quiet.
      socket.write(
        `POST /queues HTTP/1.1\r\nHost: ${hostname}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{`,
      );
    });
    let received = '';
    socket.on('data', (chunk) => (received += chunk.toString('utf8')));
    socket.on('close', () => resolve(received));
    socket.on('error', reject);
  });
  const took = Date.now() - began;
  expect(reply).toMatch(/^HTTP\/1\.1 408/);
  expect(took).toBeGreaterThan(5_000);
  expect(took).toBeLessThan(25_000);
});
