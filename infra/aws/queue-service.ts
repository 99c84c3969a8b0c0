import { Aws, Duration } from 'aws-cdk-lib';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { routes, schedules as scheduleTable } from '../../functions/routes';
import { deadLettersTable, messagesTable, tableNames } from '../../functions/store/table-layout';
import { enabledFunctions, type FunctionSpec, type ServiceFunctionName } from './function-catalog';
import { QueueHttpApi } from './http-api';
import { QueueMonitoring } from './monitoring';
import { acknowledgeNagFindings } from './nag-acknowledgements';
import { type QueueServiceProps, resolveQueueServiceProps } from './queue-service-props';
import { ServiceFunction } from './service-function';
import { tableFromLayout } from './tables';

export type { QueueServiceProps } from './queue-service-props';

/**
 * The whole queue service: both tables, the receipt-handle secret, one function per entry of the
 * function catalog, the HTTP API built from the route table, the schedules, alarms and a
 * dashboard. Construct ids below are a contract: renaming one replaces the resource (and a table
 * with its data).
 */
export class QueueService extends Construct {
  readonly messagesTable: Table;
  readonly deadLettersTable: Table;
  readonly receiptHandleSecret: Secret;
  readonly functions: ReadonlyMap<ServiceFunctionName, ServiceFunction>;
  readonly httpApi: QueueHttpApi;
  readonly schedules: ReadonlyMap<ServiceFunctionName, Rule>;
  readonly monitoring: QueueMonitoring;

  constructor(scope: Construct, id: string, props: QueueServiceProps = {}) {
    super(scope, id);
    const config = resolveQueueServiceProps(props);
    const names = tableNames(config.tablePrefix);
    const stateful = {
      removalPolicy: config.removalPolicy,
      deletionProtection: config.deletionProtection,
      encryptionKey: config.encryptionKey,
    };
    this.messagesTable = tableFromLayout(this, 'MessagesTable', messagesTable, {
      tableName: names.messages,
      ...stateful,
    });
    this.deadLettersTable = tableFromLayout(this, 'DeadLettersTable', deadLettersTable, {
      tableName: names.deadLetters,
      ...stateful,
    });

    // Signs receipt handles. Functions read it once per container, so it never sits in a template
    // or in a function's configuration.
    this.receiptHandleSecret = new Secret(this, 'ReceiptHandleSecret', {
      description: 'HMAC key that signs the queue service receipt handles',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      encryptionKey: config.encryptionKey,
      removalPolicy: config.removalPolicy,
    });

    const environment = {
      MESSAGES_TABLE: this.messagesTable.tableName,
      DEAD_LETTERS_TABLE: this.deadLettersTable.tableName,
      RECEIPT_HANDLE_SECRET_ARN: this.receiptHandleSecret.secretArn,
      QUEUE_ACCOUNT_ID: Aws.ACCOUNT_ID,
      QUEUE_SHARDS: String(config.shardCount),
      // Every SQS request must be signed with one of the service's access keys (never optional on AWS).
      SQS_AUTH: 'required',
      NODE_OPTIONS: '--enable-source-maps',
    };
    const functions = new Map<ServiceFunctionName, ServiceFunction>();
    for (const [name, spec] of enabledFunctions()) {
      functions.set(
        name,
        new ServiceFunction(this, `${pascalCase(name)}Function`, {
          name,
          spec,
          messagesTable: this.messagesTable,
          deadLettersTable: this.deadLettersTable,
          receiptHandleSecret: this.receiptHandleSecret,
          encryptionKey: config.encryptionKey,
          environment,
          logRetention: config.logRetention,
          removalPolicy: config.removalPolicy,
          tracing: config.tracing,
        }),
      );
    }
    this.functions = functions;
    const deployed = new Map<ServiceFunctionName, { fn: IFunction; spec: FunctionSpec }>(
      [...functions].map(([name, f]) => [name, { fn: f.function, spec: f.spec }]),
    );

    this.httpApi = new QueueHttpApi(this, 'HttpApi', {
      routes,
      functions: deployed,
      throttlingRateLimit: config.throttlingRateLimit,
      throttlingBurstLimit: config.throttlingBurstLimit,
      corsOrigins: config.corsOrigins,
      accessLogRetention: config.accessLogRetention,
      removalPolicy: config.removalPolicy,
    });

    const schedules = new Map<ServiceFunctionName, Rule>();
    for (const entry of scheduleTable) {
      const target = deployed.get(entry.function);
      if (!target) {
        throw new Error(
          `functions/routes.ts schedules the '${entry.function}' function, which is not enabled in ` +
            'infra/aws/function-catalog.ts',
        );
      }
      // The next tick is the retry: a failed run is not worth replaying minutes later.
      target.fn.configureAsyncInvoke({ retryAttempts: 0, maxEventAge: Duration.minutes(1) });
      const schedule =
        entry.function === 'sweeper' && config.sweepSchedule
          ? config.sweepSchedule
          : everySeconds(entry.function, entry.everySeconds);
      schedules.set(
        entry.function,
        new Rule(this, `${pascalCase(entry.function)}Schedule`, {
          description: `Runs the queue service's ${entry.function} function`,
          schedule,
          targets: [new LambdaFunction(target.fn, { retryAttempts: 0, maxEventAge: Duration.minutes(1) })],
        }),
      );
    }
    this.schedules = schedules;

    this.monitoring = new QueueMonitoring(this, 'Monitoring', {
      functions: deployed,
      tables: [
        { id: 'Messages', table: this.messagesTable },
        { id: 'DeadLetters', table: this.deadLettersTable },
      ],
      messagesTableName: names.messages,
      stage: this.httpApi.stage,
      oldestMessageAgeAlarm: config.oldestMessageAgeAlarm,
    });

    acknowledgeNagFindings(this, { tracing: config.tracing });
  }

  /** The base URL of the API, ending with `/`. */
  get apiUrl(): string {
    return this.httpApi.url;
  }
}

/** EventBridge rates count whole minutes. */
function everySeconds(name: string, seconds: number): Schedule {
  if (!Number.isInteger(seconds / 60) || seconds < 60) {
    throw new Error(
      `The '${name}' schedule in functions/routes.ts must be a whole number of minutes for EventBridge, ` +
        `but every ${seconds} seconds was given`,
    );
  }
  return Schedule.rate(Duration.minutes(seconds / 60));
}

function pascalCase(name: string): string {
  return name.replace(/(^|[-_])(\w)/g, (_, __, letter: string) => letter.toUpperCase());
}
