// Routes of a function that verifies SigV4 itself (the SQS protocol, signed for service `sqs`) have
// no API Gateway authorizer. That is only safe while the function refuses unsigned requests in the
// configuration the stack deploys: this file checks both sides of that bargain.
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpEvent, HttpResult } from '../../functions/dialects/http';
import { type RouteDefinition, routeKey, routes } from '../../functions/routes';
import { functionCatalog } from '../../infra/aws/function-catalog';
import { logicalIdOf, resourcesOf, synthQueueStack } from './synth';

const inFunction = routes.filter(
  (route) => functionCatalog[route.function].routeAuthorization === 'in-function',
);
const selfVerifying = inFunction.filter((route) => !route.public);
// The web console's page and assets: static, no data, so open (its API calls are signed).
const publicRoutes = routes.filter(
  (route) => functionCatalog[route.function].routeAuthorization === 'public',
);

describe('routes without an API Gateway authorizer', () => {
  const { app, stack, template } = synthQueueStack();
  const apiRoutes = Object.values(resourcesOf(template, 'AWS::ApiGatewayV2::Route'));

  it('are exactly the routes of functions that verify SigV4 themselves, and the static console', () => {
    const open = apiRoutes.filter((route) => route.Properties.AuthorizationType === 'NONE');
    expect(open.map((route) => route.Properties.RouteKey).sort()).toEqual(
      [...inFunction, ...publicRoutes].map(routeKey).sort(),
    );
  });

  it('leave public only GET routes of a function without data permissions', () => {
    expect(publicRoutes.map(routeKey)).toEqual(['GET /console', 'GET /console/assets/{asset}']);
    for (const route of publicRoutes) {
      const spec = functionCatalog[route.function];
      expect(spec.dynamo, route.function).toEqual({});
      expect(spec.readsReceiptHandleSecret, route.function).toBe(false);
    }
  });

  it('carry the AwsSolutions-APIG4 acknowledgement, and nothing else is left unacknowledged', () => {
    for (const pack of [new AwsSolutionsChecks(), new ServerlessChecks()]) {
      expect(pack.validateScope(app).violations.map((violation) => violation.ruleName)).toEqual([]);
    }
    const acknowledged = app.node
      .findAll()
      .filter((construct) =>
        construct.node.metadata.some((entry) =>
          JSON.stringify(entry.data ?? {}).includes('AwsSolutions-APIG4'),
        ),
      );
    expect(acknowledged).toHaveLength(inFunction.length + publicRoutes.length);
  });

  it('belong to functions deployed with SQS_AUTH=required', () => {
    const functions = resourcesOf(template, 'AWS::Lambda::Function');
    for (const name of new Set(selfVerifying.map((route) => route.function))) {
      const fn = functions[logicalIdOf(stack, stack.service.functions.get(name)!.function)]!;
      const environment = fn.Properties.Environment as { Variables: Record<string, unknown> };
      expect(environment.Variables.SQS_AUTH, name).toBe('required');
    }
  });
});

describe.runIf(selfVerifying.length > 0)('a self-verifying function, configured as deployed', () => {
  const saved = { ...process.env };

  beforeAll(() => {
    // What the stack sets; the secret is given directly so no Secrets Manager call is made.
    Object.assign(process.env, { SQS_AUTH: 'required', RECEIPT_HANDLE_SECRET: 'infra-test-secret' });
  });
  afterAll(() => {
    process.env = saved;
  });

  it.each(selfVerifying.map((route) => [routeKey(route), route] as const))(
    'refuses an unsigned %s before doing anything',
    async (_, route) => {
      const { handler } = (await import(`../../functions/handlers/${route.function}.ts`)) as {
        handler: (event: HttpEvent, context: unknown) => Promise<HttpResult>;
      };
      const result = await handler(unsignedEvent(route), {});
      expect(result.statusCode).toBeGreaterThanOrEqual(400);
      expect(result.statusCode).toBeLessThan(500);
      expect(String(result.body)).toMatch(/MissingAuthenticationToken/);
    },
  );
});

function unsignedEvent(route: RouteDefinition): HttpEvent {
  const path = route.path.replace('{accountId}', '123456789012').replace('{queueName}', 'jobs');
  const json = route.method === 'POST' && route.path === '/';
  return {
    version: '2.0',
    routeKey: routeKey(route),
    rawPath: path,
    rawQueryString: route.method === 'GET' ? 'Action=ListQueues&Version=2012-11-05' : '',
    headers: json
      ? { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AmazonSQS.ListQueues' }
      : { 'content-type': 'application/x-www-form-urlencoded' },
    ...(route.method === 'GET'
      ? { queryStringParameters: { Action: 'ListQueues', Version: '2012-11-05' } }
      : {}),
    body: route.method === 'POST' ? (json ? '{}' : 'Action=ListQueues&Version=2012-11-05') : undefined,
    isBase64Encoded: false,
    requestContext: {
      accountId: '123456789012',
      apiId: 'test',
      domainName: 'test.execute-api.us-east-1.amazonaws.com',
      domainPrefix: 'test',
      http: {
        method: route.method,
        path,
        protocol: 'HTTP/1.1',
        sourceIp: '192.0.2.1',
        userAgent: 'infra-test',
      },
      requestId: 'infra-test',
      routeKey: routeKey(route),
      stage: '$default',
      time: '01/Jan/2026:00:00:00 +0000',
      timeEpoch: 0,
    },
  };
}
