import { Duration } from 'aws-cdk-lib';
import { Schedule } from 'aws-cdk-lib/aws-events';
import { describe, expect, it } from 'vitest';
import { schedules } from '../../functions/routes';
import { logicalIdOf, resourcesOf, synthQueueService, synthQueueStack } from './synth';

describe('schedules (EventBridge)', () => {
  const { stack, template } = synthQueueStack();
  const service = stack.service;
  const rules = resourcesOf(template, 'AWS::Events::Rule');

  it('has one rule per entry of the schedule table in functions/routes.ts', () => {
    // Plus the push dispatcher's own every-minute rule (test/infra/push-dispatcher.test.ts): locally
    // the push loop does its work, so it is not in the table the local host runs.
    expect(Object.keys(rules)).toHaveLength(schedules.length + 1);
    expect([...service.schedules.keys()].sort()).toEqual(
      [...schedules.map((entry) => entry.function), 'dispatcher'].sort(),
    );
  });

  it.each(schedules.map((entry) => [entry.function, entry] as const))('%s', (name, entry) => {
    const rule = rules[logicalIdOf(stack, service.schedules.get(name)!)]!;
    const fnId = logicalIdOf(stack, service.functions.get(name)!.function);
    expect(rule.Properties).toMatchObject({
      State: 'ENABLED',
      ScheduleExpression: `rate(${entry.everySeconds / 60} minute${entry.everySeconds === 60 ? '' : 's'})`,
      Targets: [
        {
          Arn: { 'Fn::GetAtt': [fnId, 'Arn'] },
          RetryPolicy: { MaximumRetryAttempts: 0, MaximumEventAgeInSeconds: 60 },
        },
      ],
    });
    // Only this rule may invoke the function through EventBridge.
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Principal: 'events.amazonaws.com',
      FunctionName: { 'Fn::GetAtt': [fnId, 'Arn'] },
      SourceArn: { 'Fn::GetAtt': [logicalIdOf(stack, service.schedules.get(name)!), 'Arn'] },
    });
    // A failed run is not retried by Lambda either: the next tick is the retry.
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: fnId },
      MaximumRetryAttempts: 0,
      MaximumEventAgeInSeconds: 60,
    });
  });

  it('runs the sweeper on the configured schedule', () => {
    const { template: custom } = synthQueueService(() => ({
      sweepSchedule: Schedule.rate(Duration.minutes(5)),
    }));
    custom.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(5 minutes)' });
    custom.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(1 minute)' });
  });
});
