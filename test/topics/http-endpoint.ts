import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A real HTTP endpoint on loopback that records what it is POSTed and answers what a test says. */
export interface RecordedRequest {
  headers: IncomingHttpHeaders;
  body: string;
}

export interface TestEndpoint {
  url: string;
  requests: RecordedRequest[];
  /** The status the next requests get (200 unless set). */
  answer(status: number): void;
  close(): Promise<void>;
}

export async function startEndpoint(): Promise<TestEndpoint> {
  const requests: RecordedRequest[] = [];
  let status = 200;
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      requests.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      response.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    requests,
    answer: (next) => {
      status = next;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** SNS's string to sign: "<name>\n<value>\n" for each signed field present, in this order. */
export function stringToSign(document: Record<string, string>, fields: string[]): string {
  return fields
    .filter((name) => document[name] !== undefined)
    .map((name) => `${name}\n${document[name]}\n`)
    .join('');
}

export const notificationFields = ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type'];
export const confirmationFields = [
  'Message',
  'MessageId',
  'SubscribeURL',
  'Timestamp',
  'Token',
  'TopicArn',
  'Type',
];
