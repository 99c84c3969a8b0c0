import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { type QueueServiceProps, resolveQueueServiceProps } from '../../infra/aws/queue-service-props';

const invalid: [string, QueueServiceProps, string][] = [
  [
    'shard count of 0',
    { shardCount: 0 },
    'shardCount must be an integer between 1 and 64, but 0 was provided',
  ],
  ['fractional shard count', { shardCount: 2.5 }, 'but 2.5 was provided'],
  ['shard count above the limit', { shardCount: 65 }, 'but 65 was provided'],
  ['table prefix with a slash', { tablePrefix: 'a/b-' }, "but 'a/b-' was provided"],
  ['table prefix too long', { tablePrefix: 'x'.repeat(250) }, 'but 250 were provided'],
  ['zero rate limit', { throttlingRateLimit: 0 }, 'throttlingRateLimit must be above 0 and at most 10000'],
  ['burst above the account limit', { throttlingBurstLimit: 6000 }, 'between 1 and 5000 requests, but 6000'],
  [
    'origin with a path',
    { corsOrigins: ['https://a.example/app'] },
    "but 'https://a.example/app' was provided",
  ],
  [
    'DESTROY with deletion protection',
    { removalPolicy: RemovalPolicy.DESTROY },
    'removalPolicy DESTROY needs deletionProtection: false',
  ],
  ['oldest-message alarm under a minute', { oldestMessageAgeAlarm: Duration.seconds(30) }, 'but 30 seconds'],
];

describe('QueueService props', () => {
  it('fills every default', () => {
    const resolved = resolveQueueServiceProps({});
    expect(resolved).toMatchObject({
      tablePrefix: 'queue-',
      shardCount: 4,
      removalPolicy: RemovalPolicy.RETAIN,
      deletionProtection: true,
      throttlingRateLimit: 500,
      throttlingBurstLimit: 1000,
      corsOrigins: [],
      tracing: true,
      encryptionKey: undefined,
    });
    expect(resolved.oldestMessageAgeAlarm.toSeconds()).toBe(3600);
    expect(resolved.sweepSchedule).toBeUndefined();
  });

  it.each(invalid)('rejects a %s, saying what was given and what is allowed', (_, props, message) => {
    expect(() => resolveQueueServiceProps(props)).toThrow(message);
  });

  it('reports every problem at once', () => {
    expect(() => resolveQueueServiceProps({ shardCount: 0, throttlingBurstLimit: 0 })).toThrow(
      /shardCount[\s\S]*throttlingBurstLimit/,
    );
  });

  it('accepts a sandbox configuration and CORS origins', () => {
    expect(() =>
      resolveQueueServiceProps({
        removalPolicy: RemovalPolicy.DESTROY,
        deletionProtection: false,
        corsOrigins: ['*', 'http://localhost:5173', 'https://console.example.com'],
      }),
    ).not.toThrow();
  });
});
