/**
 * Validation of SNS subscription filter policies, with SNS's limits and reasons. The reasons are
 * AWS's own texts as recorded against AWS (localstack's tests/aws/services/sns/
 * test_sns_filter_policy.snapshot.json), without the parser position AWS appends
 * (" at [Source: ...; line: 1, column: N]"). The caller puts the reason after its prefix
 * ("Invalid parameter: Attributes Reason: FilterPolicy: " on Subscribe, "Invalid parameter:
 * FilterPolicy: " on SetSubscriptionAttributes).
 */
export type FilterPolicyScope = 'MessageAttributes' | 'MessageBody';

export type FilterPolicy = Record<string, unknown>;

/** SNS's limits: keys per policy, value combinations, and the policy's size. */
export const filterPolicyLimits = { keys: 5, combinations: 150, bytes: 256 * 1024 } as const;

export class FilterPolicyError extends Error {
  constructor(
    readonly reason: string,
    /** True for faults SNS reports without the "FilterPolicy: " part (the scope's own rules). */
    readonly scopeRule = false,
  ) {
    super(reason);
    this.name = 'FilterPolicyError';
  }
}

const operators = new Set([
  'prefix',
  'suffix',
  'equals-ignore-case',
  'anything-but',
  'numeric',
  'exists',
  'cidr',
]);
const lowerOps = new Set(['>', '>=']);
const upperOps = new Set(['<', '<=']);
const numericOps = new Set(['=', '>', '>=', '<', '<=']);

/** Parses and checks a policy; returns it parsed. An empty policy ({}) means "no filter". */
export function parseFilterPolicy(text: string, scope: FilterPolicyScope): FilterPolicy {
  if (Buffer.byteLength(text) > filterPolicyLimits.bytes) {
    throw new FilterPolicyError(`Filter policy must be at most ${filterPolicyLimits.bytes} bytes`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new FilterPolicyError('failed to parse JSON.');
  }
  validateFilterPolicy(parsed, scope);
  return parsed as FilterPolicy;
}

export function validateFilterPolicy(policy: unknown, scope: FilterPolicyScope): void {
  if (!isPlainObject(policy)) throw new FilterPolicyError('Filter policy must be a JSON object');
  const keys = new Set<string>();
  checkObject(policy, scope, '', keys, 0);
  // The structure is checked first (AWS reports a bad leaf before the scope's rule).
  if (scope === 'MessageAttributes' && [...keys].some((key) => key.includes('\u0000'))) {
    throw new FilterPolicyError(
      'Filter policy scope MessageAttributes does not support nested filter policy',
      true,
    );
  }
  if (keys.size > filterPolicyLimits.keys) {
    throw new FilterPolicyError(`Filter policy can not have more than ${filterPolicyLimits.keys} keys`);
  }
  if (combinations(policy) > filterPolicyLimits.combinations) {
    throw new FilterPolicyError('Filter policy is too complex');
  }
}

function checkObject(
  policy: Record<string, unknown>,
  scope: FilterPolicyScope,
  path: string,
  keys: Set<string>,
  depth: number,
): void {
  if (depth > 10) throw new FilterPolicyError('Filter policy is too complex');
  for (const [key, value] of Object.entries(policy)) {
    if (key === '$or') {
      if (!Array.isArray(value) || value.length < 2 || !value.every(isPlainObject)) {
        throw new FilterPolicyError('"$or" must be an array of at least two objects');
      }
      for (const branch of value) checkObject(branch, scope, path, keys, depth);
      continue;
    }
    if (Array.isArray(value)) {
      keys.add(`${path}${key}`);
      for (const condition of value) checkCondition(condition);
      continue;
    }
    if (isPlainObject(value) && Object.keys(value).length > 0 && !operators.has(Object.keys(value)[0]!)) {
      checkObject(value, scope, `${path}${key}\u0000`, keys, depth + 1);
      continue;
    }
    throw new FilterPolicyError(
      `"${isPlainObject(value) ? (Object.keys(value)[0] ?? key) : key}" must be an object or an array`,
    );
  }
}

function checkCondition(condition: unknown): void {
  if (condition === null || typeof condition === 'string' || typeof condition === 'boolean') return;
  if (typeof condition === 'number') return;
  if (Array.isArray(condition) || !isPlainObject(condition)) {
    throw new FilterPolicyError('Match value must be String, number, true, false, or null');
  }
  const entries = Object.entries(condition);
  if (entries.length !== 1) {
    throw new FilterPolicyError(
      entries.length === 0 ? 'Empty objects are not allowed' : 'Only one key allowed in match expression',
    );
  }
  const [operator, operand] = entries[0]!;
  switch (operator) {
    case 'prefix':
    case 'suffix':
    case 'equals-ignore-case':
      if (typeof operand !== 'string')
        throw new FilterPolicyError(`${operator} match pattern must be a string`);
      return;
    case 'exists':
      if (typeof operand !== 'boolean') {
        throw new FilterPolicyError('exists match pattern must be either true or false.');
      }
      return;
    case 'numeric':
      checkNumeric(operand);
      return;
    case 'anything-but':
      checkAnythingBut(operand);
      return;
    case 'cidr':
      if (typeof operand !== 'string' || !/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/.test(operand)) {
        throw new FilterPolicyError(`Malformed CIDR, one '/' required`);
      }
      return;
    default:
      throw new FilterPolicyError(`Unrecognized match type ${operator}`);
  }
}

function checkAnythingBut(operand: unknown): void {
  if (typeof operand === 'string' || typeof operand === 'number') return;
  if (Array.isArray(operand)) {
    if (operand.length === 0 || !operand.every((v) => typeof v === 'string' || typeof v === 'number')) {
      throw new FilterPolicyError('Inside anything but list, start|null|boolean is not supported.');
    }
    return;
  }
  if (isPlainObject(operand)) {
    const entries = Object.entries(operand);
    if (entries.length !== 1) throw new FilterPolicyError('Only one key allowed in match expression');
    const [operator, value] = entries[0]!;
    if (operator === 'prefix' || operator === 'suffix') {
      if (typeof value !== 'string' || value === '') {
        throw new FilterPolicyError(`${operator} match pattern must be a string`);
      }
      return;
    }
    if (operator === 'numeric') {
      checkNumeric(value);
      return;
    }
    throw new FilterPolicyError(`Unsupported anything-but pattern: ${operator}`);
  }
  throw new FilterPolicyError('Value of anything-but must be an array or single string/number value.');
}

/** `["=", n]`, `[">" | ">=", n]`, `["<" | "<=", n]`, or a lower bound then an upper bound. */
function checkNumeric(operand: unknown): void {
  if (!Array.isArray(operand)) {
    throw new FilterPolicyError('Value of numeric must be an array.');
  }
  if (operand.length === 0) throw new FilterPolicyError('Invalid member in numeric match: ]');
  const [op, value] = operand;
  if (typeof op !== 'string') throw new FilterPolicyError(`Invalid member in numeric match: ${String(op)}`);
  if (!numericOps.has(op)) throw new FilterPolicyError(`Unrecognized numeric range operator: ${op}`);
  const name = op === '=' ? 'equals' : op;
  if (typeof value !== 'number') throw new FilterPolicyError(`Value of ${name} must be numeric`);
  if (operand.length === 2) return;
  if (!lowerOps.has(op)) throw new FilterPolicyError('Too many elements in numeric expression');
  const [, , op2, value2] = operand;
  if (typeof op2 !== 'string') throw new FilterPolicyError(`Bad value in numeric range: ${String(op2)}`);
  if (!upperOps.has(op2)) throw new FilterPolicyError(`Bad numeric range operator: ${op2}`);
  if (typeof value2 !== 'number') throw new FilterPolicyError(`Value of ${op2} must be numeric`);
  if (operand.length > 4) throw new FilterPolicyError('Too many terms in numeric range expression');
  if (!(value < value2)) throw new FilterPolicyError('Bottom must be less than top');
}

/** Value combinations as SNS counts them: a product over keys, a sum over `$or` branches. */
export function combinations(policy: Record<string, unknown>): number {
  let total = 1;
  for (const [key, value] of Object.entries(policy)) {
    if (key === '$or' && Array.isArray(value)) {
      total *= value.reduce(
        (sum: number, branch) => sum + combinations(branch as Record<string, unknown>),
        0,
      );
    } else if (Array.isArray(value)) {
      total *= Math.max(1, value.length);
    } else if (isPlainObject(value)) {
      total *= combinations(value);
    }
  }
  return total;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
