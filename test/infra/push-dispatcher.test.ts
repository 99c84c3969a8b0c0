import { describe, expect, it } from 'vitest';
import { newMessageFilters } from '../../functions/store/message-stream';
import { logicalIdOf, resourcesOf, synthQueueService, synthQueueStack } from './synth';

/** The deployed side of push delivery: the stream, its filtered trigger, the schedule, the alarms. */
describe('push dispatcher', () => {
  const { stack, template } = synthQueueStack();
  const service = stack.service;
  const dispatcher = service.functions.get('dispatcher')!;
  const dispatcherId = logicalIdOf(stack, dispatcher.function);

  it('the messages table streams new and old images', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
    });
  });

  it('the stream invokes the dispatcher for inserted messages only', () => {
    const mappings = Object.values(resourcesOf(template, 'AWS::Lambda::EventSourceMapping'));
    const ours = mappings.filter((m) => JSON.stringify(m.Properties.FunctionName).includes(dispatcherId));
    expect(ours).toHaveLength(1);
    const mapping = ours[0]!.Properties;
    expect(mapping.EventSourceArn).toEqual({
      'Fn::GetAtt': [logicalIdOf(stack, service.messagesTable), 'StreamArn'],
    });
    expect(mapping.StartingPosition).toBe('LATEST');
    expect(mapping.MaximumRetryAttempts).toBe(2);
    const patterns = (mapping.FilterCriteria as { Filters: { Pattern: string }[] }).Filters.map((f) =>
      JSON.parse(f.Pattern),
    );
    expect(patterns).toEqual(newMessageFilters);
  });

  it('a schedule runs the dispatcher every minute, for messages visible later', () => {
    const rule = service.schedules.get('dispatcher')!;
    const properties = resourcesOf(template, 'AWS::Events::Rule')[logicalIdOf(stack, rule)]!.Properties;
    expect(properties.ScheduleExpression).toBe('rate(1 minute)');
    expect(JSON.stringify(properties.Targets)).toContain(dispatcherId);
  });

  it('alarms on failed batches and on a message waiting over 15 minutes for its consumer', () => {
    const alarms = Object.values(resourcesOf(template, 'AWS::CloudWatch::Alarm')).map((a) => a.Properties);
    const on = (metric: string) => alarms.filter((a) => a.MetricName === metric);
    expect(on('PushFailedBatches')).toMatchObject([
      { Threshold: 1, Statistic: 'Sum', Namespace: 'ServerlessQueue' },
    ]);
    expect(on('PushOldestUndeliveredAge')).toMatchObject([{ Threshold: 900, Statistic: 'Maximum' }]);
  });

  it('the consumers and dispatcher functions know which Lambda functions consumers may target', () => {
    const arns = [
      'arn:aws:lambda:us-east-1:123456789012:function:orders-*',
      'arn:aws:lambda:us-east-1:123456789012:function:audit',
    ];
    const granted = synthQueueService(() => ({ pushFunctionArns: arns }));
    const functions = resourcesOf(granted.template, 'AWS::Lambda::Function');
    for (const name of ['dispatcher', 'consumers'] as const) {
      const fn = functions[logicalIdOf(granted.stack, granted.service.functions.get(name)!.function)]!;
      expect(
        (fn.Properties.Environment as { Variables: Record<string, string> }).Variables.PUSH_FUNCTION_ARNS,
      ).toBe(arns.join(','));
    }
  });
});
