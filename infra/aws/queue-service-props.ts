import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type { Schedule } from 'aws-cdk-lib/aws-events';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { limits } from '../../functions/queue/limits';
import { defaultBodyThresholdBytes } from '../../functions/store/s3-body-store';
import { tableNames } from '../../functions/store/table-layout';

export interface QueueServiceProps {
  /**
   * Prefix of the DynamoDB table names (`<prefix>messages`, `<prefix>dead-letters`). Deploy two
   * copies of the service in one account and region with two prefixes.
   * @default 'queue-' (the names the local host uses)
   */
  readonly tablePrefix?: string;
  /**
   * Ready-index shards of each new queue (QUEUE_SHARDS): one shard carries about 250 messages/s.
   * @default 4
   */
  readonly shardCount?: number;
  /**
   * How often the sweeper runs.
   * @default - the interval of the sweeper in the `schedules` table of functions/routes.ts (1 minute)
   */
  readonly sweepSchedule?: Schedule;
  /**
   * Retention of each function's log group.
   * @default RetentionDays.ONE_MONTH
   */
  readonly logRetention?: RetentionDays;
  /**
   * Retention of the API access log group.
   * @default RetentionDays.THREE_MONTHS
   */
  readonly accessLogRetention?: RetentionDays;
  /**
   * What happens to the tables, the receipt-handle secret and the log groups when they leave the
   * stack. `DESTROY` needs `deletionProtection: false`, or CloudFormation cannot delete the tables.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * Customer-managed KMS key for the tables and the receipt-handle secret; the functions are granted
   * use of it. Without it, the tables use the AWS-owned key and the secret `aws/secretsmanager`.
   * @default - AWS-owned encryption
   */
  readonly encryptionKey?: IKey;
  /**
   * DynamoDB deletion protection on both tables.
   * @default true
   */
  readonly deletionProtection?: boolean;
  /**
   * Steady-state request rate of the API stage, in requests per second.
   * @default 500
   */
  readonly throttlingRateLimit?: number;
  /**
   * Burst capacity of the API stage, in requests.
   * @default 1000
   */
  readonly throttlingBurstLimit?: number;
  /**
   * Origins allowed to call the API from a browser (CORS). An empty list leaves CORS off.
   * @default - CORS off
   */
  readonly corsOrigins?: string[];
  /**
   * Active X-Ray tracing on every function.
   * @default true
   */
  readonly tracing?: boolean;
  /**
   * Age of the oldest message (the `ApproximateAgeOfOldestMessage` metric) that raises an alarm.
   * @default Duration.hours(1)
   */
  readonly oldestMessageAgeAlarm?: Duration;
  /**
   * Lambda functions push consumers may target (`{"functionArn": ...}`): the dispatcher's role may
   * invoke these and nothing else, and creating a consumer of any other function is refused. IAM
   * ARN patterns, e.g. `arn:aws:lambda:us-east-1:123456789012:function:orders-*` to grant a name prefix.
   * @default - none: consumers push to https URLs only
   */
  readonly pushFunctionArns?: string[];
  /**
   * The lock file the functions are bundled against (NodejsFunction's `depsLockFilePath`; its
   * folder is the project root esbuild runs in). Set it when `cdk synth` runs outside the folder
   * of your app's lock file.
   * @default - the lock file NodejsFunction finds from the current directory up (the package's own
   * package-lock.json when deployed from this repository's checkout)
   */
  readonly depsLockFilePath?: string;
  /**
   * Keep message bodies above `bodyThresholdBytes` in an S3 bucket of the stack instead of
   * DynamoDB (README: "Large bodies"). Off, every body stays in DynamoDB body parts.
   * @default true
   */
  readonly largeBodiesInS3?: boolean;
  /**
   * Bodies of more UTF-8 bytes than this go to S3 (BODY_THRESHOLD_BYTES).
   * @default 4096 (the measured cost crossover, see the README)
   */
  readonly bodyThresholdBytes?: number;
}

/** The props with every default filled in. */
export interface ResolvedQueueServiceProps {
  readonly tablePrefix: string;
  readonly shardCount: number;
  readonly sweepSchedule: Schedule | undefined;
  readonly logRetention: RetentionDays;
  readonly accessLogRetention: RetentionDays;
  readonly removalPolicy: RemovalPolicy;
  readonly encryptionKey: IKey | undefined;
  readonly deletionProtection: boolean;
  readonly throttlingRateLimit: number;
  readonly throttlingBurstLimit: number;
  readonly corsOrigins: string[];
  readonly tracing: boolean;
  readonly oldestMessageAgeAlarm: Duration;
  readonly pushFunctionArns: string[];
  readonly depsLockFilePath: string | undefined;
  readonly largeBodiesInS3: boolean;
  readonly bodyThresholdBytes: number;
}

export function resolveQueueServiceProps(props: QueueServiceProps): ResolvedQueueServiceProps {
  const resolved: ResolvedQueueServiceProps = {
    tablePrefix: props.tablePrefix ?? 'queue-',
    shardCount: props.shardCount ?? limits.shardCount.default,
    sweepSchedule: props.sweepSchedule,
    logRetention: props.logRetention ?? RetentionDays.ONE_MONTH,
    accessLogRetention: props.accessLogRetention ?? RetentionDays.THREE_MONTHS,
    removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    encryptionKey: props.encryptionKey,
    deletionProtection: props.deletionProtection ?? true,
    throttlingRateLimit: props.throttlingRateLimit ?? 500,
    throttlingBurstLimit: props.throttlingBurstLimit ?? 1_000,
    corsOrigins: props.corsOrigins ?? [],
    tracing: props.tracing ?? true,
    oldestMessageAgeAlarm: props.oldestMessageAgeAlarm ?? Duration.hours(1),
    pushFunctionArns: props.pushFunctionArns ?? [],
    depsLockFilePath: props.depsLockFilePath,
    largeBodiesInS3: props.largeBodiesInS3 ?? true,
    bodyThresholdBytes: props.bodyThresholdBytes ?? defaultBodyThresholdBytes,
  };
  const problems = validationRules.flatMap((rule) => {
    const problem = rule(resolved);
    return problem ? [problem] : [];
  });
  if (problems.length > 0) throw new Error(`Invalid QueueService props:\n- ${problems.join('\n- ')}`);
  return resolved;
}

type Rule = (props: ResolvedQueueServiceProps) => string | undefined;

// DynamoDB table names: 3-255 characters of [a-zA-Z0-9_.-].
const tableNamePattern = /^[A-Za-z0-9_.-]*$/;
const maxTableNameLength = 255;
// An HTTP API stage accepts at most the account's limits: 10,000 requests/s, 5,000 burst.
const maxRateLimit = 10_000;
const maxBurstLimit = 5_000;
const originPattern = /^(\*|https?:\/\/[^\s/]+)$/;

const isInteger = (value: number) => Number.isInteger(value);

/** One rule per prop: each message says what was given and what is allowed. */
const validationRules: Rule[] = [
  ({ tablePrefix }) =>
    tableNamePattern.test(tablePrefix)
      ? undefined
      : `tablePrefix may contain only letters, digits, '_', '-' and '.', but '${tablePrefix}' was provided`,
  ({ tablePrefix }) => {
    const longest = tableNames(tablePrefix).deadLetters.length;
    return longest <= maxTableNameLength
      ? undefined
      : `tablePrefix must be at most ${maxTableNameLength - tableNames('').deadLetters.length} characters ` +
          `(table names are at most ${maxTableNameLength}), but ${tablePrefix.length} were provided`;
  },
  ({ shardCount }) => {
    const { min, max } = limits.shardCount;
    return isInteger(shardCount) && shardCount >= min && shardCount <= max
      ? undefined
      : `shardCount must be an integer between ${min} and ${max}, but ${shardCount} was provided`;
  },
  ({ throttlingRateLimit }) =>
    throttlingRateLimit > 0 && throttlingRateLimit <= maxRateLimit
      ? undefined
      : `throttlingRateLimit must be above 0 and at most ${maxRateLimit} requests per second, ` +
        `but ${throttlingRateLimit} was provided`,
  ({ throttlingBurstLimit }) =>
    isInteger(throttlingBurstLimit) && throttlingBurstLimit >= 1 && throttlingBurstLimit <= maxBurstLimit
      ? undefined
      : `throttlingBurstLimit must be an integer between 1 and ${maxBurstLimit} requests, ` +
        `but ${throttlingBurstLimit} was provided`,
  ({ corsOrigins }) => {
    const bad = corsOrigins.filter((origin) => !originPattern.test(origin));
    return bad.length === 0
      ? undefined
      : `corsOrigins must each be '*' or a scheme and host such as 'https://console.example.com' ` +
          `(no path), but ${bad.map((origin) => `'${origin}'`).join(', ')} was provided`;
  },
  ({ removalPolicy, deletionProtection }) =>
    removalPolicy === RemovalPolicy.DESTROY && deletionProtection
      ? 'removalPolicy DESTROY needs deletionProtection: false (CloudFormation cannot delete a protected ' +
        'table), but deletionProtection: true was provided'
      : undefined,
  ({ bodyThresholdBytes }) =>
    isInteger(bodyThresholdBytes) &&
    bodyThresholdBytes >= 1 &&
    bodyThresholdBytes <= limits.maxMessageBytes.max
      ? undefined
      : `bodyThresholdBytes must be an integer between 1 and ${limits.maxMessageBytes.max} bytes, ` +
        `but ${bodyThresholdBytes} was provided`,
  ({ oldestMessageAgeAlarm }) =>
    oldestMessageAgeAlarm.toSeconds() >= 60
      ? undefined
      : `oldestMessageAgeAlarm must be at least 60 seconds, but ${oldestMessageAgeAlarm.toSeconds()} seconds ` +
        'was provided',
];
