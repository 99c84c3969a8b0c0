import { existsSync } from 'node:fs';
import { Duration, type RemovalPolicy } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Effect, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import {
  ApplicationLogLevel,
  Architecture,
  LoggingFormat,
  SystemLogLevel,
  Tracing,
} from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { readyIndexName } from '../../functions/store/table-layout';
import { bundlingOptions, functionRuntime } from './bundling';
import type { DynamoAction, FunctionSpec, ServiceFunctionName } from './function-catalog';
import { bundlingLocation, handlerEntry } from './package-layout';

export interface ServiceFunctionProps {
  name: ServiceFunctionName;
  spec: FunctionSpec;
  messagesTable: ITable;
  deadLettersTable: ITable;
  receiptHandleSecret: ISecret;
  /** The bucket of large bodies, if the service keeps them in S3. */
  bodyBucket: IBucket | undefined;
  encryptionKey: IKey | undefined;
  environment: Record<string, string>;
  logRetention: RetentionDays;
  removalPolicy: RemovalPolicy;
  tracing: boolean;
  /** The lock file NodejsFunction bundles against; see QueueServiceProps.depsLockFilePath. */
  depsLockFilePath: string | undefined;
}

/** KMS calls DynamoDB and Secrets Manager make with the caller's rights on a customer-managed key. */
const customerKeyActions = ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'];

/**
 * One Lambda function of the service with its own log group and its own role. The role is built
 * here rather than by `grant*()` helpers so it holds exactly the actions the catalog lists.
 */
export class ServiceFunction extends Construct {
  readonly name: ServiceFunctionName;
  readonly spec: FunctionSpec;
  readonly function: NodejsFunction;
  readonly role: Role;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: ServiceFunctionProps) {
    super(scope, id);
    const { spec } = props;
    this.name = props.name;
    this.spec = spec;
    const entry = handlerEntry(spec.entry);
    if (!existsSync(entry)) {
      throw new Error(
        `The '${props.name}' function is enabled in infra/aws/function-catalog.ts but its handler ` +
          `${spec.entry} does not exist: write the handler or set 'enabled: false'`,
      );
    }

    this.logGroup = new LogGroup(this, 'Logs', {
      retention: props.logRetention,
      removalPolicy: props.removalPolicy,
    });

    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Runs the queue service's ${props.name} function`,
    });
    // Only its own log group: the basic execution managed policy would allow every log group.
    this.role.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'WriteOwnLogs',
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [this.logGroup.logGroupArn],
      }),
    );
    this.grantDynamo('MessagesTable', spec.dynamo.messages, props.messagesTable.tableArn);
    this.grantDynamo(
      'ReadyIndex',
      spec.dynamo.readyIndex,
      `${props.messagesTable.tableArn}/index/${readyIndexName}`,
    );
    this.grantDynamo('DeadLettersTable', spec.dynamo.deadLetters, props.deadLettersTable.tableArn);
    if (props.bodyBucket && spec.bodies && spec.bodies.length > 0) {
      this.role.addToPrincipalPolicy(
        new PolicyStatement({
          sid: 'MessageBodies',
          actions: spec.bodies.map((action) => `s3:${action}`),
          resources: [props.bodyBucket.arnForObjects('*')],
        }),
      );
    }
    if (spec.readsReceiptHandleSecret !== false) {
      this.role.addToPrincipalPolicy(
        new PolicyStatement({
          sid: 'ReadReceiptHandleSecret',
          actions: ['secretsmanager:GetSecretValue'],
          resources: [props.receiptHandleSecret.secretArn],
        }),
      );
    }
    // A function with no data (the console) needs no key either.
    const touchesData = Object.values(spec.dynamo).some((actions) => actions && actions.length > 0);
    if (props.encryptionKey && touchesData) {
      this.role.addToPrincipalPolicy(
        new PolicyStatement({
          sid: 'UseCustomerManagedKey',
          actions: customerKeyActions,
          resources: [props.encryptionKey.keyArn],
        }),
      );
    }

    this.function = new NodejsFunction(this, 'Function', {
      entry,
      handler: 'handler',
      description: spec.description,
      runtime: functionRuntime,
      architecture: Architecture.ARM_64,
      memorySize: spec.memoryMiB,
      timeout: Duration.seconds(spec.timeoutSeconds),
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: LoggingFormat.JSON,
      applicationLogLevelV2: ApplicationLogLevel.INFO,
      systemLogLevelV2: SystemLogLevel.WARN,
      tracing: props.tracing ? Tracing.ACTIVE : Tracing.DISABLED,
      environment: props.environment,
      ...bundlingLocation(props.depsLockFilePath),
      bundling: spec.afterBundling
        ? {
            ...bundlingOptions,
            commandHooks: {
              beforeBundling: () => [],
              beforeInstall: () => [],
              afterBundling: (_inputDir, outputDir) => spec.afterBundling!(outputDir),
            },
          }
        : bundlingOptions,
    });
  }

  private grantDynamo(sid: string, actions: DynamoAction[] | undefined, resource: string): void {
    if (!actions || actions.length === 0) return;
    this.role.addToPrincipalPolicy(
      new PolicyStatement({
        sid,
        effect: Effect.ALLOW,
        actions: actions.map((action) => `dynamodb:${action}`),
        resources: [resource],
      }),
    );
  }
}
