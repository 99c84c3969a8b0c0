import { QueueError } from '../../queue/errors';

/**
 * Typed readers of an action's input. Both protocols decode into the shape of the AWS JSON
 * protocol (the Query codec turns `Attribute.1.Name` into `Attributes`), so actions read one
 * shape; integers may still arrive as strings from the Query protocol. Failures name the SQS
 * parameter, as SQS does.
 */
export type ActionInput = Record<string, unknown>;

/** SQS's wording: the value as given, unquoted (`Value test for parameter Label is invalid. ...`). */
export function invalidValue(name: string, given: unknown, reason: string): QueueError {
  return new QueueError(
    'InvalidParameterValue',
    `Value ${asGiven(given)} for parameter ${name} is invalid. Reason: ${reason}`,
    { field: name, given, allowed: reason },
  );
}

/** A value as SQS echoes it: text as is, anything else as JSON; cut past 1,024 characters. */
export function asGiven(value: unknown): string {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  return text.length > 1024 ? `${text.slice(0, 1021)}...` : text;
}

export function missing(name: string): QueueError {
  return new QueueError('MissingParameter', `The request must contain the parameter ${name}.`, {
    field: name,
  });
}

export function optionalString(input: ActionInput, name: string): string | undefined {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalidValue(name, value, 'must be a string.');
  return value;
}

export function requiredString(input: ActionInput, name: string): string {
  const value = optionalString(input, name);
  if (value === undefined || value === '') throw missing(name);
  return value;
}

export function optionalInteger(
  input: ActionInput,
  name: string,
  range: { min: number; max: number },
): number | undefined {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  const number = typeof value === 'string' && /^[+-]?\d+$/.test(value.trim()) ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isInteger(number) || number < range.min || number > range.max) {
    // SQS's reasons as recorded against AWS: MaxNumberOfMessages has its own; DelaySeconds' wording
    // serves the integer parameters whose reason was not found recorded.
    const reason =
      name === 'MaxNumberOfMessages'
        ? `Must be between ${range.min} and ${range.max}, if provided.`
        : `${name} must be >= ${range.min} and <= ${range.max}.`;
    throw invalidValue(name, value, reason);
  }
  return number;
}

export function requiredInteger(input: ActionInput, name: string, range: { min: number; max: number }) {
  const value = optionalInteger(input, name, range);
  if (value === undefined) throw missing(name);
  return value;
}

export function stringList(input: ActionInput, name: string): string[] {
  const value = input[name];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) {
    throw invalidValue(name, value, 'must be a list of strings.');
  }
  return value as string[];
}

export function stringMap(input: ActionInput, name: string): Record<string, string> {
  const value = input[name];
  if (value === undefined || value === null) return {};
  if (!isObject(value) || Object.values(value).some((item) => typeof item !== 'string')) {
    throw invalidValue(name, value, 'must be a map of strings to strings.');
  }
  return value as Record<string, string>;
}

export function objectList(input: ActionInput, name: string): ActionInput[] {
  const value = input[name];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || !value.every(isObject)) {
    throw invalidValue(name, value, 'must be a list of structures.');
  }
  return value as ActionInput[];
}

export function isObject(value: unknown): value is ActionInput {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
