import { describe, expect, it } from 'vitest';
import { routes, schedules } from '../../functions/routes';
import { enabledFunctions, functionCatalog } from '../../infra/aws/function-catalog';
import { logicalIdOf, resourcesOf, synthQueueStack } from './synth';

// API Gateway HTTP APIs stop waiting for an integration after 30 s.
const apiGatewayTimeoutSeconds = 30;
const longPollSeconds = 20;

describe('Lambda functions', () => {
  const { stack, template } = synthQueueStack();
  const service = stack.service;
  const fnResources = resourcesOf(template, 'AWS::Lambda::Function');

  it('deploys one function per enabled catalog entry, and every function the routes name', () => {
    expect([...service.functions.keys()]).toEqual(enabledFunctions().map(([name]) => name));
    expect(Object.keys(fnResources)).toHaveLength(service.functions.size);
    for (const route of routes) expect(service.functions.has(route.function), route.function).toBe(true);
  });

  for (const [name, spec] of enabledFunctions()) {
    describe(name, () => {
      const fn = () => service.functions.get(name)!;
      const props = () => fnResources[logicalIdOf(stack, fn().function)]!.Properties;

      it('runs nodejs22.x on arm64 with the catalog memory, timeout and its own role', () => {
        expect(props()).toMatchObject({
          Runtime: 'nodejs22.x',
          Architectures: ['arm64'],
          Handler: 'index.handler',
          MemorySize: spec.memoryMiB,
          Timeout: spec.timeoutSeconds,
          TracingConfig: { Mode: 'Active' },
          Role: { 'Fn::GetAtt': [logicalIdOf(stack, fn().role), 'Arn'] },
        });
        // A function API Gateway waits for ends before API Gateway gives up; scheduled work ends
        // before its next run.
        const scheduled =
          schedules.find((schedule) => schedule.function === name) ??
          (name === 'dispatcher' ? { everySeconds: 60 } : undefined);
        expect(spec.timeoutSeconds).toBeLessThan(
          scheduled ? scheduled.everySeconds : apiGatewayTimeoutSeconds,
        );
      });

      it('gets the runtime environment contract of functions/handlers/runtime.ts', () => {
        expect(props().Environment).toEqual({
          Variables: {
            BODY_BUCKET: { Ref: logicalIdOf(stack, service.bodyBucket!) },
            BODY_THRESHOLD_BYTES: '4096',
            MESSAGES_TABLE: { Ref: logicalIdOf(stack, service.messagesTable) },
            DEAD_LETTERS_TABLE: { Ref: logicalIdOf(stack, service.deadLettersTable) },
            RECEIPT_HANDLE_SECRET_ARN: { Ref: logicalIdOf(stack, service.receiptHandleSecret) },
            QUEUE_ACCOUNT_ID: { Ref: 'AWS::AccountId' },
            QUEUE_SHARDS: '4',
            SQS_AUTH: 'required',
            NODE_OPTIONS: '--enable-source-maps',
          },
        });
      });

      it('logs as JSON to its own log group with a retention', () => {
        const logGroupId = logicalIdOf(stack, fn().logGroup);
        expect(props().LoggingConfig).toMatchObject({ LogFormat: 'JSON', LogGroup: { Ref: logGroupId } });
        const logGroup = resourcesOf(template, 'AWS::Logs::LogGroup')[logGroupId];
        expect(logGroup?.Properties.RetentionInDays).toBe(30);
        expect(logGroup?.DeletionPolicy).toBe('Retain');
      });
    });
  }

  it('gives the receive function time for a 20 s long poll inside the API Gateway limit', () => {
    const receive = functionCatalog.receive;
    expect(receive.timeoutSeconds).toBeGreaterThan(longPollSeconds + 5);
    expect(receive.timeoutSeconds).toBeLessThan(apiGatewayTimeoutSeconds);
  });

  it('passes the configured shard count and turns tracing off on request', () => {
    const { template: custom } = synthQueueStack({ service: { shardCount: 8, tracing: false } });
    for (const fn of Object.values(resourcesOf(custom, 'AWS::Lambda::Function'))) {
      expect(
        (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables.QUEUE_SHARDS,
      ).toBe('8');
      expect(fn.Properties.TracingConfig).toBeUndefined();
    }
  });
});
