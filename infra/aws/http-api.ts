import { type RemovalPolicy, Stack } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  CorsHttpMethod,
  HttpApi,
  HttpMethod,
  HttpNoneAuthorizer,
  type HttpRoute,
  HttpStage,
  type IHttpRouteAuthorizer,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpIamAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { type RouteDefinition, routeKey } from '../../functions/routes';
import type { FunctionSpec, ServiceFunctionName } from './function-catalog';

export interface QueueHttpApiProps {
  routes: RouteDefinition[];
  /** The deployed functions; a route whose function is missing here is an error. */
  functions: Map<ServiceFunctionName, { fn: IFunction; spec: FunctionSpec }>;
  throttlingRateLimit: number;
  throttlingBurstLimit: number;
  corsOrigins: string[];
  accessLogRetention: RetentionDays;
  removalPolicy: RemovalPolicy;
}

/**
 * One access-log line per request, as JSON. Only request metadata: bodies and headers never reach
 * the log (they can hold message bodies and signatures). `caller` and `user` come from IAM auth.
 */
const accessLogFields: Record<string, string> = {
  requestId: '$context.requestId',
  extendedRequestId: '$context.extendedRequestId',
  requestTime: '$context.requestTime',
  requestTimeEpoch: '$context.requestTimeEpoch',
  ip: '$context.identity.sourceIp',
  userAgent: '$context.identity.userAgent',
  caller: '$context.identity.caller',
  user: '$context.identity.userArn',
  httpMethod: '$context.httpMethod',
  routeKey: '$context.routeKey',
  path: '$context.path',
  protocol: '$context.protocol',
  status: '$context.status',
  responseLength: '$context.responseLength',
  responseLatency: '$context.responseLatency',
  integrationStatus: '$context.integrationStatus',
  integrationLatency: '$context.integrationLatency',
  integrationError: '$context.integrationErrorMessage',
  authorizerError: '$context.authorizer.error',
  error: '$context.error.message',
};

// Headers a browser must be allowed to send for a SigV4-signed request.
const corsAllowHeaders = [
  'authorization',
  'content-type',
  'x-amz-content-sha256',
  'x-amz-date',
  'x-amz-security-token',
  'x-amz-target',
];

/**
 * The HTTP API: one route per entry of functions/routes.ts, so the deployed routes are the ones the
 * local host serves; a stage with throttling and JSON access logs; CORS only when origins are given.
 */
export class QueueHttpApi extends Construct {
  readonly api: HttpApi;
  readonly stage: HttpStage;
  readonly accessLogs: LogGroup;
  /** Each route by its route key (`POST /queues`), with the function that serves it. */
  readonly routes = new Map<
    string,
    { route: HttpRoute; functionName: ServiceFunctionName; spec: FunctionSpec }
  >();

  constructor(scope: Construct, id: string, props: QueueHttpApiProps) {
    super(scope, id);
    this.api = new HttpApi(this, 'Api', {
      apiName: `${Stack.of(this).stackName}-api`,
      description: 'Serverless message queue: REST and the Amazon SQS protocol',
      // The stage below replaces the default one: only an explicit stage takes throttling and logs.
      createDefaultStage: false,
      ...(props.corsOrigins.length > 0
        ? {
            corsPreflight: {
              allowOrigins: props.corsOrigins,
              allowMethods: [CorsHttpMethod.ANY],
              allowHeaders: corsAllowHeaders,
            },
          }
        : {}),
    });

    this.accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: props.accessLogRetention,
      removalPolicy: props.removalPolicy,
    });
    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: props.throttlingRateLimit, burstLimit: props.throttlingBurstLimit },
      accessLogSettings: {
        destination: new LogGroupLogDestination(this.accessLogs),
        format: AccessLogFormat.custom(JSON.stringify(accessLogFields)),
      },
    });

    const integrations = new Map<ServiceFunctionName, HttpLambdaIntegration>();
    const iam = new HttpIamAuthorizer();
    const none = new HttpNoneAuthorizer();
    for (const route of props.routes) {
      const target = props.functions.get(route.function);
      if (!target) {
        throw new Error(
          `Route '${routeKey(route)}' is served by the '${route.function}' function, which is not ` +
            'enabled in infra/aws/function-catalog.ts',
        );
      }
      let integration = integrations.get(route.function);
      if (!integration) {
        integration = new HttpLambdaIntegration(`${route.function}-integration`, target.fn);
        integrations.set(route.function, integration);
      }
      const authorizer: IHttpRouteAuthorizer = target.spec.routeAuthorization === 'iam' ? iam : none;
      const [created] = this.api.addRoutes({
        path: route.path,
        methods: [HttpMethod[route.method]],
        integration,
        authorizer,
      });
      if (created) {
        this.routes.set(routeKey(route), { route: created, functionName: route.function, spec: target.spec });
      }
    }
  }

  /** The base URL of the deployed API, ending with `/`. */
  get url(): string {
    return this.stage.url;
  }
}
