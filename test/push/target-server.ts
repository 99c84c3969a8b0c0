import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SqsEvent } from '../../functions/dialects/push/lambda-event';

/**
 * A real HTTP target for push tests: records every batch it is POSTed (with its headers) and
 * answers what `answer` says, after `delayMs`; counts deliveries in flight at once.
 */
export interface Delivery {
  event: SqsEvent;
  headers: IncomingMessage['headers'];
  raw: string;
}

export interface TargetServer {
  url: string;
  deliveries: Delivery[];
  maxInFlight: number;
  answer: (event: SqsEvent) => { status: number; body?: unknown };
  delayMs: number;
  close(): Promise<void>;
}

export async function startTargetServer(): Promise<TargetServer> {
  let inFlight = 0;
  const state: TargetServer = {
    url: '',
    deliveries: [],
    maxInFlight: 0,
    answer: () => ({ status: 200 }),
    delayMs: 0,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
  const server = createServer(async (request: IncomingMessage, response: ServerResponse) => {
    inFlight++;
    state.maxInFlight = Math.max(state.maxInFlight, inFlight);
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const event = JSON.parse(raw) as SqsEvent;
    state.deliveries.push({ event, headers: request.headers, raw });
    if (state.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, state.delayMs));
    const { status, body } = state.answer(event);
    inFlight--;
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(body === undefined ? '' : JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  return state;
}

/** Waits (bounded) until `done` holds; polls every 50 ms. */
export async function until(done: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
