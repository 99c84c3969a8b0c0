import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AccountRootPrincipal, Role } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { describe, expect, test } from 'vitest';
import { routes } from '../../functions/routes';
import { accessKeysPartition as storePartition } from '../../functions/store/access-key-store';
import { accessKeyActions, accessKeysPartition } from '../../infra/aws/access-key-grants';
import { functionCatalog } from '../../infra/aws/function-catalog';
import { restAccess } from '../../infra/aws/grants';
import { QueueService } from '../../infra/aws/queue-service';
import { newTestApp } from './synth';

/**
 * QueueService's grants and metrics, as a CDK user calls them: each grant is `execute-api:Invoke`
 * on exactly its routes (the route table decides, not a copy), access-key management stays in the
 * keys' partition, and the metric methods give the metrics the alarms watch.
 */
function userStack(withKey = false) {
  const { app } = newTestApp();
  const stack = new Stack(app, 'UserStack');
  const service = new QueueService(stack, 'Queues', withKey ? { encryptionKey: new Key(stack, 'Key') } : {});
  const role = new Role(stack, 'Grantee', { assumedBy: new AccountRootPrincipal() });
  return { stack, service, role };
}

/** The routes a role may invoke, as `METHOD /path` with `*` for path parameters. */
function invokable(stack: Stack): string[] {
  const template = Template.fromStack(stack);
  const statements = Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((policy) => JSON.stringify(policy.Properties.Roles).includes('Grantee'))
    .flatMap(
      (policy) => policy.Properties.PolicyDocument.Statement as { Action: unknown; Resource: unknown }[],
    )
    .filter((statement) => statement.Action === 'execute-api:Invoke');
  return statements
    .flatMap((statement) => (Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource]))
    .map((arn) => {
      const parts = (arn as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1];
      const [, , method, ...path] = String(parts.at(-1)).split('/');
      return `${method} /${path.join('/')}`;
    })
    .sort();
}

const iamRoutes = routes.filter((route) => functionCatalog[route.function].routeAuthorization === 'iam');
const asGranted = (route: { method: string; path: string }) =>
  `${route.method} ${route.path.replace(/\{\w+\}/g, '*')}`;

describe('REST grants', () => {
  test('every operation a grant names is a route of the route table', () => {
    const operations = new Set(routes.map((route) => route.operation));
    for (const listed of [...restAccess.send, ...restAccess.consume, ...restAccess.read]) {
      expect(operations, listed).toContain(listed);
    }
  });

  test('grantSend: the send route and cancelling scheduled messages, for the queues named', () => {
    const { stack, service, role } = userStack();
    service.grantSend(role, { queues: ['orders-*', 'billing.fifo'] });
    expect(invokable(stack)).toEqual([
      'DELETE /queues/billing.fifo/messages/scheduled/*',
      'DELETE /queues/orders-*/messages/scheduled/*',
      'POST /queues/billing.fifo/messages',
      'POST /queues/orders-*/messages',
    ]);
  });

  test('grantConsume: receive, visibility and delete, every queue by default', () => {
    const { stack, service, role } = userStack();
    service.grantConsume(role);
    expect(invokable(stack)).toEqual([
      'DELETE /queues/*/messages/*',
      'POST /queues/*/messages/delete',
      'POST /queues/*/messages/receive',
      'POST /queues/*/messages/visibility',
    ]);
  });

  test('grantRead: only GET routes', () => {
    const { stack, service, role } = userStack();
    service.grantRead(role);
    const granted = invokable(stack);
    expect(granted.length).toBe(restAccess.read.length);
    expect(granted.every((route) => route.startsWith('GET '))).toBe(true);
  });

  test('grantAdminister: every IAM-authorized route, and neither the SQS nor the console routes', () => {
    const { stack, service, role } = userStack();
    service.grantAdminister(role);
    expect(invokable(stack)).toEqual([...new Set(iamRoutes.map(asGranted))].sort());
    expect(invokable(stack).some((route) => route.includes('console') || route === 'POST /')).toBe(false);
  });
});

describe('access-key grant', () => {
  test('the access keys partition is the one the store writes', () => {
    expect(accessKeysPartition).toBe(storePartition);
  });

  test('DynamoDB calls of the keys adapter on the messages table, in the keys partition, and the KMS key', () => {
    const { stack, service, role } = userStack(true);
    service.grantManageAccessKeys(role);
    const template = Template.fromStack(stack);
    const policy = Object.values(template.findResources('AWS::IAM::Policy')).find((p) =>
      JSON.stringify(p.Properties.Roles).includes('Grantee'),
    );
    const statements = policy?.Properties.PolicyDocument.Statement as Record<string, any>[];
    const table = stack.getLogicalId(service.messagesTable.node.defaultChild as any);
    const dynamo = statements.filter((statement) => JSON.stringify(statement).includes('dynamodb:'));
    expect(dynamo.map((statement) => ({ ...statement, Action: [...statement.Action].sort() }))).toEqual([
      {
        Action: accessKeyActions.map((action) => `dynamodb:${action}`).sort(),
        Condition: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['k'] } },
        Effect: 'Allow',
        Resource: { 'Fn::GetAtt': [table, 'Arn'] },
      },
    ]);
    expect(JSON.stringify(statements)).toContain('kms:Decrypt');
  });
});

describe('metrics and properties', () => {
  test('the metric methods give the metrics the alarms watch', () => {
    const { stack, service } = userStack();
    const resolve = (value: unknown) => stack.resolve(value);
    const dlq = service.metricDeadLetterMessages();
    expect(dlq.namespace).toBe('ServerlessQueue');
    expect(resolve(dlq.dimensions)).toEqual({ MessagesTable: resolve(service.messagesTableName) });
    expect(service.metricApproximateAgeOfOldestMessage().metricName).toBe('ApproximateAgeOfOldestMessage');
    expect(service.metricApiServerErrors().metricName).toBe('5xx');
    expect(service.metricFunctionErrors('receive').metricName).toBe('Errors');
    expect(() => service.metricFunctionErrors('nope' as never)).toThrow(/has no 'nope' function/);
    const alarms = Template.fromStack(stack).findResources('AWS::CloudWatch::Alarm');
    expect(JSON.stringify(alarms)).toContain('"MetricName":"DeadLetterMessages"');
    expect(resolve(service.apiUrl)).toEqual(resolve(service.httpApi.url));
    expect(resolve(service.deadLettersTableName)).toEqual(resolve(service.deadLettersTable.tableName));
  });
});
