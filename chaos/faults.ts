import {
  type DynamoDBClient,
  InternalServerError,
  ProvisionedThroughputExceededException,
  TransactionCanceledException,
  TransactionConflictException,
} from '@aws-sdk/client-dynamodb';
import { sleepReal } from './clock';

/**
 * Faults DynamoDB Local never produces, injected into a DynamoDBClient's middleware stack
 * inside the SDK's retry loop, so each SDK attempt can fail on its own and the SDK's retries,
 * the store's retries and the callers' retries all take part, as they would against AWS.
 *
 *   throttle      ProvisionedThroughputExceededException before the request is sent
 *   timeout       the request is lost on the way: a wait, then TimeoutError; nothing applied
 *   dropResponse  the request IS applied, then the response is lost: a wait, then TimeoutError
 *   conflict      TransactionConflictException (TransactionCanceledException for transactions)
 *   internal      InternalServerError (HTTP 500)
 *   unprocessed   a batch call that processes nothing and returns every item as unprocessed
 *   latency       a delay before the request is sent, which widens every race window
 */
export type FaultKind =
  | 'throttle'
  | 'timeout'
  | 'dropResponse'
  | 'conflict'
  | 'internal'
  | 'unprocessed'
  | 'latency';

export const faultKinds: FaultKind[] = [
  'throttle',
  'timeout',
  'dropResponse',
  'conflict',
  'internal',
  'unprocessed',
  'latency',
];

/** Commands a conflict can hit: writes that take part in DynamoDB's item-level transactions. */
const conflictable = new Set(['UpdateItem', 'DeleteItem', 'PutItem', 'TransactWriteItems']);
const batchCommands = new Set(['BatchWriteItem', 'BatchGetItem']);

export interface FaultPlan {
  /** Probability, per SDK attempt, of each fault. */
  probabilities: Record<FaultKind, number>;
  /** How long a timeout or a lost response keeps the caller waiting (real ms, [min, max]). */
  stallMs: [number, number];
  /** Added latency (real ms, [min, max]). */
  latencyMs: [number, number];
  /** Commands (without the `Command` suffix) a fault is not injected into. */
  spare?: Partial<Record<FaultKind, string[]>>;
}

export const noFaults: FaultPlan = {
  probabilities: {
    throttle: 0,
    timeout: 0,
    dropResponse: 0,
    conflict: 0,
    internal: 0,
    unprocessed: 0,
    latency: 0,
  },
  stallMs: [0, 0],
  latencyMs: [0, 0],
};

/** A fault a test asks for by name, for the next matching calls, before any random ones. */
export interface FaultRule {
  command: string;
  kind: FaultKind;
  /** How many matching attempts it hits (default 1). */
  times?: number;
  /** Only attempts whose command input matches. */
  match?: (input: Record<string, unknown>) => boolean;
  /** Overrides the plan's stall (timeouts, lost responses) or latency for this rule. */
  waitMs?: number;
  /**
   * Awaited after a lost response's request was applied (or before a timeout fails): lets a test
   * act in the window where the caller does not know the outcome yet.
   */
  during?: () => Promise<void>;
}

export interface FaultStats {
  /** SDK attempts that reached the injector, by command. */
  attempts: Record<string, number>;
  /** Commands sent (each may take several attempts), by command. */
  commands: Record<string, number>;
  /** Faults injected, by kind and command. */
  injected: Record<FaultKind, Record<string, number>>;
  /** Commands that still failed with an injected fault after the SDK's retries, by kind. */
  surfaced: Record<FaultKind, number>;
}

const injectedMark = Symbol('injected fault');

/** The kind of fault an error was injected as, or undefined for a genuine error. */
export function injectedKind(error: unknown): FaultKind | undefined {
  return (error as { [injectedMark]?: FaultKind } | undefined)?.[injectedMark];
}

export class FaultInjector {
  private readonly rules: (FaultRule & { left: number })[] = [];
  private plan: FaultPlan;
  private enabled = true;
  readonly stats: FaultStats = emptyStats();

  constructor(plan: FaultPlan = noFaults) {
    this.plan = plan;
  }

  /** Adds the injector to a client; its SDK retries then meet the faults one attempt at a time. */
  install(client: DynamoDBClient): DynamoDBClient {
    const stack = client.middlewareStack;
    stack.add(
      (next, context) => async (args) => {
        const command = commandName(context);
        count(this.stats.commands, command);
        try {
          return await next(args);
        } catch (error) {
          const kind = injectedKind(error);
          if (kind) this.stats.surfaced[kind]++;
          throw error;
        }
      },
      { step: 'initialize', name: 'chaosFaultCounter', priority: 'low' },
    );
    stack.add(
      (next, context) => async (args) => {
        const command = commandName(context);
        count(this.stats.attempts, command);
        const input = args.input as Record<string, unknown>;
        const fault = this.enabled ? this.pick(command, input) : undefined;
        if (!fault) return next(args);
        count(this.stats.injected[fault.kind], command);
        switch (fault.kind) {
          case 'latency':
            await sleepReal(fault.waitMs ?? between(this.plan.latencyMs));
            return next(args);
          case 'dropResponse': {
            await next(args);
            await fault.during?.();
            await sleepReal(fault.waitMs ?? between(this.plan.stallMs));
            throw mark(timeoutError('the response was lost after the request was applied'), 'dropResponse');
          }
          case 'timeout':
            await fault.during?.();
            await sleepReal(fault.waitMs ?? between(this.plan.stallMs));
            throw mark(timeoutError('the request timed out before it reached DynamoDB'), 'timeout');
          case 'unprocessed':
            return {
              output: unprocessedOutput(command, input),
              response: { statusCode: 200, headers: {} },
            } as Awaited<ReturnType<typeof next>>;
          default:
            throw mark(errorFor(fault.kind, command), fault.kind);
        }
      },
      { step: 'finalizeRequest', name: 'chaosFaultInjector', priority: 'normal' },
    );
    return client;
  }

  /** Replaces the random plan (e.g. no faults while a run drains). */
  setPlan(plan: FaultPlan): void {
    this.plan = plan;
  }

  /** Turns every fault off or on, scripted rules included. */
  setEnabled(enabled: boolean): void {
    this.enabled = enabled;
  }

  /** Schedules a fault for the next matching attempts. */
  inject(rule: FaultRule): void {
    this.rules.push({ ...rule, left: rule.times ?? 1 });
  }

  /** Scripted faults not used yet. */
  pendingRules(): number {
    return this.rules.reduce((sum, rule) => sum + rule.left, 0);
  }

  clearRules(): void {
    this.rules.length = 0;
  }

  totalInjected(kind?: FaultKind): number {
    const kinds = kind ? [kind] : faultKinds;
    return kinds.reduce((sum, k) => sum + sumValues(this.stats.injected[k]), 0);
  }

  private pick(command: string, input: Record<string, unknown>): FaultRule | undefined {
    const rule = this.rules.find((r) => r.left > 0 && r.command === command && (r.match?.(input) ?? true));
    if (rule) {
      rule.left--;
      return rule;
    }
    for (const kind of faultKinds) {
      if (!this.applies(kind, command)) continue;
      if (Math.random() < this.plan.probabilities[kind]) return { command, kind };
    }
    return undefined;
  }

  private applies(kind: FaultKind, command: string): boolean {
    if (this.plan.spare?.[kind]?.includes(command)) return false;
    if (kind === 'conflict') return conflictable.has(command);
    if (kind === 'unprocessed') return batchCommands.has(command);
    return true;
  }
}

function emptyStats(): FaultStats {
  const byKind = <T>(value: () => T) =>
    Object.fromEntries(faultKinds.map((kind) => [kind, value()])) as Record<FaultKind, T>;
  return { attempts: {}, commands: {}, injected: byKind(() => ({})), surfaced: byKind(() => 0) };
}

const commandName = (context: { commandName?: string }) =>
  (context.commandName ?? 'Unknown').replace(/Command$/, '');

const count = (counter: Record<string, number>, key: string) => {
  counter[key] = (counter[key] ?? 0) + 1;
};

export const sumValues = (counter: Record<string, number>) =>
  Object.values(counter).reduce((sum, n) => sum + n, 0);

const between = ([min, max]: [number, number]) => min + Math.random() * (max - min);

function mark<E extends Error>(error: E, kind: FaultKind): E {
  Object.defineProperty(error, injectedMark, { value: kind });
  return error;
}

/** The error the SDK's HTTP handler raises when a socket times out (retryable as transient). */
function timeoutError(message: string): Error {
  return Object.assign(new Error(`injected: ${message}`), { name: 'TimeoutError', $metadata: {} });
}

function errorFor(kind: FaultKind, command: string): Error {
  const $metadata = { httpStatusCode: 400 };
  switch (kind) {
    case 'throttle':
      return new ProvisionedThroughputExceededException({ message: 'injected: throttled', $metadata });
    case 'conflict':
      return command === 'TransactWriteItems'
        ? new TransactionCanceledException({
            message:
              'injected: Transaction cancelled, please refer cancellation reasons for specific reasons',
            CancellationReasons: [{ Code: 'TransactionConflict', Message: 'injected conflict' }],
            $metadata,
          })
        : new TransactionConflictException({
            message: 'injected: Transaction is ongoing for the item',
            $metadata,
          });
    case 'internal':
      return new InternalServerError({
        message: 'injected: internal server error',
        $metadata: { httpStatusCode: 500 },
      });
    default:
      throw new Error(`${kind} is not an error fault`);
  }
}

/** A batch answer in which DynamoDB processed nothing: every item is handed back. */
function unprocessedOutput(command: string, input: Record<string, unknown>) {
  const $metadata = { httpStatusCode: 200 };
  if (command === 'BatchWriteItem') return { UnprocessedItems: input.RequestItems, $metadata };
  return { Responses: {}, UnprocessedKeys: input.RequestItems, $metadata };
}
