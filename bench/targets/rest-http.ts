import { Agent, request } from 'node:http';
import type { LifecycleTarget } from '../driver';

/**
 * The local service over HTTP in the REST dialect, with a keep-alive connection per worker
 * (node:http: less client overhead than fetch, so the service is what is measured).
 */
export async function restTarget(
  baseUrl: string,
  name: string,
  options: { concurrency: number; shards: number; visibilitySeconds: number },
): Promise<LifecycleTarget & { close(): void }> {
  const url = new URL(baseUrl);
  const agent = new Agent({ keepAlive: true, maxSockets: options.concurrency });
  /**
   * One request. A kept-alive socket the server closed while it sat idle (between rounds) fails
   * with ECONNRESET before the server read anything: that request is sent once more, as Node's
   * documentation advises (`request.reusedSocket`).
   */
  const call = (
    method: string,
    path: string,
    body?: unknown,
    retry = true,
  ): Promise<{ status: number; body: string }> =>
    new Promise((resolve, reject) => {
      const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
      const req = request(
        {
          agent,
          host: url.hostname,
          port: url.port,
          method,
          path,
          headers: payload
            ? { 'content-type': 'application/json', 'content-length': payload.length }
            : { 'content-length': 0 },
          timeout: 30_000,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            if ((res.statusCode ?? 500) >= 300) {
              reject(new Error(`${method} ${path.slice(0, 60)} -> ${res.statusCode}: ${text.slice(0, 300)}`));
            } else resolve({ status: res.statusCode ?? 0, body: text });
          });
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new Error(`${method} ${path} timed out`)));
      req.on('error', (error: NodeJS.ErrnoException) => {
        if (retry && req.reusedSocket && error.code === 'ECONNRESET') {
          call(method, path, body, false).then(resolve, reject);
        } else reject(error);
      });
      req.end(payload);
    });

  const queue = `/queues/${encodeURIComponent(name)}`;
  await call('POST', '/queues', {
    name,
    visibilityTimeoutSeconds: options.visibilitySeconds,
    shardCount: options.shards,
  });
  return {
    async send(body) {
      await call('POST', `${queue}/messages`, { body });
    },
    async receive() {
      const res = await call('POST', `${queue}/messages/receive`, { maxMessages: 1 });
      const { messages } = JSON.parse(res.body) as { messages: { receiptHandle: string }[] };
      return messages[0]?.receiptHandle;
    },
    async delete(handle) {
      await call('DELETE', `${queue}/messages/${encodeURIComponent(handle)}`);
    },
    close() {
      agent.destroy();
    },
  };
}
