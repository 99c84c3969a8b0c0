import type { HttpEvent, HttpResult } from '../dialects/http';

/**
 * What a browser gets at the root of the API: `GET /` is an SQS route (Query clients may send
 * GET /?Action=...), so a first visit used to answer an SQS InvalidAction error. A GET of `/` that
 * carries no `Action` is no SQS request: it gets this static page, which shows no data (like the
 * console's page), so it is served without a signature; every request with an Action is still
 * verified by the SQS dialect.
 */
export function isLandingRequest(event: HttpEvent): boolean {
  const routeKey = event.requestContext?.routeKey ?? `${event.requestContext?.http?.method} ${event.rawPath}`;
  if (routeKey !== 'GET /') return false;
  return new URLSearchParams(event.rawQueryString ?? '').get('Action') === null;
}

// Relative links, so they hold under a stage path as well.
const page = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Queue service</title>
</head>
<body>
<main>
<h1>Queue service</h1>
<p>This is the API of a serverless message queue. It speaks a REST/JSON API and the Amazon SQS wire protocol (point SQS clients at this URL).</p>
<ul>
<li><a href="./console">Web console</a>: queues, messages, dead letters</li>
<li><a href="./openapi.json">OpenAPI document</a> of the REST API</li>
<li>README.md in the service's source repository: how to use it, with curl, dq and SQS SDK examples</li>
</ul>
</main>
</body>
</html>
`;

export function landingPage(): HttpResult {
  return {
    statusCode: 200,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-cache',
      'content-security-policy':
        "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
    },
    body: page,
  };
}
