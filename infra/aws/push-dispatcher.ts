import { Duration, Validations } from 'aws-cdk-lib';
import { Metric, Stats } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { EventSourceMapping, FilterCriteria, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { newMessageFilters } from '../../functions/store/message-stream';
import type { QueueMonitoring } from './monitoring';
import type { ServiceFunction } from './service-function';
import { serviceMetrics } from './service-metrics';
import { allowMessagesStreamRead } from './stream-reader';

export interface PushDispatcherProps {
  dispatcher: ServiceFunction;
  /** The consumers function: it checks functionArn targets against the same list. */
  consumers: ServiceFunction | undefined;
  /** The messages table, with its stream on (NEW_AND_OLD_IMAGES). */
  messagesTable: ITable;
  messagesTableName: string;
  /** Lambda functions consumers may target (ARN patterns); none by default. */
  pushFunctionArns: string[];
  monitoring: QueueMonitoring;
}

/**
 * The deployed side of push delivery (functions/handlers/dispatcher.ts): the messages table's
 * stream, filtered to inserted messages, invokes the dispatcher for messages visible at once; a
 * schedule every minute runs a pass for messages that become visible later (a delay, a lease that
 * ran out after a failed batch). Its role may read that stream and invoke only the functions the
 * stack's pushFunctionArns names. Alarms: any failed batch, and a message waiting for a consumer
 * longer than 15 minutes.
 */
export class PushDispatcher extends Construct {
  readonly schedule: Rule;
  readonly eventSource: EventSourceMapping;

  constructor(scope: Construct, id: string, props: PushDispatcherProps) {
    super(scope, id);
    const fn = props.dispatcher;
    const streamArn = props.messagesTable.tableStreamArn;
    if (!streamArn) throw new Error('Push delivery needs the messages table stream (NEW_AND_OLD_IMAGES)');
    allowMessagesStreamRead(fn, streamArn);
    if (props.pushFunctionArns.length > 0) {
      fn.role.addToPrincipalPolicy(
        new PolicyStatement({
          sid: 'InvokePushTargets',
          actions: ['lambda:InvokeFunction'],
          resources: props.pushFunctionArns,
        }),
      );
    }
    // Unset means none: the functions' environment stays the common contract by default.
    if (props.pushFunctionArns.length > 0) {
      const allowed = props.pushFunctionArns.join(',');
      fn.function.addEnvironment('PUSH_FUNCTION_ARNS', allowed);
      props.consumers?.function.addEnvironment('PUSH_FUNCTION_ARNS', allowed);
    }

    this.eventSource = new EventSourceMapping(this, 'NewMessages', {
      target: fn.function,
      eventSourceArn: streamArn,
      startingPosition: StartingPosition.LATEST,
      batchSize: 100,
      maxBatchingWindow: Duration.seconds(0),
      // The handler never throws on a stream batch (an undelivered message stays in its queue for
      // the scheduled pass); two retries cover a crash without holding the shard up.
      retryAttempts: 2,
      filters: newMessageFilters.map((pattern) => FilterCriteria.filter(pattern)),
    });
    // Lambda checks the role can read the stream when it creates the mapping.
    this.eventSource.node.addDependency(fn.role);

    this.schedule = new Rule(this, 'Schedule', {
      description: "Runs the queue service's push dispatcher pass",
      schedule: Schedule.rate(Duration.minutes(1)),
      targets: [new LambdaFunction(fn.function, { retryAttempts: 0, maxEventAge: Duration.minutes(1) })],
    });
    Validations.of(this.eventSource).acknowledge({
      id: 'Serverless-LambdaEventSourceMappingDestination',
      reason:
        'A stream record only names a queue with a new message; the message itself stays in its queue ' +
        "and the dispatcher's scheduled pass delivers what a failed invocation did not.",
    });

    const metric = (metricName: string, statistic: string) =>
      new Metric({
        namespace: serviceMetrics.namespace,
        metricName,
        dimensionsMap: { [serviceMetrics.dimension]: props.messagesTableName },
        statistic,
        period: Duration.minutes(5),
      });
    props.monitoring.alarm(
      'PushDeliveryFailures',
      metric('PushFailedBatches', Stats.SUM),
      1,
      'A push consumer target failed a batch (an error, a non-2xx answer or a timeout): its messages come back after the visibility timeout',
    );
    props.monitoring.alarm(
      'PushOldestUndelivered',
      metric('PushOldestUndeliveredAge', Stats.MAXIMUM),
      15 * 60,
      'A message has waited over 15 minutes for its push consumer: the target fails or falls behind',
    );
  }
}
