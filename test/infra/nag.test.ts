import { Validations } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { addQueueStack } from '../../infra/aws/queue-app';
import { newTestApp, synthQueueService, synthQueueStack } from './synth';

/** Every acknowledgement recorded in the tree: construct path, rule id, reason. */
function acknowledgements(root: IConstruct): { path: string; id: string; reason: string }[] {
  return root.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({
          path: construct.node.path,
          id: id.replace(/^annotation::/i, ''),
          reason,
        })),
      ),
  );
}

describe('cdk-nag: AwsSolutions and Serverless packs', () => {
  const { app, stack } = synthQueueStack();

  it.each([
    ['AwsSolutions', new AwsSolutionsChecks()],
    ['Serverless', new ServerlessChecks()],
  ])('%s reports no finding nobody acknowledged', (_, pack) => {
    const report = pack.validateScope(app);
    const findings = report.violations.map(
      (violation) =>
        `${violation.ruleName} (${violation.severity}) on ${violation.violatingResources
          .map((resource) => resource.constructPath)
          .join(', ')}: ${violation.description}`,
    );
    expect(findings).toEqual([]);
    expect(report.success).toBe(true);
  });

  it('has no CDK errors or warnings either', () => {
    const annotations = Annotations.fromStack(stack);
    expect(annotations.findError('*', Match.anyValue())).toEqual([]);
    expect(annotations.findWarning('*', Match.anyValue())).toEqual([]);
  });

  it('gives every acknowledgement a reason, and prints them for review', () => {
    const acknowledged = acknowledgements(app);
    expect(acknowledged.length).toBeGreaterThan(0);
    for (const { path, id, reason } of acknowledged) {
      expect(reason.length, `${id} on ${path}`).toBeGreaterThan(80);
    }
    const distinct = [...new Set(acknowledged.map(({ id, reason }) => `${id}: ${reason}`))];
    console.log(
      `cdk-nag acknowledgements (${acknowledged.length} on constructs):\n- ${distinct.join('\n- ')}`,
    );
  });

  it('acknowledges only specific findings on specific constructs, never whole rules on the stack', () => {
    for (const { path } of acknowledgements(app)) {
      expect(path.split('/').length, path).toBeGreaterThan(2);
    }
  });

  it('stops synthesis on a finding nobody acknowledged', () => {
    const { app: gated } = newTestApp();
    const gatedStack = addQueueStack(gated);
    new Secret(gatedStack, 'UnrotatedSecret');
    expect(() => gated.synth()).toThrow(/automatic rotation/);
  });
});

describe('cdk-nag with options', () => {
  const findings = (scope: IConstruct) =>
    [new AwsSolutionsChecks(), new ServerlessChecks()].flatMap((pack) =>
      pack.validateScope(scope).violations.map((violation) => violation.ruleName),
    );

  it('stays clean with tracing off', () => {
    expect(findings(synthQueueStack({ service: { tracing: false } }).app)).toEqual([]);
  });

  it('stays clean with a customer-managed key', () => {
    const { stack } = synthQueueService((scope) => ({
      encryptionKey: new Key(scope, 'TableKey', { enableKeyRotation: true }),
    }));
    expect(findings(stack)).toEqual([]);
  });
});
