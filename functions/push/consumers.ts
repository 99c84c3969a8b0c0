import { randomBytes } from 'node:crypto';
import { QueueError } from '../queue/errors';
import type { QueueRecord, QueueRef } from '../queue/model';
import { integerInRange } from '../queue/validation';
import type { PushContext } from './context';
import type { ConsumerRecord, ConsumerSettings, ConsumerTarget } from './model';

/**
 * Consumers of a queue: create, read, change, delete. The rules are Lambda's event source
 * mapping's where it has them (batch size 1..10,000 there, 1..100 here; 10 on FIFO queues;
 * batching window 0..300 s; maximum concurrency, here 1..1,000).
 */
export const consumerLimits = {
  batchSize: { min: 1, max: 100 },
  fifoBatchSize: { min: 1, max: 10 },
  maximumBatchingWindowSeconds: { min: 0, max: 300 },
  maximumConcurrency: { min: 1, max: 1_000 },
  perQueue: 10,
} as const;

export interface ConsumerInput {
  target?: unknown;
  batchSize?: unknown;
  maximumBatchingWindowSeconds?: unknown;
  maximumConcurrency?: unknown;
  reportBatchItemFailures?: unknown;
  enabled?: unknown;
}

const invalid = (field: string, given: unknown, message: string) =>
  new QueueError('InvalidParameterValue', message, { field, given });

export const consumerNotFound = (id: string) =>
  new QueueError('ResourceNotFoundException', `There is no consumer ${id} on this queue`, {
    field: 'id',
    given: id,
  });

async function queueOf(ctx: PushContext, ref: QueueRef): Promise<QueueRecord> {
  return ctx.queue.queues.require(ref);
}

export async function createConsumer(
  ctx: PushContext,
  ref: QueueRef,
  input: ConsumerInput,
): Promise<ConsumerRecord> {
  const queue = await queueOf(ctx, ref);
  const existing = await ctx.store.listConsumers(queue.id);
  if (existing.length >= consumerLimits.perQueue) {
    throw invalid('queue', ref.name, `A queue has at most ${consumerLimits.perQueue} consumers`);
  }
  const settings = validateSettings(ctx, queue, input, {
    batchSize: 10,
    maximumBatchingWindowSeconds: 0,
    maximumConcurrency: 5,
    reportBatchItemFailures: false,
    enabled: true,
  });
  const now = ctx.clock.now();
  const consumer: ConsumerRecord = {
    id: randomBytes(8).toString('hex'),
    queue: ref,
    queueId: queue.id,
    ...settings,
    ...('url' in settings.target ? { secret: randomBytes(32).toString('base64url') } : {}),
    createdAt: now,
    updatedAt: now,
  };
  if (!(await ctx.store.createConsumer(consumer))) throw new QueueError('ServiceUnavailable', 'Try again');
  return consumer;
}

export async function listConsumers(ctx: PushContext, ref: QueueRef): Promise<ConsumerRecord[]> {
  const queue = await queueOf(ctx, ref);
  return ctx.store.listConsumers(queue.id);
}

export async function getConsumer(ctx: PushContext, ref: QueueRef, id: string): Promise<ConsumerRecord> {
  const queue = await queueOf(ctx, ref);
  const consumer = await ctx.store.getConsumer(queue.id, id);
  if (!consumer) throw consumerNotFound(id);
  return consumer;
}

export async function updateConsumer(
  ctx: PushContext,
  ref: QueueRef,
  id: string,
  input: ConsumerInput,
): Promise<ConsumerRecord> {
  const queue = await queueOf(ctx, ref);
  const current = await ctx.store.getConsumer(queue.id, id);
  if (!current) throw consumerNotFound(id);
  const settings = validateSettings(ctx, queue, input, current);
  const targetChanged = JSON.stringify(settings.target) !== JSON.stringify(current.target);
  const updated: ConsumerRecord = { ...current, ...settings, updatedAt: ctx.clock.now() };
  if (targetChanged) {
    if ('url' in settings.target) updated.secret = current.secret ?? randomBytes(32).toString('base64url');
    else delete updated.secret;
  }
  if (!(await ctx.store.updateConsumer(updated))) throw consumerNotFound(id);
  ctx.backoff.delete(id);
  return updated;
}

export async function deleteConsumer(ctx: PushContext, ref: QueueRef, id: string): Promise<void> {
  const queue = await queueOf(ctx, ref);
  if (!(await ctx.store.getConsumer(queue.id, id))) throw consumerNotFound(id);
  await ctx.store.deleteConsumer(queue.id, id);
}

function validateSettings(
  ctx: PushContext,
  queue: QueueRecord,
  input: ConsumerInput,
  defaults: ConsumerSettings | Omit<ConsumerSettings, 'target'>,
): ConsumerSettings {
  const target =
    input.target === undefined && 'target' in defaults ? defaults.target : validateTarget(ctx, input.target);
  const batchSize = integerInRange(
    'batchSize',
    input.batchSize ?? defaults.batchSize,
    queue.fifo ? consumerLimits.fifoBatchSize : consumerLimits.batchSize,
  );
  return {
    target,
    batchSize,
    maximumBatchingWindowSeconds: integerInRange(
      'maximumBatchingWindowSeconds',
      input.maximumBatchingWindowSeconds ?? defaults.maximumBatchingWindowSeconds,
      consumerLimits.maximumBatchingWindowSeconds,
    ),
    maximumConcurrency: integerInRange(
      'maximumConcurrency',
      input.maximumConcurrency ?? defaults.maximumConcurrency,
      consumerLimits.maximumConcurrency,
    ),
    reportBatchItemFailures: boolean(
      'reportBatchItemFailures',
      input.reportBatchItemFailures ?? defaults.reportBatchItemFailures,
    ),
    enabled: boolean('enabled', input.enabled ?? defaults.enabled),
  };
}

function boolean(field: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw invalid(field, value, `${field} must be true or false`);
  return value;
}

const functionArnPattern =
  /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]{1,64}(:[A-Za-z0-9_$-]{1,128})?$/;
const moduleTargetPattern = /^[^#]+\.(m?js|m?ts)#[A-Za-z_$][\w$]*$/;

/** An IAM-style ARN pattern (`*` any run of characters, `?` one) as a regular expression. */
function arnPattern(pattern: string): RegExp {
  const escaped = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`);
}

function validateTarget(ctx: PushContext, target: unknown): ConsumerTarget {
  const kinds = ctx.local ? '{"url"}, {"functionArn"} or {"module"}' : '{"url"} or {"functionArn"}';
  if (
    typeof target !== 'object' ||
    target === null ||
    Array.isArray(target) ||
    Object.keys(target).length !== 1
  ) {
    throw invalid('target', target, `target must be one of ${kinds}`);
  }
  const t = target as Record<string, unknown>;
  if ('url' in t) {
    const url = typeof t.url === 'string' ? URL.parse(t.url) : null;
    const schemes = ctx.local ? ['https:', 'http:'] : ['https:'];
    if (!url || !schemes.includes(url.protocol) || url.username || url.password) {
      throw invalid(
        'target.url',
        t.url,
        `target.url must be an absolute ${ctx.local ? 'http or https' : 'https'} URL without credentials`,
      );
    }
    return { url: url.toString() };
  }
  if ('functionArn' in t) {
    if (typeof t.functionArn !== 'string' || !functionArnPattern.test(t.functionArn)) {
      throw invalid(
        'target.functionArn',
        t.functionArn,
        'target.functionArn must be a Lambda function ARN (arn:aws:lambda:<region>:<account>:function:<name>[:<qualifier>])',
      );
    }
    // Deployed, the dispatcher may invoke only the functions its stack names (pushFunctionArns):
    // a consumer it could never deliver to is refused now rather than failing every batch.
    const allowed = ctx.allowedFunctionArns;
    if (allowed && !allowed.some((pattern) => arnPattern(pattern).test(t.functionArn as string))) {
      throw invalid(
        'target.functionArn',
        t.functionArn,
        allowed.length === 0
          ? "This deployment's dispatcher may invoke no Lambda function (the stack's pushFunctionArns is empty)"
          : `The dispatcher may invoke only functions matching ${allowed.join(', ')} (the stack's pushFunctionArns)`,
      );
    }
    return { functionArn: t.functionArn };
  }
  if ('module' in t) {
    if (!ctx.local) {
      throw invalid('target.module', t.module, 'module targets are for the local service only');
    }
    if (typeof t.module !== 'string' || !moduleTargetPattern.test(t.module)) {
      throw invalid(
        'target.module',
        t.module,
        'target.module must be "<path to a .js, .mjs, .ts or .mts file>#<exported function>"',
      );
    }
    return { module: t.module };
  }
  throw invalid('target', target, `target must be one of ${kinds}`);
}
