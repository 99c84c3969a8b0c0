import { Duration } from 'aws-cdk-lib';
import { type IMetric, MathExpression, Metric, type MetricOptions, Stats } from 'aws-cdk-lib/aws-cloudwatch';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';

/**
 * The metrics the alarms watch, defined once: QueueMonitoring alarms on them and QueueService's
 * `metric*()` methods hand the same metrics to a user's own alarms and dashboards.
 *
 * Metrics the service publishes itself: the scheduled sweeper writes them after each complete
 * sweep in CloudWatch embedded metric format (functions/handlers/metrics.ts), one series per
 * deployment, told apart by the messages table's name.
 */
export const serviceMetrics = {
  namespace: 'ServerlessQueue',
  dimension: 'MessagesTable',
  /** Messages waiting in dead-letter queues, all queues together (gauge, published by the sweeper). */
  deadLetterMessages: 'DeadLetterMessages',
  /** Age in seconds of the oldest message not yet received, over all queues (gauge). */
  oldestMessageAge: 'ApproximateAgeOfOldestMessage',
  /**
   * Topic deliveries given up (the subscribed queue is gone or refuses the message), counted from
   * the topics and sweeper functions' `delivery dropped` log lines by metric filters. A metric filter
   * can take dimensions only from the log line, which does not name the deployment: deployments in
   * one account and region share this series.
   */
  topicDeliveriesDropped: 'TopicDeliveriesDropped',
} as const;

/** Dropped topic deliveries, summed over the period. */
export function topicDeliveriesDroppedMetric(options: MetricOptions = {}): Metric {
  return new Metric({
    namespace: serviceMetrics.namespace,
    metricName: serviceMetrics.topicDeliveriesDropped,
    statistic: Stats.SUM,
    period: alarmPeriod,
    ...options,
  });
}

/** The period of every alarm. */
export const alarmPeriod = Duration.minutes(5);

/** One of the service's own gauges (the maximum over the period, unless `options` say otherwise). */
export function gaugeMetric(
  metricName: (typeof serviceMetrics)['deadLetterMessages' | 'oldestMessageAge'],
  messagesTableName: string,
  options: MetricOptions = {},
): Metric {
  return new Metric({
    namespace: serviceMetrics.namespace,
    metricName,
    dimensionsMap: { [serviceMetrics.dimension]: messagesTableName },
    statistic: Stats.MAXIMUM,
    period: alarmPeriod,
    ...options,
  });
}

/**
 * The DynamoDB operations the functions call (ThrottledRequests is reported per operation). An
 * alarm takes at most 10 metrics, so this is the list in use rather than every operation.
 */
export const dataOperations = [
  'GetItem',
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'Query',
  'BatchGetItem',
  'BatchWriteItem',
  'TransactWriteItems',
];

/**
 * Throttled requests of a table over the operations the service calls. FILL makes an operation
 * without data count as 0: a plain `a + b` has no value (and never alarms) when one operation saw
 * no traffic.
 */
export function throttledRequests(table: Table, options: MetricOptions = {}): IMetric {
  const period = options.period ?? alarmPeriod;
  const usingMetrics = Object.fromEntries(
    dataOperations.map((operation) => [
      operation.toLowerCase(),
      table.metricThrottledRequestsForOperation(operation, { ...options, period }),
    ]),
  );
  return new MathExpression({
    expression: 'SUM(FILL(METRICS(), 0))',
    usingMetrics,
    label: options.label ?? 'Throttled requests',
    period,
  });
}
