import type { DispatchReport } from '../push/dispatch';

/**
 * The dispatcher's metrics, as one CloudWatch embedded-metric-format log line (namespace
 * ServerlessQueue, dimension MessagesTable, as the sweeper's gauges): batches that failed (summed
 * by the delivery-failures alarm), batches and messages delivered, and after a scheduled pass the
 * age of the oldest message waiting for a consumer.
 */
export function publishPushMetrics(
  report: DispatchReport,
  oldestUndeliveredSeconds: number | undefined,
  messagesTable: string,
  now = Date.now(),
): void {
  const metrics = [
    { Name: 'PushFailedBatches', Unit: 'Count' },
    { Name: 'PushDeliveredMessages', Unit: 'Count' },
    ...(oldestUndeliveredSeconds === undefined
      ? []
      : [{ Name: 'PushOldestUndeliveredAge', Unit: 'Seconds' }]),
  ];
  console.log(
    JSON.stringify({
      _aws: {
        Timestamp: now,
        CloudWatchMetrics: [
          { Namespace: 'ServerlessQueue', Dimensions: [['MessagesTable']], Metrics: metrics },
        ],
      },
      MessagesTable: messagesTable,
      PushFailedBatches: report.failedBatches,
      PushDeliveredMessages: report.delivered,
      ...(oldestUndeliveredSeconds === undefined
        ? {}
        : { PushOldestUndeliveredAge: oldestUndeliveredSeconds }),
    }),
  );
}
