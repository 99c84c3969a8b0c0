import type { Gauges } from '../queue/operations/gauges';

/**
 * Publishes the gauges the stack's alarms watch (infra/aws/monitoring.ts: namespace
 * ServerlessQueue, dimension MessagesTable) as one CloudWatch embedded-metric-format log line:
 * Lambda's log pipeline turns it into metrics, without a PutMetricData call.
 */
export function publishGauges(gauges: Gauges, messagesTable: string, now = Date.now()): void {
  console.log(
    JSON.stringify({
      _aws: {
        Timestamp: now,
        CloudWatchMetrics: [
          {
            Namespace: 'ServerlessQueue',
            Dimensions: [['MessagesTable']],
            Metrics: [
              { Name: 'DeadLetterMessages', Unit: 'Count' },
              { Name: 'ApproximateAgeOfOldestMessage', Unit: 'Seconds' },
            ],
          },
        ],
      },
      MessagesTable: messagesTable,
      DeadLetterMessages: gauges.deadLetterMessages,
      ApproximateAgeOfOldestMessage: gauges.oldestMessageAgeSeconds,
    }),
  );
}
