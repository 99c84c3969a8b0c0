import type { z } from 'zod';
import { describeGiven, QueueError } from '../../queue/errors';
import { bodyText, type HttpEvent } from '../http';

/**
 * Request parsing for the REST dialect: malformed JSON and shape errors become
 * InvalidParameterValue / MissingParameter errors naming the field, what was given and what
 * is allowed.
 */
export function parseBody<S extends z.ZodType>(
  event: HttpEvent,
  schema: S,
  { optional = false } = {},
): z.output<S> {
  const text = bodyText(event).trim();
  let value: unknown = {};
  if (text.length === 0) {
    if (!optional)
      throw new QueueError('MalformedRequest', 'The request body must be a JSON object, but it is empty');
  } else {
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw new QueueError(
        'MalformedRequest',
        `The request body is not valid JSON: ${(error as Error).message}`,
      );
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new QueueError(
      'MalformedRequest',
      `The request body must be a JSON object, but ${describeGiven(value)} was given`,
    );
  }
  return check(schema, value);
}

export function check<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value, { reportInput: true });
  if (result.success) return result.data;
  throw toQueueError(result.error.issues[0]!, value);
}

function toQueueError(issue: z.core.$ZodIssue, root: unknown): QueueError {
  const field = issue.path.map(String).join('.') || 'body';
  const given = 'input' in issue ? issue.input : valueAt(root, issue.path);
  if (issue.code === 'invalid_type' && given === undefined) {
    return new QueueError('MissingParameter', `${field} is required: ${describeExpected(issue)}`, {
      field,
      allowed: describeExpected(issue),
    });
  }
  if (issue.code === 'unrecognized_keys') {
    const where = issue.path.length > 0 ? ` in ${field}` : '';
    return new QueueError(
      'InvalidParameterValue',
      `Unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.join(', ')}${where}`,
      {
        field: issue.keys[0] ?? field,
      },
    );
  }
  const allowed = describeExpected(issue);
  return new QueueError(
    'InvalidParameterValue',
    `${field} must be ${allowed}, but ${describeGiven(given)} was given`,
    {
      field,
      given,
      allowed,
    },
  );
}

function describeExpected(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return issue.expected === 'int' ? 'an integer' : `of type ${issue.expected}`;
    case 'too_big':
    case 'too_small': {
      const bounds = issue as { minimum?: number | bigint; maximum?: number | bigint; origin?: string };
      if (bounds.origin === 'array') return `a list of ${rangeText(issue)} entries`;
      if (bounds.origin === 'string') return `a string of ${rangeText(issue)} characters`;
      return `a number ${rangeText(issue)}`;
    }
    case 'invalid_format':
      return issue.format === 'regex' ? issue.message : `in ${issue.format} format`;
    case 'invalid_union':
      return 'one of the documented shapes (see GET /openapi.json)';
    case 'invalid_value':
      return `one of ${issue.values.map((value) => JSON.stringify(value)).join(', ')}`;
    default:
      return issue.message;
  }
}

function rangeText(issue: z.core.$ZodIssue): string {
  const { minimum, maximum } = issue as { minimum?: number | bigint; maximum?: number | bigint };
  if (minimum !== undefined) return `at least ${minimum}`;
  return `at most ${maximum}`;
}

function valueAt(root: unknown, path: PropertyKey[]): unknown {
  let current = root;
  for (const key of path) current = (current as Record<PropertyKey, unknown> | undefined)?.[key];
  return current;
}
