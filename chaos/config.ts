import { parseArgs } from 'node:util';
import { type Dialect, dialects } from './clients/queue-client';
import { type FaultKind, type FaultPlan, faultKinds } from './faults';

/** The knobs of a chaos run; `full` and `short` are the two sizes the issue asks for. */
export interface ChaosConfig {
  messages: number;
  producers: number;
  consumers: number;
  /** Workers take these dialects in turn. */
  dialects: Dialect[];
  /** The queue's visibility timeout (service seconds). */
  visibilitySeconds: number;
  /** Some receives ask for this longer lease instead (long enough for the batch delete's fast path). */
  longVisibilitySeconds: number;
  longVisibilityRate: number;
  maxReceiveCount: number;
  shards: number;
  /** Service clock speed: 1 is real time; more lets a short run see 60 s retention pass. */
  clockRate: number;
  /** Messages every consumer crashes on: they must end in the dead-letter queue. */
  poisonRate: number;
  /** Bodies above the inline limit (stored as body parts). */
  largeBodyRate: number;
  /** What a consumer does with a message, as probabilities per delivery. */
  behaviour: { crash: number; stall: number; lateDelete: number; batchDelete: number };
  /** A queue with the minimum retention (60 s), which the run outlives. */
  retention: { messages: number; retentionSeconds: number };
  /** How long (real seconds) the consumers may take to drain after the producers finish. */
  drainSeconds: number;
  /** How often the sweeper runs (service seconds). */
  sweepEverySeconds: number;
  faults: FaultPlan;
  /** The topic scenario (chaos/topics.ts): publishes to one topic with 5 queue subscriptions. */
  topicPublishes: number;
  /** The push scenario (chaos/push.ts): messages pushed to a flaky local HTTP consumer. */
  pushMessages: number;
}

const defaultFaults: FaultPlan = {
  probabilities: {
    throttle: 0.03,
    timeout: 0.01,
    dropResponse: 0.02,
    conflict: 0.01,
    internal: 0.005,
    unprocessed: 0.02,
    latency: 0.03,
  },
  stallMs: [50, 1_000],
  latencyMs: [20, 300],
};

export const fullRun: ChaosConfig = {
  messages: 5_000,
  producers: 4,
  consumers: 8,
  dialects,
  visibilitySeconds: 2,
  longVisibilitySeconds: 7,
  longVisibilityRate: 0.05,
  maxReceiveCount: 4,
  shards: 4,
  clockRate: 1,
  poisonRate: 0.01,
  largeBodyRate: 0.03,
  behaviour: { crash: 0.03, stall: 0.03, lateDelete: 0.03, batchDelete: 0.3 },
  retention: { messages: 30, retentionSeconds: 60 },
  drainSeconds: 240,
  sweepEverySeconds: 1,
  faults: defaultFaults,
  topicPublishes: 1_000,
  pushMessages: 1_000,
};

export const shortRun: ChaosConfig = {
  ...fullRun,
  messages: 500,
  producers: 2,
  consumers: 4,
  visibilitySeconds: 3,
  longVisibilitySeconds: 9,
  clockRate: 3,
  poisonRate: 0.02,
  retention: { messages: 10, retentionSeconds: 60 },
  drainSeconds: 60,
  topicPublishes: 200,
  pushMessages: 300,
};

const usage = `npm run chaos -- [options]   (each option also reads CHAOS_<NAME> from the environment)
  --short                  the short run (${shortRun.messages} messages) instead of the full one (${fullRun.messages})
  --messages N             messages to send
  --producers N            concurrent producers
  --consumers N            concurrent consumers
  --visibility S           the queue's visibility timeout in seconds
  --clock-rate R           service clock speed (1 = real time)
  --fault-scale F          multiplies every fault probability (0 turns faults off)
  --faults k=p,...         sets fault probabilities: ${faultKinds.join(', ')}
  --spare k:Command,...    never injects fault k into that DynamoDB command (e.g. dropResponse:BatchWriteItem)
  --drain-seconds S        how long consumers may drain after the producers finish
  --endpoint URL           use this DynamoDB instead of starting DynamoDB Local
  --help`;

export interface ChaosCommand {
  config: ChaosConfig;
  endpoint?: string;
  help?: string;
}

/** Reads the command line, then CHAOS_* variables for anything not given there. */
export function parseChaosCommand(argv: string[], env: NodeJS.ProcessEnv): ChaosCommand {
  const { values } = parseArgs({
    args: argv,
    options: {
      short: { type: 'boolean' },
      messages: { type: 'string' },
      producers: { type: 'string' },
      consumers: { type: 'string' },
      visibility: { type: 'string' },
      'clock-rate': { type: 'string' },
      'fault-scale': { type: 'string' },
      faults: { type: 'string' },
      spare: { type: 'string' },
      'drain-seconds': { type: 'string' },
      endpoint: { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) return { config: fullRun, help: usage };
  const option = (name: keyof typeof values) => {
    const value = values[name] ?? env[`CHAOS_${name.toUpperCase().replace(/-/g, '_')}`];
    return typeof value === 'string' ? value : undefined;
  };
  const short = values.short ?? env.CHAOS_SHORT === '1';
  const base = short ? shortRun : fullRun;
  const config: ChaosConfig = {
    ...base,
    messages: positive('messages', option('messages')) ?? base.messages,
    producers: positive('producers', option('producers')) ?? base.producers,
    consumers: positive('consumers', option('consumers')) ?? base.consumers,
    visibilitySeconds: positive('visibility', option('visibility')) ?? base.visibilitySeconds,
    clockRate: positive('clock-rate', option('clock-rate')) ?? base.clockRate,
    drainSeconds: positive('drain-seconds', option('drain-seconds')) ?? base.drainSeconds,
    faults: withSpared(
      withProbabilities(base.faults, option('fault-scale'), option('faults')),
      option('spare'),
    ),
  };
  const endpoint = option('endpoint');
  return { config, ...(endpoint ? { endpoint } : {}) };
}

function positive(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!(value > 0)) throw new Error(`--${name} must be a positive number, but ${text} was given\n${usage}`);
  return value;
}

/** Adds `kind:Command` exemptions to the plan. */
export function withSpared(plan: FaultPlan, settings?: string): FaultPlan {
  if (!settings) return plan;
  const spare: Partial<Record<FaultKind, string[]>> = { ...plan.spare };
  for (const setting of settings.split(',')) {
    const [kind, command] = setting.split(':');
    if (!faultKinds.includes(kind as FaultKind) || !command) {
      throw new Error(`--spare takes kind:Command with kinds ${faultKinds.join(', ')}; got ${setting}`);
    }
    spare[kind as FaultKind] = [...(spare[kind as FaultKind] ?? []), command];
  }
  return { ...plan, spare };
}

/** Scales the plan's probabilities, then applies explicit `kind=p` settings. */
export function withProbabilities(plan: FaultPlan, scale?: string, settings?: string): FaultPlan {
  const factor = scale === undefined ? 1 : Number(scale);
  if (!(factor >= 0)) throw new Error(`--fault-scale must be 0 or more, but ${scale} was given`);
  const probabilities = Object.fromEntries(
    faultKinds.map((kind) => [kind, Math.min(1, plan.probabilities[kind] * factor)]),
  ) as Record<FaultKind, number>;
  for (const setting of settings ? settings.split(',') : []) {
    const [kind, value] = setting.split('=');
    if (!faultKinds.includes(kind as FaultKind) || !(Number(value) >= 0 && Number(value) <= 1)) {
      throw new Error(`--faults takes kind=probability with kinds ${faultKinds.join(', ')}; got ${setting}`);
    }
    probabilities[kind as FaultKind] = Number(value);
  }
  return { ...plan, probabilities };
}
