import type { Stack } from 'aws-cdk-lib';
import { Key } from 'aws-cdk-lib/aws-kms';
import { describe, expect, it } from 'vitest';
import type { ServiceFunctionName } from '../../infra/aws/function-catalog';
import type { QueueService } from '../../infra/aws/queue-service';
import { type CfnResource, logicalIdOf, resourcesOf, synthQueueService, synthQueueStack } from './synth';

/**
 * What each function may call, written out here on purpose rather than read from the catalog: a
 * change to a function's permissions has to change this table too, in review.
 */
const expectedDynamoActions: Record<
  ServiceFunctionName,
  { messages?: string[]; readyIndex?: string[]; deadLetters?: string[]; bodies?: string[] }
> = {
  queues: {
    messages: ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'Query', 'BatchGetItem', 'BatchWriteItem'],
    readyIndex: ['Query'],
    bodies: ['GetObject', 'DeleteObject'],
  },
  send: {
    messages: ['GetItem', 'PutItem', 'UpdateItem', 'BatchWriteItem'],
    deadLetters: ['BatchWriteItem'],
    bodies: ['PutObject', 'DeleteObject'],
  },
  topics: {
    messages: ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'Query', 'BatchWriteItem'],
    deadLetters: ['BatchWriteItem'],
    bodies: ['PutObject', 'DeleteObject'],
  },
  receive: {
    messages: ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'Query', 'BatchGetItem', 'BatchWriteItem'],
    readyIndex: ['Query'],
    deadLetters: ['PutItem'],
    bodies: ['PutObject', 'GetObject', 'DeleteObject'],
  },
  delete: {
    messages: ['GetItem', 'UpdateItem', 'DeleteItem', 'Query', 'BatchGetItem', 'BatchWriteItem'],
    bodies: ['GetObject', 'DeleteObject'],
  },
  sqs: {
    messages: ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'Query', 'BatchGetItem', 'BatchWriteItem'],
    readyIndex: ['Query'],
    deadLetters: ['GetItem', 'PutItem', 'DeleteItem', 'Query', 'BatchWriteItem'],
    bodies: ['PutObject', 'GetObject', 'DeleteObject'],
  },
  sweeper: {
    messages: ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'Query', 'BatchGetItem', 'BatchWriteItem'],
    readyIndex: ['Query'],
    deadLetters: ['GetItem', 'PutItem', 'DeleteItem', 'Query', 'BatchGetItem', 'BatchWriteItem'],
    bodies: ['PutObject', 'GetObject', 'DeleteObject'],
  },
  redrive: {
    messages: ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'Query', 'BatchGetItem', 'BatchWriteItem'],
    readyIndex: ['Query'],
    deadLetters: ['GetItem', 'PutItem', 'DeleteItem', 'Query', 'BatchGetItem', 'BatchWriteItem'],
    bodies: ['PutObject', 'GetObject', 'DeleteObject'],
  },
  consumers: { messages: ['GetItem', 'PutItem', 'DeleteItem', 'Query'] },
  // Counts: reads the queues' epochs, adds to their counters (in transactions).
  counter: { messages: ['BatchGetItem', 'UpdateItem'] },
  // Push delivery: receiving, deleting, dead-lettering, consumers and delivery slots (and, below,
  // the messages stream; invoking functions only when the stack names some).
  dispatcher: {
    messages: ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'Query', 'BatchGetItem', 'BatchWriteItem'],
    readyIndex: ['Query'],
    deadLetters: ['PutItem'],
  },
  // Static assets only: no table, no secret, no key.
  console: {},
};

/** Functions that touch no data: they get no receipt-handle secret and no KMS key either. */
const withoutData = new Set<ServiceFunctionName>(['console']);
/** Functions that touch data but no receipt handle: no secret (the KMS key, when there is one, they get). */
const withoutSecret = new Set<ServiceFunctionName>(['counter']);

interface Statement {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Resource: unknown;
}

interface NormalizedStatement {
  sid: string | undefined;
  actions: string[];
  resources: unknown[];
}

const list = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

function normalize(statement: Statement): NormalizedStatement {
  expect(statement.Effect).toBe('Allow');
  return { sid: statement.Sid, actions: list(statement.Action).sort(), resources: list(statement.Resource) };
}

/** Every statement of every policy attached to the function's role. */
function statementsOf(
  stack: Stack,
  service: QueueService,
  policies: Record<string, CfnResource>,
  name: string,
) {
  const roleId = logicalIdOf(stack, service.functions.get(name as ServiceFunctionName)!.role);
  return Object.values(policies)
    .filter((policy) => (policy.Properties.Roles as { Ref: string }[]).some((role) => role.Ref === roleId))
    .flatMap((policy) => (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement)
    .map(normalize);
}

function expectedStatements(stack: Stack, service: QueueService, name: ServiceFunctionName) {
  const fn = service.functions.get(name)!;
  const tableArn = (table: QueueService['messagesTable']) => ({
    'Fn::GetAtt': [logicalIdOf(stack, table), 'Arn'],
  });
  const expected = expectedDynamoActions[name];
  const dynamo = (actions: string[]) => actions.map((action) => `dynamodb:${action}`).sort();
  const statements: NormalizedStatement[] = [
    {
      sid: 'WriteOwnLogs',
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      resources: [{ 'Fn::GetAtt': [logicalIdOf(stack, fn.logGroup), 'Arn'] }],
    },
  ];
  if (expected.messages) {
    statements.push({
      sid: 'MessagesTable',
      actions: dynamo(expected.messages),
      resources: [tableArn(service.messagesTable)],
    });
  }
  if (expected.readyIndex) {
    statements.push({
      sid: 'ReadyIndex',
      actions: dynamo(expected.readyIndex),
      resources: [{ 'Fn::Join': ['', [tableArn(service.messagesTable), '/index/ready']] }],
    });
  }
  if (expected.deadLetters) {
    statements.push({
      sid: 'DeadLettersTable',
      actions: dynamo(expected.deadLetters),
      resources: [tableArn(service.deadLettersTable)],
    });
  }
  if (expected.bodies) {
    statements.push({
      sid: 'MessageBodies',
      actions: expected.bodies.map((action) => `s3:${action}`).sort(),
      resources: [
        { 'Fn::Join': ['', [{ 'Fn::GetAtt': [logicalIdOf(stack, service.bodyBucket!), 'Arn'] }, '/*']] },
      ],
    });
  }
  if (!withoutData.has(name) && !withoutSecret.has(name)) {
    statements.push({
      sid: 'ReadReceiptHandleSecret',
      actions: ['secretsmanager:GetSecretValue'],
      resources: [{ Ref: logicalIdOf(stack, service.receiptHandleSecret) }],
    });
  }
  // Added by Lambda for active tracing; X-Ray has no resource-level permissions.
  statements.push({
    sid: undefined,
    actions: ['xray:PutTelemetryRecords', 'xray:PutTraceSegments'],
    resources: ['*'],
  });
  if (name === 'dispatcher' || name === 'counter') {
    statements.push({
      sid: 'ReadMessagesStream',
      actions: [
        'dynamodb:DescribeStream',
        'dynamodb:GetRecords',
        'dynamodb:GetShardIterator',
        'dynamodb:ListStreams',
      ],
      resources: [{ 'Fn::GetAtt': [logicalIdOf(stack, service.messagesTable), 'StreamArn'] }],
    });
  }
  return statements;
}

describe('IAM: least privilege per function', () => {
  const { stack, template } = synthQueueStack();
  const service = stack.service;
  const policies = resourcesOf(template, 'AWS::IAM::Policy');

  it('deploys every function this table expects', () => {
    expect([...service.functions.keys()].sort()).toEqual(Object.keys(expectedDynamoActions).sort());
  });

  for (const name of Object.keys(expectedDynamoActions) as ServiceFunctionName[]) {
    it(`${name}: its role allows exactly the calls it makes, on exactly its resources`, () => {
      expect(statementsOf(stack, service, policies, name)).toEqual(expectedStatements(stack, service, name));
    });
  }

  it('the dispatcher and the functions delivering to lambda subscribers may invoke exactly the functions pushFunctionArns names, and none by default', () => {
    const invokes = (statements: NormalizedStatement[]) =>
      statements.filter((s) => s.actions.some((a) => a.startsWith('lambda:')));
    expect(invokes(statementsOf(stack, service, policies, 'dispatcher'))).toEqual([]);
    const arns = ['arn:aws:lambda:us-east-1:123456789012:function:orders-*'];
    const granted = synthQueueService(() => ({ pushFunctionArns: arns }));
    const grantedPolicies = resourcesOf(granted.template, 'AWS::IAM::Policy');
    expect(invokes(statementsOf(granted.stack, granted.service, grantedPolicies, 'dispatcher'))).toEqual([
      { sid: 'InvokePushTargets', actions: ['lambda:InvokeFunction'], resources: arns },
    ]);
    const subscribersInvoked = new Set(['topics', 'sqs', 'sweeper']);
    for (const name of granted.service.functions.keys()) {
      if (name === 'dispatcher') continue;
      expect(invokes(statementsOf(granted.stack, granted.service, grantedPolicies, name)), name).toEqual(
        subscribersInvoked.has(name)
          ? [{ sid: 'InvokeLambdaSubscribers', actions: ['lambda:InvokeFunction'], resources: arns }]
          : [],
      );
    }
    for (const name of subscribersInvoked) {
      expect(invokes(statementsOf(stack, service, policies, name as ServiceFunctionName)), name).toEqual([]);
    }
  });

  it('roles trust Lambda only and carry no managed policies', () => {
    for (const role of Object.values(resourcesOf(template, 'AWS::IAM::Role'))) {
      expect(role.Properties.ManagedPolicyArns).toBeUndefined();
      expect(role.Properties.AssumeRolePolicyDocument).toEqual({
        Statement: [
          { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' } },
        ],
        Version: '2012-10-17',
      });
    }
  });

  it('no statement anywhere has a wildcard action, and only the X-Ray statement a wildcard resource', () => {
    const statements = Object.values(policies).flatMap(
      (policy) => (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement,
    );
    expect(statements.length).toBeGreaterThan(0);
    for (const statement of statements.map(normalize)) {
      for (const action of statement.actions) expect(action).not.toContain('*');
      // The objects of the body bucket (keys are message ids): only the MessageBodies statement.
      if (statement.sid === 'MessageBodies') {
        expect(statement.actions.every((a) => /^s3:(Put|Get|Delete)Object$/.test(a))).toBe(true);
        continue;
      }
      if (statement.resources.some((resource) => JSON.stringify(resource).includes('*'))) {
        expect(statement.actions).toEqual(['xray:PutTelemetryRecords', 'xray:PutTraceSegments']);
        expect(statement.resources).toEqual(['*']);
      }
    }
  });

  it('grants the KMS key to every function only when a customer-managed key is used', () => {
    for (const statements of [...service.functions.keys()].map((name) =>
      statementsOf(stack, service, policies, name),
    )) {
      expect(statements.some((statement) => statement.actions.some((a) => a.startsWith('kms:')))).toBe(false);
    }

    let key: Key | undefined;
    const withKey = synthQueueService((scope) => {
      key = new Key(scope, 'TableKey', { enableKeyRotation: true });
      return { encryptionKey: key };
    });
    const keyPolicies = resourcesOf(withKey.template, 'AWS::IAM::Policy');
    for (const name of withKey.service.functions.keys()) {
      const kms = statementsOf(withKey.stack, withKey.service, keyPolicies, name).filter(
        (statement) => statement.sid === 'UseCustomerManagedKey',
      );
      if (withoutData.has(name)) {
        expect(kms, name).toEqual([]);
        continue;
      }
      expect(kms).toEqual([
        {
          sid: 'UseCustomerManagedKey',
          actions: ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey'],
          resources: [{ 'Fn::GetAtt': [logicalIdOf(withKey.stack, key!), 'Arn'] }],
        },
      ]);
    }
  });
});
