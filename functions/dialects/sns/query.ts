import { describeGiven } from '../../queue/errors';
import { invalidParameter } from '../../topics/errors';
import { bodyText, formPairs, type HttpEvent } from '../http';

/**
 * SNS Query requests: form-encoded parameters (`Attributes.entry.1.key=DisplayName`,
 * `Tags.member.2.Value=x`, `MessageAttributes.entry.1.Value.DataType=String`, ...) unflattened
 * into a tree, with readers for the shapes SNS's Query serialization uses (lists of `member`,
 * maps of `entry` with key/value or Name/Value).
 */
export type QueryTree = { [key: string]: QueryTree | string };

const segmentPattern = /^[A-Za-z0-9_-]{1,256}$/;
const forbiddenSegments = new Set(['__proto__', 'prototype', 'constructor']);
const node = (): QueryTree => Object.create(null) as QueryTree;

export function queryParameters(event: HttpEvent): QueryTree {
  const pairs = formPairs(event.rawQueryString ?? '');
  if (event.requestContext.http.method === 'POST') pairs.push(...formPairs(bodyText(event)));
  const root = node();
  for (const [key, value] of pairs) {
    const segments = key.split('.');
    // Names are caller input: only plain segments, so nothing walks into Object.prototype.
    if (segments.some((s) => !segmentPattern.test(s) || forbiddenSegments.has(s))) continue;
    let current = root;
    segments.forEach((segment, index) => {
      if (index === segments.length - 1) {
        if (typeof current[segment] !== 'object') current[segment] = value;
        return;
      }
      if (typeof current[segment] !== 'object') current[segment] = node();
      current = current[segment] as QueryTree;
    });
  }
  return root;
}

/** Cheap and never throws: is this form request meant for SNS? */
export function queryVersionAndAction(event: HttpEvent): { version?: string; action?: string } {
  try {
    const pairs = formPairs(event.rawQueryString ?? '');
    if (event.requestContext.http.method === 'POST') pairs.push(...formPairs(bodyText(event)));
    const version = pairs.find(([name]) => name === 'Version')?.[1];
    const action = pairs.find(([name]) => name === 'Action')?.[1];
    return { ...(version ? { version } : {}), ...(action ? { action } : {}) };
  } catch {
    return {};
  }
}

export function optionalString(tree: QueryTree, name: string): string | undefined {
  const value = tree[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw invalidParameter(`Invalid parameter: ${name}`, name);
  return value;
}

export function requiredString(tree: QueryTree, name: string): string {
  const value = optionalString(tree, name);
  if (value === undefined || value === '') {
    throw invalidParameter(`Invalid parameter: ${name}`, name);
  }
  return value;
}

/** `<name>.member.N` (or `<name>.member.N.<field>`), in index order. */
export function members(tree: QueryTree, name: string): (QueryTree | string)[] {
  const list = tree[name];
  if (list === undefined) return [];
  if (typeof list === 'string') return [];
  const member = list.member;
  if (member === undefined || typeof member === 'string') return [];
  return Object.keys(member)
    .filter((k) => /^\d+$/.test(k))
    .sort((a, b) => Number(a) - Number(b))
    .map((k) => member[k]!);
}

export function stringMembers(tree: QueryTree, name: string): string[] {
  return members(tree, name).filter((m): m is string => typeof m === 'string');
}

/** `<name>.entry.N.key` / `.value` as a map (Attributes), in index order. */
export function entryMap(
  tree: QueryTree,
  name: string,
  keyName = 'key',
  valueName = 'value',
): Record<string, string> {
  const map = tree[name];
  const out: Record<string, string> = {};
  if (map === undefined || typeof map === 'string' || typeof map.entry !== 'object') return out;
  const entries = map.entry as QueryTree;
  for (const index of Object.keys(entries).sort((a, b) => Number(a) - Number(b))) {
    const entry = entries[index];
    if (typeof entry !== 'object') continue;
    const key = entry[keyName];
    const value = entry[valueName];
    if (typeof key !== 'string') continue;
    out[key] = typeof value === 'string' ? value : '';
  }
  return out;
}

/** Tags.member.N.Key / .Value. */
export function tagList(tree: QueryTree, name = 'Tags'): Record<string, string> {
  const out: Record<string, string> = {};
  for (const member of members(tree, name)) {
    if (typeof member !== 'object') continue;
    const key = member.Key;
    if (typeof key !== 'string')
      throw invalidParameter(`Invalid parameter: Tags Reason: tag key is missing`, 'Tags');
    out[key] = typeof member.Value === 'string' ? member.Value : '';
  }
  return out;
}

/** MessageAttributes.entry.N.Name / .Value.DataType / .Value.StringValue / .Value.BinaryValue. */
export function messageAttributes(tree: QueryTree) {
  const map = tree.MessageAttributes;
  const out: Record<string, { dataType: string; stringValue?: string; binaryValue?: string }> = {};
  if (map === undefined || typeof map === 'string' || typeof map.entry !== 'object') return out;
  for (const entry of Object.values(map.entry as QueryTree)) {
    if (typeof entry !== 'object') continue;
    const name = entry.Name;
    const value = entry.Value;
    if (typeof name !== 'string' || typeof value !== 'object') {
      throw invalidParameter(
        `Invalid parameter: MessageAttributes Reason: ${describeGiven(name)} has no value`,
        'MessageAttributes',
      );
    }
    out[name] = {
      dataType: typeof value.DataType === 'string' ? value.DataType : '',
      ...(typeof value.StringValue === 'string' ? { stringValue: value.StringValue } : {}),
      ...(typeof value.BinaryValue === 'string' ? { binaryValue: value.BinaryValue } : {}),
    };
  }
  return out;
}
