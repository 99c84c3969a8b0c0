import { type App, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import type { QueueServiceProps } from './queue-service-props';
import { QueueStack } from './queue-stack';

/**
 * Context keys the app reads (`cdk deploy -c queue:sandbox=true`), so a deployment is configured
 * without editing code.
 */
export const contextKeys = {
  stackName: 'queue:stackName',
  tablePrefix: 'queue:tablePrefix',
  /** `true`: tables, secret and logs are deleted with the stack (no deletion protection). */
  sandbox: 'queue:sandbox',
  /** Comma-separated browser origins allowed by CORS. */
  corsOrigins: 'queue:corsOrigins',
} as const;

export const defaultStackName = 'ServerlessQueue';

/** Adds the queue stack to an app, with the cdk-nag rule packs checking it at synthesis. */
export function addQueueStack(app: App): QueueStack {
  const read = (key: string): string | undefined => {
    const value: unknown = app.node.tryGetContext(key);
    return value === undefined || value === null ? undefined : String(value);
  };
  const sandbox = read(contextKeys.sandbox) === 'true';
  const corsOrigins = read(contextKeys.corsOrigins)
    ?.split(',')
    .map((origin) => origin.trim())
    .filter((origin) => origin.length > 0);
  const tablePrefix = read(contextKeys.tablePrefix);
  const service: QueueServiceProps = {
    ...(tablePrefix === undefined ? {} : { tablePrefix }),
    ...(corsOrigins ? { corsOrigins } : {}),
    ...(sandbox ? { removalPolicy: RemovalPolicy.DESTROY, deletionProtection: false } : {}),
  };

  // No `env`: the stack is environment-agnostic, so synthesis needs no credentials and makes no
  // lookups; `cdk deploy` takes the account and region from the caller's AWS profile.
  const stack = new QueueStack(app, read(contextKeys.stackName) ?? defaultStackName, {
    description: 'Serverless message queue: HTTP API, Lambda and DynamoDB',
    service,
  });
  // Any finding nobody acknowledged stops the synthesis, so it cannot reach a deployment unseen.
  Validations.of(app).addPlugins(
    new AwsSolutionsChecks(app, { writeSuppressionsToCloudFormation: true }),
    new ServerlessChecks(app),
  );
  return stack;
}
