import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Context } from 'aws-lambda';
import type { HttpEvent, HttpResult } from '../../functions/dialects/http';
import { toProblem } from '../../functions/dialects/rest/problem';
import type { Runtime } from '../../functions/handlers/runtime';
import { isQueueError, QueueError } from '../../functions/queue/errors';
import { type FunctionName, routes } from '../../functions/routes';
import { buildEvent, matchRoute } from './api-gateway-event';
import { authenticateRestRequest, needsIamSignature } from './rest-authentication';

/**
 * Serves the route table over HTTP the way API Gateway does: each request becomes a payload 2.0
 * event for the deployed handler of its route, and the handler's result becomes the response.
 */
type Handler = (event: HttpEvent, context: Context) => Promise<HttpResult>;

/** API Gateway's payload limit. */
const maxBodyBytes = 10 * 1024 * 1024;

const handlers = new Map<FunctionName, Promise<Handler>>();

function loadHandler(name: FunctionName): Promise<Handler> {
  let handler = handlers.get(name);
  if (!handler) {
    handler = import(`../../functions/handlers/${name}.ts`).then((module) => module.handler as Handler);
    handlers.set(name, handler);
  }
  return handler;
}

export interface HttpHost {
  server: Server;
  url: string;
  port: number;
  close(): Promise<void>;
}

export interface HttpHostOptions {
  port: number;
  host: string;
  accountId: string;
  /** The runtime the handlers use: its access keys and clock verify signed REST requests. */
  runtime: Runtime;
  /**
   * How long a client may take to send a whole request, headers and body (default 10 s): a
   * stalled body is answered 408 and its connection closed, instead of holding it for Node's
   * default 5 minutes. Answers may take longer (long polls wait up to 20 s).
   */
  requestTimeoutMs?: number;
}

export async function startHttpHost(options: HttpHostOptions): Promise<HttpHost> {
  const requestTimeout = options.requestTimeoutMs ?? 10_000;
  const server = createServer(
    {
      requestTimeout,
      headersTimeout: Math.min(requestTimeout, 10_000),
      // Node checks these timeouts on this interval (30 s by default): seconds must mean seconds.
      connectionsCheckingInterval: Math.min(1_000, requestTimeout),
    },
    (request, response) => {
      serve(request, response, options).catch((error) => {
        // The client went away or stalled past the request timeout (Node answered 408): not ours.
        if (request.destroyed && (error as NodeJS.ErrnoException).code === 'ECONNRESET') return;
        console.error(
          JSON.stringify({ level: 'ERROR', message: 'local host failure', error: String(error) }),
        );
        if (!response.headersSent) send(response, toProblem(error));
      });
    },
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  const shownHost = options.host === '0.0.0.0' || options.host === '::' ? 'localhost' : options.host;
  return {
    server,
    port,
    url: `http://${shownHost}:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function serve(
  request: IncomingMessage,
  response: ServerResponse,
  options: HttpHostOptions,
): Promise<void> {
  const body = await readBody(request);
  if (body === 'too large') {
    return send(
      response,
      toProblem(new QueueError('BatchRequestTooLong', `The request body exceeds ${maxBodyBytes} bytes`)),
    );
  }
  const path = new URL(request.url ?? '/', 'http://local').pathname;
  const matched = matchRoute(routes, request.method ?? 'GET', path);
  if (matched === undefined) {
    return send(
      response,
      toProblem(new QueueError('NotFound', `There is no route ${request.method} ${path}`)),
    );
  }
  if (matched === 'method') {
    return send(
      response,
      toProblem(new QueueError('MethodNotAllowed', `${request.method} is not allowed on ${path}`)),
    );
  }
  const event = buildEvent(request, body, matched, options.accountId);
  if (needsIamSignature(matched.route)) {
    try {
      await authenticateRestRequest(event, options.runtime);
    } catch (error) {
      if (!isQueueError(error)) throw error;
      return send(response, toProblem(error));
    }
  }
  const handler = await loadHandler(matched.route.function);
  const result = await handler(event, lambdaContext(matched.route.function, event.requestContext.requestId));
  send(response, result);
}

function readBody(request: IncomingMessage): Promise<Buffer | 'too large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBodyBytes) chunks.push(chunk);
    });
    request.on('end', () => resolve(size > maxBodyBytes ? 'too large' : Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

function send(response: ServerResponse, result: HttpResult): void {
  const body =
    result.body === undefined
      ? undefined
      : Buffer.from(result.body, result.isBase64Encoded ? 'base64' : 'utf8');
  const headers: Record<string, string | number | string[]> = {};
  for (const [name, value] of Object.entries(result.headers ?? {})) headers[name] = String(value);
  if (result.cookies?.length) headers['set-cookie'] = result.cookies;
  if (body && !headers['content-type']) headers['content-type'] = 'application/json';
  headers['content-length'] = body?.length ?? 0;
  response.writeHead(result.statusCode ?? 200, headers);
  response.end(body);
}

function lambdaContext(functionName: string, requestId: string): Context {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${functionName}`,
    memoryLimitInMB: '512',
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => 29_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
