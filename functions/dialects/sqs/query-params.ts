import type { ActionInput } from './params';

/**
 * Query protocol parameters (`AttributeName.1=All`, `Attribute.1.Name=VisibilityTimeout`,
 * `SendMessageBatchRequestEntry.2.MessageAttribute.1.Value.DataType=String`, ...) decoded into
 * the shape the JSON protocol sends, so every action reads one shape. The names come from the
 * SQS API's Query serialization: flattened lists take a singular member name, maps are lists of
 * Name/Value (or Key/Value) pairs.
 */
const lists: Record<string, string> = {
  AttributeName: 'AttributeNames',
  MessageAttributeName: 'MessageAttributeNames',
  MessageSystemAttributeName: 'MessageSystemAttributeNames',
  TagKey: 'TagKeys',
  AWSAccountId: 'AWSAccountIds',
  ActionName: 'Actions',
  SendMessageBatchRequestEntry: 'Entries',
  DeleteMessageBatchRequestEntry: 'Entries',
  ChangeMessageVisibilityBatchRequestEntry: 'Entries',
};

const maps: Record<string, { to: string; key: string }> = {
  Attribute: { to: 'Attributes', key: 'Name' },
  MessageAttribute: { to: 'MessageAttributes', key: 'Name' },
  MessageSystemAttribute: { to: 'MessageSystemAttributes', key: 'Name' },
  Tag: { to: 'Tags', key: 'Key' },
};

/** The lists' own names: a client encodes an empty list as `<ListName>=` (e.g. `Entries=`). */
const listNames = new Set(Object.values(lists));

type Tree = { [key: string]: Tree | string };

/**
 * Parameter names are caller input: every segment must be a plain name (so `__proto__.x` or
 * `constructor.prototype.x` cannot walk into Object.prototype), and the tree is built from
 * prototype-less objects. A name that is not one is ignored, as SQS ignores unknown parameters.
 */
const segmentPattern = /^[A-Za-z0-9_-]{1,256}$/;
const forbiddenSegments = new Set(['__proto__', 'prototype', 'constructor']);
const node = (): Tree => Object.create(null) as Tree;

export function decodeQueryParameters(pairs: Iterable<[string, string]>): ActionInput {
  return shape(unflatten(pairs));
}

/** `a.1.b=x` becomes {a: {1: {b: 'x'}}}; a bare `AttributeName=All` counts as member 0. */
function unflatten(pairs: Iterable<[string, string]>): Tree {
  const root = node();
  for (const [key, value] of pairs) {
    const segments = key.split('.');
    if (segments.some((segment) => !segmentPattern.test(segment) || forbiddenSegments.has(segment))) continue;
    let current = root;
    segments.forEach((segment, index) => {
      const last = index === segments.length - 1;
      const existing = current[segment];
      if (last) {
        if (typeof existing === 'object') existing['0'] = value;
        else current[segment] = value;
        return;
      }
      if (typeof existing === 'string') {
        const member = node();
        member['0'] = existing;
        current[segment] = member;
      } else if (existing === undefined) current[segment] = node();
      current = current[segment] as Tree;
    });
  }
  return root;
}

function shape(tree: Tree): ActionInput {
  const out: ActionInput = Object.create(null) as ActionInput;
  for (const [key, value] of Object.entries(tree)) {
    const list = Object.hasOwn(lists, key) ? lists[key] : undefined;
    const map = Object.hasOwn(maps, key) ? maps[key] : undefined;
    if (list) {
      out[list] = members(value).map((member) => (typeof member === 'string' ? member : shape(member)));
    } else if (map) {
      const entries: [string, unknown][] = [];
      for (const member of members(value)) {
        if (typeof member === 'string') continue;
        const name = member[map.key];
        const item = member.Value;
        if (typeof name !== 'string' || item === undefined) continue;
        entries.push([name, typeof item === 'string' ? item : shape(item)]);
      }
      out[map.to] = Object.assign(Object.create(null) as object, Object.fromEntries(entries));
    } else if (listNames.has(key) && value === '') {
      out[key] = [];
    } else {
      out[key] = typeof value === 'string' ? value : shape(value);
    }
  }
  return out;
}

/** The numbered members of a flattened list, in index order. */
function members(value: Tree | string): (Tree | string)[] {
  if (typeof value === 'string') return [value];
  return Object.keys(value)
    .filter((key) => /^\d+$/.test(key))
    .sort((a, b) => Number(a) - Number(b))
    .map((key) => value[key]!);
}
