import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { synthQueueStack } from '../infra/synth';

/**
 * The stack outputs the READMEs name (after "prints", as `<X output>`, as OutputKey=='X' or "the X
 * output") are outputs the synthesized stack really has, so a user copying them finds them.
 */
const repoRoot = join(import.meta.dirname, '..', '..');
const docs = ['README.md', 'infra/aws/README-deploy.md'];

function outputNamesIn(text: string): string[] {
  const names: string[] = [];
  for (const match of text.matchAll(/npm run deploy[^\n]*# prints ([A-Z]\w*(?:, [A-Z]\w*)*)/g)) {
    names.push(...match[1]!.split(', '));
  }
  for (const pattern of [/<(\w+) output>/g, /OutputKey=='(\w+)'/g, /the `?([A-Z]\w+)`? output\b/g]) {
    for (const match of text.matchAll(pattern)) names.push(match[1]!);
  }
  return names;
}

test('every stack output the READMEs name exists', { timeout: 120_000 }, () => {
  const outputs = Object.keys(synthQueueStack().template.findOutputs('*'));
  for (const doc of docs) {
    const named = outputNamesIn(readFileSync(join(repoRoot, doc), 'utf8'));
    expect(named.length, `${doc} names no outputs: has the wording changed?`).toBeGreaterThan(0);
    expect(
      named.filter((name) => !outputs.includes(name)),
      `${doc} names outputs the stack does not have (it has ${outputs.join(', ')})`,
    ).toEqual([]);
  }
});
