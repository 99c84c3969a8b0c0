import { describe, expect, it } from 'vitest';
import { routeKey, routes } from '../../functions/routes';
import { functionCatalog } from '../../infra/aws/function-catalog';
import { logicalIdOf, resourcesOf, synthQueueStack } from './synth';

describe('HTTP API', () => {
  const { stack, template } = synthQueueStack();
  const service = stack.service;
  const apiRoutes = Object.values(resourcesOf(template, 'AWS::ApiGatewayV2::Route'));
  const integrations = resourcesOf(template, 'AWS::ApiGatewayV2::Integration');
  const stages = Object.values(resourcesOf(template, 'AWS::ApiGatewayV2::Stage'));

  it('has exactly one route per entry of the shared route table', () => {
    expect(apiRoutes.map((route) => route.Properties.RouteKey).sort()).toEqual(routes.map(routeKey).sort());
  });

  it.each(routes.map((route) => [routeKey(route), route] as const))('%s', (key, route) => {
    const apiRoute = apiRoutes.find((candidate) => candidate.Properties.RouteKey === key)!;
    const fn = service.functions.get(route.function)!;
    // Integrated with the function the route table names, as a Lambda proxy with payload 2.0.
    const target = apiRoute.Properties.Target as { 'Fn::Join': [string, [string, { Ref: string }]] };
    const integration = integrations[target['Fn::Join'][1][1].Ref]!;
    expect(integration.Properties).toMatchObject({
      IntegrationType: 'AWS_PROXY',
      PayloadFormatVersion: '2.0',
      IntegrationUri: { 'Fn::GetAtt': [logicalIdOf(stack, fn.function), 'Arn'] },
    });
    // REST routes are signed for execute-api and checked by API Gateway; the exceptions are a
    // function that checks SigV4 itself (the SQS protocol) and the console's static assets.
    const expected = functionCatalog[route.function].routeAuthorization === 'iam' ? 'AWS_IAM' : 'NONE';
    expect(apiRoute.Properties.AuthorizationType).toBe(expected);
  });

  it('leaves only the SQS routes (which verify SigV4 themselves) and the console without IAM authorization', () => {
    const notIam = routes.filter((route) => functionCatalog[route.function].routeAuthorization !== 'iam');
    const open = apiRoutes.filter((route) => route.Properties.AuthorizationType !== 'AWS_IAM');
    expect(open.map((route) => route.Properties.RouteKey).sort()).toEqual(notIam.map(routeKey).sort());
    expect(notIam.map((route) => route.function).sort()).toEqual([
      'console',
      'console',
      'sqs',
      'sqs',
      'sqs',
      'sqs',
      'sqs',
    ]);
  });

  it('serves the console only with GET and from a function without data permissions', () => {
    const consoleRoutes = routes.filter((route) => route.function === 'console');
    expect(consoleRoutes.map(routeKey)).toEqual(['GET /console', 'GET /console/assets/{asset}']);
    expect(functionCatalog.console.dynamo).toEqual({});
    expect(functionCatalog.console.readsReceiptHandleSecret).toBe(false);
  });

  it('lets API Gateway invoke each function only on the paths of its own routes', () => {
    const fromApi = Object.values(resourcesOf(template, 'AWS::Lambda::Permission')).filter(
      (permission) => permission.Properties.Principal === 'apigateway.amazonaws.com',
    );
    const permissions = fromApi.map((permission) => {
      expect(permission.Properties.Action).toBe('lambda:InvokeFunction');
      const sourceArn = permission.Properties.SourceArn as { 'Fn::Join': [string, unknown[]] };
      const parts = sourceArn['Fn::Join'][1];
      return { fn: JSON.stringify(permission.Properties.FunctionName), path: parts[parts.length - 1] };
    });
    const expected = routes.map((route) => ({
      fn: JSON.stringify({
        'Fn::GetAtt': [logicalIdOf(stack, service.functions.get(route.function)!.function), 'Arn'],
      }),
      path: `/*/*${route.path}`,
    }));
    const byKey = (a: { fn: string; path: unknown }, b: { fn: string; path: unknown }) =>
      `${a.fn}${a.path}`.localeCompare(`${b.fn}${b.path}`);
    expect([...permissions].sort(byKey)).toEqual([...expected].sort(byKey));
  });

  it('serves one auto-deployed $default stage with throttling', () => {
    expect(stages).toHaveLength(1);
    expect(stages[0]!.Properties).toMatchObject({
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: 500, ThrottlingBurstLimit: 1000 },
    });
  });

  it('writes JSON access logs of request metadata only (no bodies, no headers) to a retained log group', () => {
    const settings = stages[0]!.Properties.AccessLogSettings as { DestinationArn: unknown; Format: string };
    const logGroupId = logicalIdOf(stack, service.httpApi.accessLogs);
    expect(settings.DestinationArn).toEqual({ 'Fn::GetAtt': [logGroupId, 'Arn'] });
    const format = JSON.parse(settings.Format) as Record<string, string>;
    expect(format).toMatchObject({
      requestId: '$context.requestId',
      status: '$context.status',
      routeKey: '$context.routeKey',
      user: '$context.identity.userArn',
    });
    for (const variable of Object.values(format)) expect(variable).not.toMatch(/body|header/i);
    const logGroup = resourcesOf(template, 'AWS::Logs::LogGroup')[logGroupId]!;
    expect(logGroup.Properties.RetentionInDays).toBe(90);
  });

  it('has no CORS configuration unless origins are configured', () => {
    const api = Object.values(resourcesOf(template, 'AWS::ApiGatewayV2::Api'))[0]!;
    expect(api.Properties.CorsConfiguration).toBeUndefined();

    const { template: withCors } = synthQueueStack({
      context: { 'queue:corsOrigins': 'https://console.example.com, http://localhost:5173' },
    });
    const corsApi = Object.values(resourcesOf(withCors, 'AWS::ApiGatewayV2::Api'))[0]!;
    expect(corsApi.Properties.CorsConfiguration).toMatchObject({
      AllowOrigins: ['https://console.example.com', 'http://localhost:5173'],
      AllowMethods: ['*'],
    });
    expect((corsApi.Properties.CorsConfiguration as { AllowHeaders: string[] }).AllowHeaders).toContain(
      'x-amz-date',
    );
  });

  it('applies configured throttling limits', () => {
    const { template: custom } = synthQueueStack({
      service: { throttlingRateLimit: 50, throttlingBurstLimit: 100 },
    });
    custom.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      DefaultRouteSettings: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 },
    });
  });
});
