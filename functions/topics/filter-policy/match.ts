import type { FilterPolicy, FilterPolicyScope } from './validate';
import { isPlainObject } from './validate';

/**
 * Whether a message passes a (validated) filter policy. Keys of a policy must all match (AND);
 * the conditions of one key are alternatives (OR), as are the branches of `$or`. Every condition
 * but `exists: false` needs the key to be present. A value that is an array (a String.Array
 * attribute, or an array in a body) matches when any of its elements matches.
 */
export type Scalar = string | number | boolean | null;

/** A message attribute as the topic holds it (SNS data types: String, String.Array, Number, Binary). */
export interface FilterableAttribute {
  dataType: string;
  stringValue?: string;
}

export function matchesMessage(
  policy: FilterPolicy | undefined,
  scope: FilterPolicyScope,
  message: { body: string; attributes: Record<string, FilterableAttribute> },
): boolean {
  if (!policy || Object.keys(policy).length === 0) return true;
  if (scope === 'MessageAttributes') return matchObject(policy, attributeLookup(message.attributes));
  let body: unknown;
  try {
    body = JSON.parse(message.body);
  } catch {
    return false;
  }
  return isPlainObject(body) ? matchObject(policy, bodyLookup(body)) : false;
}

/** Values under a key: undefined when the key is absent; a child lookup for nested objects. */
interface Lookup {
  values(key: string): Scalar[] | undefined;
  children(key: string): Lookup[];
  /** Absent attributes match `null` in attribute scope (as AWS does); only JSON null does in bodies. */
  nullMatchesAbsent: boolean;
}

function matchObject(policy: Record<string, unknown>, data: Lookup): boolean {
  return Object.entries(policy).every(([key, value]) => {
    if (key === '$or')
      return (value as Record<string, unknown>[]).some((branch) => matchObject(branch, data));
    if (Array.isArray(value)) return matchConditions(value, data.values(key), data.nullMatchesAbsent);
    return data.children(key).some((child) => matchObject(value as Record<string, unknown>, child));
  });
}

function matchConditions(conditions: unknown[], values: Scalar[] | undefined, nullMatchesAbsent: boolean) {
  return conditions.some((condition) => {
    if (isPlainObject(condition) && 'exists' in condition) return (values !== undefined) === condition.exists;
    if (condition === null) return values === undefined ? nullMatchesAbsent : values.includes(null);
    if (values === undefined) return false;
    return values.some((value) => matchCondition(condition, value));
  });
}

function matchCondition(condition: unknown, value: Scalar): boolean {
  if (!isPlainObject(condition)) return condition === value;
  const [operator, operand] = Object.entries(condition)[0]!;
  switch (operator) {
    case 'prefix':
      return typeof value === 'string' && value.startsWith(operand as string);
    case 'suffix':
      return typeof value === 'string' && value.endsWith(operand as string);
    case 'equals-ignore-case':
      return typeof value === 'string' && value.toLowerCase() === (operand as string).toLowerCase();
    case 'numeric':
      return typeof value === 'number' && inRange(operand as unknown[], value);
    case 'anything-but':
      return anythingBut(operand, value);
    case 'cidr':
      return typeof value === 'string' && inCidr(operand as string, value);
    default:
      return false;
  }
}

function anythingBut(operand: unknown, value: Scalar): boolean {
  if (isPlainObject(operand)) {
    const [operator, inner] = Object.entries(operand)[0]!;
    if (operator === 'prefix') return typeof value === 'string' && !value.startsWith(inner as string);
    if (operator === 'suffix') return typeof value === 'string' && !value.endsWith(inner as string);
    if (operator === 'numeric') return typeof value === 'number' && !inRange(inner as unknown[], value);
    return false;
  }
  const excluded = Array.isArray(operand) ? operand : [operand];
  return !excluded.includes(value);
}

function inRange(range: unknown[], value: number): boolean {
  for (let i = 0; i < range.length; i += 2) {
    const bound = range[i + 1] as number;
    const ok =
      range[i] === '='
        ? value === bound
        : range[i] === '>'
          ? value > bound
          : range[i] === '>='
            ? value >= bound
            : range[i] === '<'
              ? value < bound
              : value <= bound;
    if (!ok) return false;
  }
  return true;
}

function inCidr(cidr: string, address: string): boolean {
  const toNumber = (ip: string) => {
    const parts = ip.split('.').map(Number);
    if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) return undefined;
    return parts.reduce((n, p) => n * 256 + p, 0);
  };
  const [base, bits] = cidr.split('/');
  const a = toNumber(address);
  const b = toNumber(base ?? '');
  if (a === undefined || b === undefined) return false;
  const size = 2 ** (32 - Number(bits));
  return Math.floor(a / size) === Math.floor(b / size);
}

function attributeLookup(attributes: Record<string, FilterableAttribute>): Lookup {
  return {
    nullMatchesAbsent: true,
    children: () => [],
    values: (key) => {
      const attribute = Object.hasOwn(attributes, key) ? attributes[key] : undefined;
      if (!attribute) return undefined;
      const text = attribute.stringValue ?? '';
      if (attribute.dataType.startsWith('Number')) {
        const number = Number(text);
        return Number.isFinite(number) ? [number] : [];
      }
      if (attribute.dataType === 'String.Array') {
        try {
          const parsed: unknown = JSON.parse(text);
          if (Array.isArray(parsed)) return parsed.filter(isScalar);
        } catch {
          return [];
        }
        return [];
      }
      // Binary attributes are present (for `exists`) but match no value.
      return attribute.dataType.startsWith('Binary') ? [] : [text];
    },
  };
}

function bodyLookup(body: Record<string, unknown>): Lookup {
  return {
    nullMatchesAbsent: false,
    values: (key) => {
      if (!Object.hasOwn(body, key)) return undefined;
      return flatten(body[key]).filter(isScalar);
    },
    children: (key) => {
      if (!Object.hasOwn(body, key)) return [];
      return flatten(body[key])
        .filter(isPlainObject)
        .map((child) => bodyLookup(child));
    },
  };
}

function flatten(value: unknown): unknown[] {
  return Array.isArray(value) ? value.flatMap(flatten) : [value];
}

const isScalar = (value: unknown): value is Scalar =>
  value === null || ['string', 'number', 'boolean'].includes(typeof value);
