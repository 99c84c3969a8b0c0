import { Aws, Duration } from 'aws-cdk-lib';
import type { IMetric, Metric, MetricOptions } from 'aws-cdk-lib/aws-cloudwatch';
import { StreamViewType, type Table } from 'aws-cdk-lib/aws-dynamodb';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { Grant, type IGrantable, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { Bucket } from 'aws-cdk-lib/aws-s3';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { routes, schedules as scheduleTable } from '../../functions/routes';
import { deadLettersTable, messagesTable, tableNames } from '../../functions/store/table-layout';
import { accessKeyActions, accessKeysPartition } from './access-key-grants';
import { createBodyBucket } from './body-bucket';
import { enabledFunctions, type FunctionSpec, type ServiceFunctionName } from './function-catalog';
import { grantInvoke, type QueueGrantOptions, type RestAccess, routesFor } from './grants';
import { QueueHttpApi } from './http-api';
import { QueueMonitoring } from './monitoring';
import { acknowledgeNagFindings } from './nag-acknowledgements';
import { PushDispatcher } from './push-dispatcher';
import { QueueCounters } from './queue-counters';
import { type QueueServiceProps, resolveQueueServiceProps } from './queue-service-props';
import { ServiceFunction } from './service-function';
import {
  gaugeMetric,
  serviceMetrics,
  throttledRequests,
  topicDeliveriesDroppedMetric,
} from './service-metrics';
import { tableFromLayout } from './tables';

export type { QueueGrantOptions } from './grants';
export type { QueueServiceProps } from './queue-service-props';

/**
 * The whole queue service: both tables, the receipt-handle secret, one function per entry of the
 * function catalog, the HTTP API built from the route table, the schedules, alarms and a
 * dashboard. Construct ids below are a contract: renaming one replaces the resource (and a table
 * with its data).
 */
export class QueueService extends Construct {
  /**
   * The base URL of the API, ending with `/`: REST routes below it (`<apiUrl>queues`), and the
   * endpoint of SQS clients (signed with one of the service's access keys).
   */
  readonly apiUrl: string;
  /** The DynamoDB table holding queues, messages and the access keys. */
  readonly messagesTableName: string;
  /** The DynamoDB table holding dead letters and redrive tasks. */
  readonly deadLettersTableName: string;
  readonly messagesTable: Table;
  /** The S3 bucket of large message bodies (undefined with `largeBodiesInS3: false`). */
  readonly bodyBucket: Bucket | undefined;
  readonly deadLettersTable: Table;
  readonly receiptHandleSecret: Secret;
  readonly functions: ReadonlyMap<ServiceFunctionName, ServiceFunction>;
  readonly httpApi: QueueHttpApi;
  readonly schedules: ReadonlyMap<ServiceFunctionName, Rule>;
  readonly monitoring: QueueMonitoring;

  private readonly encryptionKey: IKey | undefined;

  constructor(scope: Construct, id: string, props: QueueServiceProps = {}) {
    super(scope, id);
    const config = resolveQueueServiceProps(props);
    this.encryptionKey = config.encryptionKey;
    const names = tableNames(config.tablePrefix);
    const stateful = {
      removalPolicy: config.removalPolicy,
      deletionProtection: config.deletionProtection,
      encryptionKey: config.encryptionKey,
    };
    this.messagesTable = tableFromLayout(this, 'MessagesTable', messagesTable, {
      tableName: names.messages,
      ...stateful,
      stream: StreamViewType.NEW_AND_OLD_IMAGES,
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

    this.bodyBucket = config.largeBodiesInS3 ? createBodyBucket(this, config.removalPolicy) : undefined;

    const environment = {
      ...(this.bodyBucket
        ? { BODY_BUCKET: this.bodyBucket.bucketName, BODY_THRESHOLD_BYTES: String(config.bodyThresholdBytes) }
        : {}),
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
          bodyBucket: this.bodyBucket,
          encryptionKey: config.encryptionKey,
          environment,
          logRetention: config.logRetention,
          removalPolicy: config.removalPolicy,
          tracing: config.tracing,
          depsLockFilePath: config.depsLockFilePath,
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
    this.monitoring = new QueueMonitoring(this, 'Monitoring', {
      functions: deployed,
      tables: [
        { id: 'Messages', table: this.messagesTable },
        { id: 'DeadLetters', table: this.deadLettersTable },
      ],
      messagesTableName: names.messages,
      stage: this.httpApi.stage,
      oldestMessageAgeAlarm: config.oldestMessageAgeAlarm,
      // Topic deliveries happen in Publish (topics) and in the outbox sweep (sweeper).
      deliveryLogGroups: functions.has('topics')
        ? (['topics', 'sweeper'] as const).flatMap((name) => {
            const f = functions.get(name);
            return f ? [{ name, logGroup: f.logGroup }] : [];
          })
        : [],
    });

    const counter = functions.get('counter');
    if (counter) new QueueCounters(this, 'Counters', { counter, messagesTable: this.messagesTable });

    const dispatcher = functions.get('dispatcher');
    if (dispatcher) {
      const push = new PushDispatcher(this, 'PushDispatcher', {
        dispatcher,
        consumers: functions.get('consumers'),
        messagesTable: this.messagesTable,
        messagesTableName: names.messages,
        pushFunctionArns: config.pushFunctionArns,
        monitoring: this.monitoring,
      });
      schedules.set('dispatcher', push.schedule);
    }
    this.schedules = schedules;
    // Topics' lambda subscribers: the functions that deliver to them (Publish, SNS's Publish on the
    // sqs function, the outbox sweep) may invoke only the functions the stack names.
    if (config.pushFunctionArns.length > 0) {
      for (const name of ['topics', 'sqs', 'sweeper'] as const) {
        functions.get(name)?.role.addToPrincipalPolicy(
          new PolicyStatement({
            sid: 'InvokeLambdaSubscribers',
            actions: ['lambda:InvokeFunction'],
            resources: config.pushFunctionArns,
          }),
        );
      }
    }

    acknowledgeNagFindings(this, { tracing: config.tracing });
    this.apiUrl = this.httpApi.url;
    this.messagesTableName = this.messagesTable.tableName;
    this.deadLettersTableName = this.deadLettersTable.tableName;
  }

  /** Lets the grantee send messages, and cancel scheduled ones, through the REST API (`execute-api:Invoke`). */
  grantSend(grantee: IGrantable, options: QueueGrantOptions = {}): Grant {
    return this.grantRest('send', grantee, options);
  }

  /** Lets the grantee receive, change the visibility of and delete messages through the REST API. */
  grantConsume(grantee: IGrantable, options: QueueGrantOptions = {}): Grant {
    return this.grantRest('consume', grantee, options);
  }

  /** Lets the grantee look without changing anything: queues, counts, statistics, peek, dead letters. */
  grantRead(grantee: IGrantable, options: QueueGrantOptions = {}): Grant {
    return this.grantRest('read', grantee, options);
  }

  /** Lets the grantee call every REST route: create, change, purge and delete queues, redrive, ... */
  grantAdminister(grantee: IGrantable, options: QueueGrantOptions = {}): Grant {
    return this.grantRest('administer', grantee, options);
  }

  /**
   * Lets the grantee create, list and revoke the access keys SQS clients sign with
   * (`npm run keys -- --table <messagesTableName>`): DynamoDB calls on the messages table, limited
   * to the partition that holds the keys. The service has no finer SQS permissions: an active key
   * may call every SQS action on every queue of its account, so handing out a key is the grant.
   */
  grantManageAccessKeys(grantee: IGrantable): Grant {
    const grant = Grant.addToPrincipal({
      grantee,
      actions: accessKeyActions.map((action) => `dynamodb:${action}`),
      resourceArns: [this.messagesTable.tableArn],
      conditions: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [accessKeysPartition] } },
    });
    this.encryptionKey?.grantEncryptDecrypt(grantee);
    return grant;
  }

  /** Messages waiting in dead-letter queues, all queues together (the sweeper's gauge; Maximum, 5 minutes). */
  metricDeadLetterMessages(options?: MetricOptions): Metric {
    return gaugeMetric(serviceMetrics.deadLetterMessages, this.messagesTableName, options);
  }

  /** Age in seconds of the oldest message not yet received, over all queues (Maximum, 5 minutes). */
  /** Topic deliveries given up (a subscribed queue gone, or refusing the message), summed. */
  metricTopicDeliveriesDropped(options?: MetricOptions): Metric {
    return topicDeliveriesDroppedMetric(options);
  }

  metricApproximateAgeOfOldestMessage(options?: MetricOptions): Metric {
    return gaugeMetric(serviceMetrics.oldestMessageAge, this.messagesTableName, options);
  }

  /** Requests the API answered with 5xx (Sum, 5 minutes). */
  metricApiServerErrors(options?: MetricOptions): Metric {
    return this.httpApi.stage.metricServerError({
      period: Duration.minutes(5),
      statistic: 'Sum',
      ...options,
    });
  }

  /** Requests the API refused with 4xx (Sum, 5 minutes). */
  metricApiClientErrors(options?: MetricOptions): Metric {
    return this.httpApi.stage.metricClientError({
      period: Duration.minutes(5),
      statistic: 'Sum',
      ...options,
    });
  }

  /** Requests the API received (Sum, 5 minutes). */
  metricApiRequests(options?: MetricOptions): Metric {
    return this.httpApi.stage.metricCount({ period: Duration.minutes(5), statistic: 'Sum', ...options });
  }

  /** API latency as callers see it (p99, 5 minutes). */
  metricApiLatency(options?: MetricOptions): Metric {
    return this.httpApi.stage.metricLatency({ period: Duration.minutes(5), statistic: 'p99', ...options });
  }

  /** Errors of one of the service's functions (Sum, 5 minutes); `functions` lists their names. */
  metricFunctionErrors(name: ServiceFunctionName, options?: MetricOptions): Metric {
    return this.serviceFunction(name).metricErrors({ period: Duration.minutes(5), ...options });
  }

  /** Throttled invocations of one of the service's functions (Sum, 5 minutes). */
  metricFunctionThrottles(name: ServiceFunctionName, options?: MetricOptions): Metric {
    return this.serviceFunction(name).metricThrottles({ period: Duration.minutes(5), ...options });
  }

  /** DynamoDB requests throttled on a table, over every operation the service calls (5 minutes). */
  metricThrottledRequests(table: 'messages' | 'deadLetters', options?: MetricOptions): IMetric {
    return throttledRequests(table === 'messages' ? this.messagesTable : this.deadLettersTable, options);
  }

  private serviceFunction(name: ServiceFunctionName): IFunction {
    const found = this.functions.get(name);
    if (!found) {
      throw new Error(
        `The queue service has no '${name}' function; it has ${[...this.functions.keys()].join(', ')}`,
      );
    }
    return found.function;
  }

  private grantRest(access: RestAccess, grantee: IGrantable, options: QueueGrantOptions): Grant {
    const iamFunctions = new Set(
      [...this.functions].filter(([, f]) => f.spec.routeAuthorization === 'iam').map(([name]) => name),
    );
    return grantInvoke(grantee, this.httpApi.api, routesFor(access, iamFunctions), options);
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
