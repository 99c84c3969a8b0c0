import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The push consumer of the push scenario: a real HTTP endpoint on loopback that takes the Lambda
 * SQS event batches the dispatcher POSTs. Each batch, at random: `failRate` are refused (HTTP 500,
 * nothing processed); `dropRate` are processed but never answered well (half the connection is
 * reset, half left hanging until the dispatcher's timeout); the rest are processed and answered
 * 200. "Processed" records the attempt id carried in each record's body.
 */
export interface ChaosPushTarget {
  url: string;
  /** attempt id -> how many times it was processed. */
  processed: Map<string, number>;
  batches: number;
  refused: number;
  reset: number;
  hung: number;
  close(): Promise<void>;
}

export async function startChaosPushTarget(rates: {
  failRate: number;
  dropRate: number;
}): Promise<ChaosPushTarget> {
  const processed = new Map<string, number>();
  const counts = { batches: 0, refused: 0, reset: 0, hung: 0 };
  const hanging = new Set<ServerResponse>();
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      counts.batches++;
      const roll = Math.random();
      if (roll < rates.failRate) {
        counts.refused++;
        response.writeHead(500).end();
        return;
      }
      const event = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { Records: { body: string }[] };
      for (const record of event.Records) {
        const id = (JSON.parse(record.body) as { attempt: string }).attempt;
        processed.set(id, (processed.get(id) ?? 0) + 1);
      }
      if (roll < rates.failRate + rates.dropRate / 2) {
        counts.reset++;
        request.socket.destroy();
        return;
      }
      if (roll < rates.failRate + rates.dropRate) {
        // No answer: the dispatcher's timeout gives up; closed when the run ends.
        counts.hung++;
        hanging.add(response);
        return;
      }
      response.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/chaos-push`,
    processed,
    get batches() {
      return counts.batches;
    },
    get refused() {
      return counts.refused;
    },
    get reset() {
      return counts.reset;
    },
    get hung() {
      return counts.hung;
    },
    close: async () => {
      for (const response of hanging) response.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
