import { isUtf8 } from 'node:buffer';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { HttpEvent } from '../../functions/dialects/http';
import { type RouteDefinition, routeKey } from '../../functions/routes';

/**
 * Turns a local HTTP request into the event API Gateway (HTTP API, payload 2.0) would send the
 * deployed function, so the local service runs the very same handlers in the very same way.
 */
export interface MatchedRoute {
  route: RouteDefinition;
  pathParameters: Record<string, string>;
}

const compiled = new Map<string, RegExp>();

function pattern(path: string): RegExp {
  let regex = compiled.get(path);
  if (!regex) {
    const source = path
      .split('/')
      .map((segment) =>
        /^\{\w+\}$/.test(segment)
          ? `(?<${segment.slice(1, -1)}>[^/]+)`
          : segment.replace(/[.*+?^$()|[\]\\]/g, '\\$&'),
      )
      .join('/');
    regex = new RegExp(`^${source}$`);
    compiled.set(path, regex);
  }
  return regex;
}

/** API Gateway's rule: a route with fewer path variables (more literal) wins. */
export function matchRoute(
  routes: RouteDefinition[],
  method: string,
  path: string,
): MatchedRoute | 'method' | undefined {
  const candidates = routes
    .map((route) => ({ route, match: pattern(route.path).exec(path) }))
    .filter((c) => c.match !== null)
    .sort((a, b) => a.route.path.split('{').length - b.route.path.split('{').length);
  if (candidates.length === 0) return undefined;
  const chosen = candidates.find((c) => c.route.method === method);
  if (!chosen) return 'method';
  const pathParameters: Record<string, string> = {};
  for (const [name, value] of Object.entries(chosen.match!.groups ?? {})) {
    try {
      pathParameters[name] = decodeURIComponent(value);
    } catch {
      pathParameters[name] = value;
    }
  }
  return { route: chosen.route, pathParameters };
}

const textTypes = /^(text\/|application\/(json|x-www-form-urlencoded|xml|problem\+json|x-amz-json-1\.[01]))/i;

export function buildEvent(
  request: IncomingMessage,
  body: Buffer,
  matched: MatchedRoute,
  accountId: string,
): HttpEvent {
  const url = new URL(request.url ?? '/', 'http://local');
  const headers: Record<string, string> = {};
  const cookies: string[] = [];
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined) continue;
    if (name === 'cookie') cookies.push(...String(value).split(/;\s*/));
    else headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  const query: Record<string, string> = {};
  for (const [name, value] of url.searchParams)
    query[name] = name in query ? `${query[name]},${value}` : value;
  // Bytes that are not UTF-8 go base64-encoded, as binary, so the handler sees exactly what was sent
  // (decoding them here would replace them with U+FFFD before anyone could refuse them).
  const isText =
    body.length === 0 || (textTypes.test(headers['content-type'] ?? 'application/json') && isUtf8(body));
  const now = new Date();
  return {
    version: '2.0',
    routeKey: routeKey(matched.route),
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    ...(cookies.length > 0 ? { cookies } : {}),
    headers,
    ...(Object.keys(query).length > 0 ? { queryStringParameters: query } : {}),
    ...(Object.keys(matched.pathParameters).length > 0 ? { pathParameters: matched.pathParameters } : {}),
    requestContext: {
      accountId,
      apiId: 'local',
      domainName: headers.host ?? 'localhost',
      domainPrefix: (headers.host ?? 'localhost').split('.')[0]!,
      http: {
        method: request.method ?? 'GET',
        path: url.pathname,
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey: routeKey(matched.route),
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    body: body.length === 0 ? undefined : isText ? body.toString('utf8') : body.toString('base64'),
    isBase64Encoded: body.length > 0 && !isText,
  } as HttpEvent;
}
