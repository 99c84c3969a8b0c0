// Synthesizes the queue stack in-process, the way `cdk synth` does: same feature flags (cdk.json
// context) and the same app wiring (addQueueStack), with bundling skipped unless asked for.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, type CfnElement, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { repositoryRoot } from '../../infra/aws/bundling';
import { addQueueStack } from '../../infra/aws/queue-app';
import { QueueService, type QueueServiceProps } from '../../infra/aws/queue-service';
import { QueueStack } from '../../infra/aws/queue-stack';

export interface SynthOptions {
  /** Run esbuild for real (slow); by default bundling is skipped. */
  bundle?: boolean;
  /** Extra app context, e.g. the `queue:*` keys of queue-app.ts. */
  context?: Record<string, unknown>;
  /** Build a bare QueueStack with these props instead of the app's stack. */
  service?: QueueServiceProps;
}

export interface Synthesized {
  app: App;
  stack: QueueStack;
  template: Template;
  outdir: string;
}

export function cdkJsonContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(join(repositoryRoot, 'cdk.json'), 'utf8')) as {
    context?: Record<string, unknown>;
  };
  return cdkJson.context ?? {};
}

/** An app configured like `cdk synth` configures it (cdk.json context), nothing in it yet. */
export function newTestApp(options: Pick<SynthOptions, 'bundle' | 'context'> = {}): {
  app: App;
  outdir: string;
} {
  const outdir = mkdtempSync(join(tmpdir(), 'queue-cdk-'));
  const app = new App({
    outdir,
    context: {
      ...cdkJsonContext(),
      // An empty list means "bundle no stack": assets get a placeholder and no esbuild runs.
      ...(options.bundle ? {} : { 'aws:cdk:bundling-stacks': [] }),
      ...options.context,
    },
  });
  return { app, outdir };
}

export function synthQueueStack(options: SynthOptions = {}): Synthesized {
  const { app, outdir } = newTestApp(options);
  const stack = options.service
    ? new QueueStack(app, 'QueueTest', { service: options.service })
    : addQueueStack(app);
  return { app, stack, template: Template.fromStack(stack), outdir };
}

/**
 * The construct alone in a plain stack, with props that may need that stack as their scope (a KMS
 * key, a schedule).
 */
export function synthQueueService(props: (scope: Stack) => QueueServiceProps): {
  stack: Stack;
  service: QueueService;
  template: Template;
} {
  const { app } = newTestApp();
  const stack = new Stack(app, 'ServiceTest');
  const service = new QueueService(stack, 'QueueService', props(stack));
  return { stack, service, template: Template.fromStack(stack) };
}

/** The resources of one type, by logical id. */
export function resourcesOf(template: Template, type: string): Record<string, CfnResource> {
  return template.findResources(type) as Record<string, CfnResource>;
}

export interface CfnResource {
  Type: string;
  Properties: Record<string, unknown>;
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
  Metadata?: Record<string, unknown>;
}

/** The logical id CloudFormation gives a construct's default resource. */
export function logicalIdOf(stack: Stack, construct: IConstruct): string {
  return stack.getLogicalId(construct.node.defaultChild as CfnElement);
}
