import { describe, expect, test } from 'vitest';
import { matchesMessage } from '../../functions/topics/filter-policy/match';
import { FilterPolicyError, parseFilterPolicy } from '../../functions/topics/filter-policy/validate';

/**
 * The filter-policy module on its own: SNS's validation reasons (texts recorded against AWS in
 * localstack's tests/aws/services/sns/test_sns_filter_policy.snapshot.json) and what matches.
 */
const reason = (policy: unknown, scope: 'MessageAttributes' | 'MessageBody' = 'MessageAttributes') => {
  try {
    parseFilterPolicy(JSON.stringify(policy), scope);
  } catch (error) {
    if (error instanceof FilterPolicyError) return error.reason;
    throw error;
  }
  return 'valid';
};

describe('validation, with the reasons AWS gives', () => {
  test.each([
    [{ key: [['value']] }, 'Match value must be String, number, true, false, or null'],
    [{ key: [{ 'wrong-operator': true }] }, 'Unrecognized match type wrong-operator'],
    [{ key: [{ suffix: 'value', prefix: 'value2' }] }, 'Only one key allowed in match expression'],
    [{ key: [{ suffix: 100 }] }, 'suffix match pattern must be a string'],
    [{ key: [{ suffix: null }] }, 'suffix match pattern must be a string'],
    [{ key: [{ suffix: [] }] }, 'suffix match pattern must be a string'],
    [{ key: { suffix: 'value' } }, '"suffix" must be an object or an array'],
    [{ key: { 'not-an-operator': 'value' } }, '"not-an-operator" must be an object or an array'],
    [{ key_a: 'value_one' }, '"key_a" must be an object or an array'],
    [{ key: [{ numeric: [] }] }, 'Invalid member in numeric match: ]'],
    [{ key: [{ numeric: ['operator'] }] }, 'Unrecognized numeric range operator: operator'],
    [{ key: [{ numeric: [1, '<='] }] }, 'Invalid member in numeric match: 1'],
    [{ key: [{ numeric: ['=', '000'] }] }, 'Value of equals must be numeric'],
    [{ key: [{ numeric: ['>='] }] }, 'Value of >= must be numeric'],
    [{ key: [{ numeric: ['<', 100, '>', 10] }] }, 'Too many elements in numeric expression'],
    [{ key: [{ numeric: ['>=', 1, '>', 2] }] }, 'Bad numeric range operator: >'],
    [{ key: [{ numeric: ['>', 3, '<', 1] }] }, 'Bottom must be less than top'],
    [{ key: [{ numeric: ['>', 20, '<='] }] }, 'Value of <= must be numeric'],
    [{ key: [{ numeric: ['>', 20, 30] }] }, 'Bad value in numeric range: 30'],
    [{ key: [{ numeric: ['>', 20, 'test'] }] }, 'Bad numeric range operator: test'],
    [{ key: [{ numeric: ['>', '20', '<', '30'] }] }, 'Value of > must be numeric'],
    [{ key: [{ numeric: ['>', 20, '<', '30'] }] }, 'Value of < must be numeric'],
    [{ key: [{ numeric: ['>', 20, '<', 30, '<', 50] }] }, 'Too many terms in numeric range expression'],
    [{ key: [{ exists: null }] }, 'exists match pattern must be either true or false.'],
    [{ key: [{ exists: 'no' }] }, 'exists match pattern must be either true or false.'],
    [{ a: [1], b: [1], c: [1], d: [1], e: [1], f: [1] }, 'Filter policy can not have more than 5 keys'],
    [
      { a: Array.from({ length: 10 }, (_, i) => i), b: Array.from({ length: 16 }, (_, i) => i) },
      'Filter policy is too complex',
    ],
    [
      { object: { key: [{ prefix: 'auto-' }] } },
      'Filter policy scope MessageAttributes does not support nested filter policy',
    ],
  ])('%j: %s', (policy, expected) => {
    expect(reason(policy)).toBe(expected);
  });

  test('nested keys are fine in body scope; `$or` counts its branches', () => {
    expect(reason({ object: { key: [{ prefix: 'auto-' }] } }, 'MessageBody')).toBe('valid');
    expect(reason({ $or: [{ a: ['x'] }, { b: [{ numeric: ['>', 1] }] }] })).toBe('valid');
    expect(reason({ $or: [{ a: ['x'] }] })).toBe('"$or" must be an array of at least two objects');
  });
});

const attributes = (values: Record<string, string | number | string[]>) => ({
  body: '',
  attributes: Object.fromEntries(
    Object.entries(values).map(([name, value]) => [
      name,
      typeof value === 'number'
        ? { dataType: 'Number', stringValue: String(value) }
        : Array.isArray(value)
          ? { dataType: 'String.Array', stringValue: JSON.stringify(value) }
          : { dataType: 'String', stringValue: value },
    ]),
  ),
});

describe('matching message attributes', () => {
  const cases: [Record<string, unknown>, Record<string, string | number | string[]>, boolean][] = [
    [{ store: ['example_corp'] }, { store: 'example_corp' }, true],
    [{ store: ['example_corp'] }, { store: 'other' }, false],
    [{ store: ['example_corp'] }, {}, false],
    [{ price: [100] }, { price: 100 }, true],
    [{ price: [100] }, { price: '100' }, false],
    [{ price: [{ numeric: ['>', 0, '<=', 100] }] }, { price: 99 }, true],
    [{ price: [{ numeric: ['>', 0, '<=', 100] }] }, { price: 101 }, false],
    [{ price: [{ numeric: ['=', 3.5] }] }, { price: 3.5 }, true],
    [{ kind: [{ prefix: 'eu-' }] }, { kind: 'eu-west-1' }, true],
    [{ kind: [{ suffix: '.png' }] }, { kind: 'a.jpg' }, false],
    [{ kind: [{ 'equals-ignore-case': 'RED' }] }, { kind: 'Red' }, true],
    [{ kind: [{ 'anything-but': ['a', 'b'] }] }, { kind: 'c' }, true],
    [{ kind: [{ 'anything-but': ['a', 'b'] }] }, { kind: 'a' }, false],
    [{ kind: [{ 'anything-but': 'a' }] }, {}, false],
    [{ kind: [{ 'anything-but': { prefix: 'test-' } }] }, { kind: 'test-1' }, false],
    [{ kind: [{ 'anything-but': { prefix: 'test-' } }] }, { kind: 'prod-1' }, true],
    [{ n: [{ 'anything-but': { numeric: ['>', 10] } }] }, { n: 5 }, true],
    [{ n: [{ 'anything-but': [1, 2] }] }, { n: 2 }, false],
    [{ kind: [{ exists: true }] }, { kind: 'x' }, true],
    [{ kind: [{ exists: false }] }, { kind: 'x' }, false],
    [{ kind: [{ exists: false }] }, {}, true],
    [{ sports: ['rugby'] }, { sports: ['soccer', 'rugby'] }, true],
    [{ sports: ['golf'] }, { sports: ['soccer', 'rugby'] }, false],
    [{ attr1: [null, { 'anything-but': 'whatever' }] }, {}, true],
    [{ a: ['x'], b: ['y'] }, { a: 'x', b: 'z' }, false],
    [{ $or: [{ a: ['x'] }, { b: ['y'] }] }, { b: 'y' }, true],
    [{ c: ['1'], $or: [{ a: ['x'] }, { b: ['y'] }] }, { b: 'y' }, false],
    [{ ip: [{ cidr: '10.0.0.0/24' }] }, { ip: '10.0.0.42' }, true],
    [{ ip: [{ cidr: '10.0.0.0/24' }] }, { ip: '10.0.1.42' }, false],
  ];
  test.each(cases)('%j with %j -> %s', (policy, values, expected) => {
    expect(matchesMessage(policy, 'MessageAttributes', attributes(values))).toBe(expected);
  });
});

describe('matching message bodies', () => {
  const body = (value: unknown) => ({ body: JSON.stringify(value), attributes: {} });
  const cases: [Record<string, unknown>, unknown, boolean][] = [
    [{ order: { total: [{ numeric: ['>=', 100] }] } }, { order: { total: 250 } }, true],
    [{ order: { total: [{ numeric: ['>=', 100] }] } }, { order: { total: 5 } }, false],
    [
      { order: { items: { sku: [{ prefix: 'A' }] } } },
      { order: { items: [{ sku: 'B1' }, { sku: 'A7' }] } },
      true,
    ],
    [{ tags: ['x'] }, { tags: ['y', 'x'] }, true],
    [{ flag: [true] }, { flag: true }, true],
    [{ flag: [true] }, { flag: 'true' }, false],
    [{ missing: [null] }, { missing: null }, true],
    [{ missing: [null] }, {}, false],
    [{ a: [{ exists: false }] }, { b: 1 }, true],
  ];
  test.each(cases)('%j with %j -> %s', (policy, value, expected) => {
    expect(matchesMessage(policy, 'MessageBody', body(value))).toBe(expected);
  });

  test('a body that is not a JSON object matches no body policy', () => {
    expect(matchesMessage({ a: ['x'] }, 'MessageBody', { body: 'plain text', attributes: {} })).toBe(false);
    expect(matchesMessage({}, 'MessageBody', { body: 'plain text', attributes: {} })).toBe(true);
  });
});
