import { parseQueueArn } from './queue-url';

/**
 * RedriveAllowPolicy: which source queues may name a queue as their dead-letter queue.
 * `{"redrivePermission": "allowAll" | "denyAll" | "byQueue", "sourceQueueArns": [...]}`, the ARNs
 * (1 to 10) only with byQueue, as SQS documents it. No policy allows every source.
 */
type Permission = 'allowAll' | 'denyAll' | 'byQueue';

interface RedriveAllowPolicy {
  redrivePermission: Permission;
  sourceQueueArns?: string[];
}

const permissions = new Set<string>(['allowAll', 'denyAll', 'byQueue']);
export const maxSourceQueueArns = 10;

/** Why the text is not a valid policy, or undefined when it is (an empty text removes the policy). */
export function redriveAllowPolicyProblem(text: string): string | undefined {
  if (text === '') return undefined;
  const parsed = parse(text);
  return typeof parsed === 'string' ? parsed : undefined;
}

/** Whether the policy (as stored; valid or empty) lets the queue with this ARN send it dead letters. */
export function allowsSource(text: string | undefined, sourceArn: string): boolean {
  if (!text) return true;
  const policy = parse(text);
  if (typeof policy === 'string') return true; // not ours to refuse: it was checked when it was set
  if (policy.redrivePermission === 'allowAll') return true;
  if (policy.redrivePermission === 'denyAll') return false;
  return policy.sourceQueueArns?.includes(sourceArn) ?? false;
}

function parse(text: string): RedriveAllowPolicy | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return 'Redrive allow policy is not a valid JSON map.';
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return 'Redrive allow policy is not a valid JSON map.';
  }
  const { redrivePermission, sourceQueueArns, ...rest } = value as Record<string, unknown>;
  const unknown = Object.keys(rest);
  if (unknown.length > 0) {
    return `Redrive allow policy has unknown keys (${unknown.join(', ')}); it takes redrivePermission and sourceQueueArns.`;
  }
  if (typeof redrivePermission !== 'string' || !permissions.has(redrivePermission)) {
    return 'redrivePermission must be allowAll, denyAll or byQueue.';
  }
  if (redrivePermission !== 'byQueue') {
    return sourceQueueArns === undefined
      ? { redrivePermission: redrivePermission as Permission }
      : 'sourceQueueArns can be given only when redrivePermission is byQueue.';
  }
  if (
    !Array.isArray(sourceQueueArns) ||
    sourceQueueArns.length === 0 ||
    sourceQueueArns.length > maxSourceQueueArns
  ) {
    return `With redrivePermission byQueue, sourceQueueArns must list 1 to ${maxSourceQueueArns} queue ARNs (use allowAll for more sources).`;
  }
  const bad = sourceQueueArns.find((arn) => typeof arn !== 'string' || !parseQueueArn(arn));
  if (bad !== undefined) {
    return `sourceQueueArns must hold queue ARNs (arn:aws:sqs:<region>:<account-id>:<queue-name>), but ${JSON.stringify(bad)} is not one.`;
  }
  return { redrivePermission: 'byQueue', sourceQueueArns: sourceQueueArns as string[] };
}
