import { Duration } from 'aws-cdk-lib';
import type { HttpStage } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  Alarm,
  AlarmStatusWidget,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  type IMetric,
  Stats,
  TextWidget,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { FilterPattern, type ILogGroup, MetricFilter } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { FunctionSpec, ServiceFunctionName } from './function-catalog';
import {
  alarmPeriod,
  gaugeMetric,
  serviceMetrics,
  throttledRequests,
  topicDeliveriesDroppedMetric,
} from './service-metrics';

export { serviceMetrics } from './service-metrics';

export interface QueueMonitoringProps {
  functions: Map<ServiceFunctionName, { fn: IFunction; spec: FunctionSpec }>;
  tables: { id: string; table: Table }[];
  messagesTableName: string;
  stage: HttpStage;
  oldestMessageAgeAlarm: Duration;
  /** Log groups of the functions that deliver topic messages (topics, sweeper), by function name. */
  deliveryLogGroups?: { name: string; logGroup: ILogGroup }[];
}

const period = alarmPeriod;

/** Alarms a person should hear about, and one dashboard with the service's vital signs. */
export class QueueMonitoring extends Construct {
  readonly alarms: Alarm[] = [];
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: QueueMonitoringProps) {
    super(scope, id);
    const deadLetters = gaugeMetric(serviceMetrics.deadLetterMessages, props.messagesTableName);
    const oldestAge = gaugeMetric(serviceMetrics.oldestMessageAge, props.messagesTableName);

    this.alarm('DeadLettersNotEmpty', deadLetters, 1, 'A dead-letter queue holds messages: a consumer fails');
    this.alarm(
      'OldestMessageTooOld',
      oldestAge,
      props.oldestMessageAgeAlarm.toSeconds(),
      `A message has waited over ${props.oldestMessageAgeAlarm.toHumanString()}: consumers fall behind`,
    );

    // Topic deliveries given up: counted from the delivering functions' logs, alarmed on the first.
    const deliveryLogGroups = props.deliveryLogGroups ?? [];
    for (const { name, logGroup } of deliveryLogGroups) {
      new MetricFilter(this, `${name}-DroppedDeliveries`, {
        logGroup,
        // The phrase, not a JSON selector: Lambda's JSON log format keeps the function's own JSON
        // line as a string inside its `message`.
        filterPattern: FilterPattern.allTerms('delivery dropped'),
        metricNamespace: serviceMetrics.namespace,
        metricName: serviceMetrics.topicDeliveriesDropped,
        metricValue: '1',
      });
    }
    if (deliveryLogGroups.length > 0) {
      this.alarm(
        'TopicDeliveriesDropped',
        topicDeliveriesDroppedMetric(),
        1,
        'A topic delivery was given up: a subscribed queue is gone or refuses the message (see the delivery dropped log lines)',
      );
    }

    for (const [name, { fn }] of props.functions) {
      this.alarm(`${name}-Errors`, fn.metricErrors({ period }), 1, `The ${name} function failed`);
      this.alarm(
        `${name}-Throttles`,
        fn.metricThrottles({ period }),
        1,
        `The ${name} function was throttled`,
      );
    }

    for (const { id: tableId, table } of props.tables) {
      this.alarm(
        `${tableId}-ThrottledRequests`,
        throttledRequests(table),
        1,
        `DynamoDB throttled requests to the ${tableId} table`,
      );
    }
    const firstTable = props.tables[0]?.table;
    if (firstTable) {
      this.alarm(
        'DynamoDbUserErrors',
        firstTable.metricUserErrors({ period }),
        1,
        'DynamoDB rejected requests as invalid (HTTP 400; counted for the whole account and region)',
      );
    }
    this.alarm(
      'ApiServerErrors',
      props.stage.metricServerError({ period, statistic: Stats.SUM }),
      5,
      'The API answered 5xx',
    );

    this.dashboard = new Dashboard(this, 'Dashboard', {
      defaultInterval: Duration.hours(3),
      widgets: [
        [
          new TextWidget({
            markdown: '# Serverless queue\nAPI, functions, tables and queue health of this deployment.',
            width: 24,
            height: 2,
          }),
        ],
        [new AlarmStatusWidget({ title: 'Alarms', alarms: this.alarms, width: 24, height: 4 })],
        [
          graph(
            'API requests',
            12,
            [props.stage.metricCount({ period, statistic: Stats.SUM })],
            [
              props.stage.metricClientError({ period, statistic: Stats.SUM }),
              props.stage.metricServerError({ period, statistic: Stats.SUM }),
            ],
          ),
          graph('API latency (p99)', 12, [
            props.stage.metricLatency({ period, statistic: Stats.p(99) }),
            props.stage.metricIntegrationLatency({ period, statistic: Stats.p(99) }),
          ]),
        ],
        [
          graph(
            'Function invocations',
            8,
            [...props.functions.values()].map(({ fn }) => fn.metricInvocations({ period })),
          ),
          graph(
            'Function errors and throttles',
            8,
            [...props.functions.values()].flatMap(({ fn }) => [
              fn.metricErrors({ period }),
              fn.metricThrottles({ period }),
            ]),
          ),
          graph(
            'Function duration (p99)',
            8,
            [...props.functions.values()].map(({ fn }) =>
              fn.metricDuration({ period, statistic: Stats.p(99) }),
            ),
          ),
        ],
        [
          graph(
            'DynamoDB consumed capacity',
            12,
            props.tables.flatMap(({ table }) => [
              table.metricConsumedReadCapacityUnits({ period }),
              table.metricConsumedWriteCapacityUnits({ period }),
            ]),
          ),
          graph('Queue health', 12, [oldestAge], [deadLetters]),
        ],
      ],
    });
  }

  /** An alarm on the first breach, counted in `alarms` (the push dispatcher adds its own). */
  alarm(id: string, metric: IMetric, threshold: number, description: string): void {
    this.alarms.push(
      new Alarm(this, id, {
        metric,
        threshold,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
        alarmDescription: description,
      }),
    );
  }
}

function graph(title: string, width: number, left: IMetric[], right: IMetric[] = []): GraphWidget {
  return new GraphWidget({ title, left, right, width, height: 6 });
}
