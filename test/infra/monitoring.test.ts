import { describe, expect, it } from 'vitest';
import { tableNames } from '../../functions/store/table-layout';
import { serviceMetrics } from '../../infra/aws/monitoring';
import { type CfnResource, logicalIdOf, resourcesOf, synthQueueStack } from './synth';

describe('alarms, dashboard and outputs', () => {
  const { stack, template } = synthQueueStack();
  const service = stack.service;
  const alarms = Object.values(resourcesOf(template, 'AWS::CloudWatch::Alarm'));
  const alarmOn = (namespace: string, metricName: string, dimension?: unknown) =>
    alarms.filter(
      (alarm) =>
        alarm.Properties.Namespace === namespace &&
        alarm.Properties.MetricName === metricName &&
        (dimension === undefined ||
          JSON.stringify(alarm.Properties.Dimensions).includes(JSON.stringify(dimension))),
    );

  it('every alarm stays quiet without data (custom metrics start missing)', () => {
    expect(alarms.length).toBeGreaterThan(0);
    for (const alarm of alarms) {
      expect(alarm.Properties).toMatchObject({
        TreatMissingData: 'notBreaching',
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      });
    }
  });

  it('alarms on errors and throttles of every function', () => {
    for (const fn of service.functions.values()) {
      const dimension = { Name: 'FunctionName', Value: { Ref: logicalIdOf(stack, fn.function) } };
      for (const metric of ['Errors', 'Throttles']) {
        const found = alarmOn('AWS/Lambda', metric, dimension);
        expect(found, `${fn.name} ${metric}`).toHaveLength(1);
        expect(found[0]!.Properties).toMatchObject({ Statistic: 'Sum', Threshold: 1 });
      }
    }
  });

  it('alarms on DynamoDB throttled requests of each table, counting an idle operation as 0', () => {
    for (const table of [service.messagesTable, service.deadLettersTable]) {
      const tableRef = JSON.stringify({ Name: 'TableName', Value: { Ref: logicalIdOf(stack, table) } });
      const found = alarms.filter((alarm) =>
        JSON.stringify(alarm.Properties.Metrics ?? []).includes(tableRef),
      );
      expect(found).toHaveLength(1);
      const metrics = found[0]!.Properties.Metrics as {
        Expression?: string;
        MetricStat?: { Metric: { MetricName: string } };
      }[];
      expect(metrics.find((metric) => metric.Expression)?.Expression).toBe('SUM(FILL(METRICS(), 0))');
      const stats = metrics.filter((metric) => metric.MetricStat);
      expect(stats.length).toBeGreaterThan(0);
      expect(stats.length).toBeLessThanOrEqual(10);
      for (const metric of stats) expect(metric.MetricStat!.Metric.MetricName).toBe('ThrottledRequests');
    }
  });

  it('alarms on DynamoDB user errors and API 5xx', () => {
    expect(alarmOn('AWS/DynamoDB', 'UserErrors')).toHaveLength(1);
    expect(alarmOn('AWS/ApiGateway', '5xx')).toHaveLength(1);
  });

  it('alarms on the service metrics: dead letters present, oldest message too old', () => {
    const dimension = { Name: serviceMetrics.dimension, Value: tableNames().messages };
    const deadLetters = alarmOn(serviceMetrics.namespace, serviceMetrics.deadLetterMessages, dimension);
    const oldest = alarmOn(serviceMetrics.namespace, serviceMetrics.oldestMessageAge, dimension);
    expect(serviceMetrics.namespace).toBe('ServerlessQueue');
    expect(deadLetters.map((alarm: CfnResource) => alarm.Properties)).toMatchObject([
      { Statistic: 'Maximum', Threshold: 1 },
    ]);
    expect(oldest.map((alarm: CfnResource) => alarm.Properties)).toMatchObject([
      { Statistic: 'Maximum', Threshold: 3600 },
    ]);
  });

  it('counts dropped topic deliveries from the topics and sweeper logs, and alarms on the first', () => {
    const filters = Object.values(resourcesOf(template, 'AWS::Logs::MetricFilter'));
    const logGroups = ['topics', 'sweeper'].map((name) => ({
      Ref: logicalIdOf(stack, service.functions.get(name as 'topics')!.logGroup),
    }));
    expect(filters.map((filter: CfnResource) => filter.Properties.LogGroupName)).toEqual(logGroups);
    for (const filter of filters) {
      expect(filter.Properties).toMatchObject({
        FilterPattern: '"delivery dropped"',
        MetricTransformations: [
          {
            MetricNamespace: 'ServerlessQueue',
            MetricName: serviceMetrics.topicDeliveriesDropped,
            MetricValue: '1',
          },
        ],
      });
    }
    expect(
      alarmOn(serviceMetrics.namespace, serviceMetrics.topicDeliveriesDropped).map(
        (alarm: CfnResource) => alarm.Properties,
      ),
    ).toMatchObject([{ Statistic: 'Sum', Threshold: 1, TreatMissingData: 'notBreaching' }]);
  });

  it('builds one dashboard showing every alarm', () => {
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    expect(service.monitoring.alarms).toHaveLength(alarms.length);
    const body = JSON.stringify(Object.values(resourcesOf(template, 'AWS::CloudWatch::Dashboard'))[0]);
    for (const alarm of service.monitoring.alarms) {
      expect(body).toContain(logicalIdOf(stack, alarm));
    }
  });

  it('outputs the API URL and the table names', () => {
    const outputs = template.findOutputs('*');
    expect(Object.keys(outputs).sort()).toEqual(
      ['ApiUrl', 'DashboardName', 'DeadLettersTableName', 'MessagesTableName'].sort(),
    );
    expect(outputs.ApiUrl!.Value).toEqual(stack.resolve(service.apiUrl));
    expect(JSON.stringify(outputs.ApiUrl!.Value)).toContain('.execute-api.');
    expect(outputs.MessagesTableName!.Value).toEqual({ Ref: logicalIdOf(stack, service.messagesTable) });
    expect(outputs.DeadLettersTableName!.Value).toEqual({
      Ref: logicalIdOf(stack, service.deadLettersTable),
    });
  });
});
