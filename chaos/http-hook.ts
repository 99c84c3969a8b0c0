import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The http subscriber of the topic scenario: a real endpoint on loopback that confirms its
 * subscription by the SubscribeURL it is sent, then answers 500 to a share of the notifications
 * (chosen at random) and records the attempt id of every one it takes (answers 200 to).
 */
export interface ChaosHook {
  url: string;
  /** attempt id -> how many times it was taken. */
  taken: Map<string, number>;
  failed: number;
  close(): Promise<void>;
}

export async function startChaosHook(failRate: number): Promise<ChaosHook> {
  const taken = new Map<string, number>();
  const hook = { taken, failed: 0 };
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const type = request.headers['x-amz-sns-message-type'];
      const document = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, string>;
      if (type === 'SubscriptionConfirmation') {
        response.writeHead(200).end();
        void fetch(document.SubscribeURL!).then((answer) => answer.text());
        return;
      }
      if (Math.random() < failRate) {
        hook.failed++;
        response.writeHead(500).end();
        return;
      }
      const id = (JSON.parse(document.Message!) as { attempt: string }).attempt;
      taken.set(id, (taken.get(id) ?? 0) + 1);
      response.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/chaos-hook`,
    taken,
    get failed() {
      return hook.failed;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
