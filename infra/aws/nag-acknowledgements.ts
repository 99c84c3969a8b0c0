import { Stack, Validations } from 'aws-cdk-lib';
import type { Rule } from 'aws-cdk-lib/aws-events';
import type { Bucket, CfnBucket } from 'aws-cdk-lib/aws-s3';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { bodyBucketReasons } from './body-bucket';
import type { ServiceFunctionName } from './function-catalog';
import type { QueueHttpApi } from './http-api';
import type { ServiceFunction } from './service-function';

/**
 * The cdk-nag findings (AwsSolutions and Serverless packs) this design accepts, each on the one
 * construct it concerns and with the reason a reviewer needs. Anything not listed here stops
 * `cdk synth`. infra/aws/README-deploy.md lists the same acknowledgements for people.
 */
export const nagReasons = {
  runtimeVersion:
    'nodejs22.x is the runtime the team builds (esbuild target node22) and tests for; it is a supported ' +
    'LTS runtime and newer AWS SDK v3 releases need Node >= 22. Moving to nodejs24.x is a one-line change ' +
    'in infra/aws/bundling.ts, made together with the esbuild target and CI.',
  apiFunctionDeadLetters:
    'API Gateway invokes it synchronously: a failure goes back to the HTTP caller, who retries. Dead-letter ' +
    'queues and failure destinations only ever receive asynchronous events.',
  scheduledFunctionDeadLetters:
    "Its schedule's event carries no data: the next run (a minute later) is the retry, and a failed run " +
    "raises the function's Errors alarm. A dead-letter queue would hold nothing worth replaying.",
  streamFunctionDeadLetters:
    'Its stream mapping invokes it synchronously and retries a failed batch from the stream itself; a ' +
    'dead-letter queue only ever receives asynchronous events, and the mapping takes none.',
  scheduleTargetDeadLetters:
    'The scheduled event carries no data: a delivery that fails is replaced by the next tick, and runs ' +
    "that fail raise the function's Errors alarm.",
  xrayWildcard:
    'Resource::* is only in the statement Lambda adds for active tracing (xray:PutTraceSegments, ' +
    'xray:PutTelemetryRecords); X-Ray has no resource-level permissions. test/infra/iam.test.ts asserts ' +
    'that no other statement of the role has a wildcard.',
  tracingOff:
    'Active tracing was turned off for this deployment (QueueServiceProps.tracing: false), a choice of ' +
    'whoever deploys it; the default keeps it on.',
  secretRotation:
    'The receipt-handle signing key has no automatic rotation: rotating it invalidates every in-flight ' +
    'receipt handle (consumers could no longer delete or extend what they received), and functions load ' +
    'it once per container. Rotate by hand (put a new value, then redeploy) during a quiet period; a ' +
    'two-key rotation is future work.',
  sqsRouteAuthorization:
    'SQS clients sign requests with SigV4 for service "sqs", which the API Gateway IAM authorizer ' +
    '(service "execute-api") cannot verify. The sqs function verifies every signature against the ' +
    "service's own access keys and, as deployed (SQS_AUTH=required), refuses unsigned requests; " +
    'test/infra/in-function-auth.test.ts checks that refusal. The one unsigned answer is a GET of / ' +
    'without an SQS Action: a static page of links with no data (test/security/landing-page.test.ts), ' +
    'and GET /sns/signing-certificate.pem: the public certificate subscribers verify notifications ' +
    'with, as SNS serves its own (test/topics/http-subscriptions.test.ts).',
  consoleRouteAuthorization:
    'The web console routes (GET /console and its assets) serve only static HTML, CSS and JavaScript: no ' +
    'data, no secrets. Its function has no DynamoDB or Secrets Manager permissions; every API call the page ' +
    'makes goes to the IAM-authorized REST routes, SigV4-signed with credentials the user enters. A browser ' +
    'cannot sign the request that loads the page itself, so these routes have no authorizer.',
} as const;

/** The parts of the service the findings concern (what QueueService holds, without importing it). */
export interface NagSubject {
  readonly functions: ReadonlyMap<ServiceFunctionName, ServiceFunction>;
  readonly bodyBucket: Bucket | undefined;
  readonly schedules: ReadonlyMap<ServiceFunctionName, Rule>;
  readonly httpApi: QueueHttpApi;
  readonly receiptHandleSecret: ISecret;
}

export function acknowledgeNagFindings(service: NagSubject, options: { tracing: boolean }): void {
  for (const fn of service.functions.values()) {
    const scheduled = service.schedules.has(fn.name);
    const api = [...service.httpApi.routes.values()].some((served) => served.functionName === fn.name);
    // Invoked by an event source mapping on the messages table's stream (push-dispatcher.ts, queue-counters.ts).
    const streamed = fn.name === 'counter';
    const deadLetterReason = [
      ...(api ? [nagReasons.apiFunctionDeadLetters] : []),
      ...(scheduled ? [nagReasons.scheduledFunctionDeadLetters] : []),
      ...(streamed ? [nagReasons.streamFunctionDeadLetters] : []),
    ].join(' ');
    Validations.of(fn.function).acknowledge(
      { id: 'AwsSolutions-L1', reason: nagReasons.runtimeVersion },
      { id: 'Serverless-LambdaLatestVersion', reason: nagReasons.runtimeVersion },
      { id: 'Serverless-LambdaDLQ', reason: deadLetterReason },
    );
    if (scheduled) {
      Validations.of(fn.function).acknowledge({
        id: 'Serverless-LambdaAsyncFailureDestination',
        reason: nagReasons.scheduledFunctionDeadLetters,
      });
    }
    if (service.bodyBucket && fn.spec.bodies && fn.spec.bodies.length > 0) {
      const bucketId = Stack.of(service.bodyBucket).getLogicalId(
        service.bodyBucket.node.defaultChild as CfnBucket,
      );
      Validations.of(fn.role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/*]`,
        reason: bodyBucketReasons.objectWildcard,
      });
    }
    if (options.tracing) {
      Validations.of(fn.role).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: nagReasons.xrayWildcard,
      });
    } else {
      Validations.of(fn.function).acknowledge({
        id: 'Serverless-LambdaTracing',
        reason: nagReasons.tracingOff,
      });
    }
  }
  for (const rule of service.schedules.values()) {
    Validations.of(rule).acknowledge({
      id: 'Serverless-EventBusDLQ',
      reason: nagReasons.scheduleTargetDeadLetters,
    });
  }
  for (const { route, spec } of service.httpApi.routes.values()) {
    if (spec.routeAuthorization === 'in-function') {
      Validations.of(route).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason: nagReasons.sqsRouteAuthorization,
      });
    } else if (spec.routeAuthorization === 'public') {
      Validations.of(route).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason: nagReasons.consoleRouteAuthorization,
      });
    }
  }
  Validations.of(service.receiptHandleSecret).acknowledge({
    id: 'AwsSolutions-SMG4',
    reason: nagReasons.secretRotation,
  });
}
