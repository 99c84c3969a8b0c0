// Bundles every function for real (esbuild through NodejsFunction, as `cdk synth` does) and holds
// each to the size budget: cold starts grow with bundle size (see shared FACTS.md).
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { type BundleSize, formatBundleSizes } from '../../infra/aws/bundle-sizes';
import { bundleBudgetBytes, repositoryRoot } from '../../infra/aws/bundling';

describe('function bundles', () => {
  let sizes: BundleSize[] = [];

  beforeAll(async () => {
    // In a child process: bundling blocks for a minute, and a blocked test worker stops answering vitest.
    const file = join(mkdtempSync(join(tmpdir(), 'queue-bundle-sizes-')), 'sizes.json');
    await promisify(execFile)('npx', ['tsx', 'scripts/bundle-sizes.ts', '--json', file], {
      cwd: repositoryRoot,
      timeout: 280_000,
      maxBuffer: 16 * 1024 * 1024,
    }).catch((error: { code?: number; stderr?: string }) => {
      // Exit code 1 only says a budget was missed: the tests below say which.
      if (error.code !== 1) throw new Error(`bundling failed (${error.code}): ${error.stderr}`);
    });
    sizes = JSON.parse(readFileSync(file, 'utf8')) as BundleSize[];
    console.log(`Bundle sizes:\n${formatBundleSizes(sizes)}`);
  }, 300_000);

  it('bundles every deployed function', () => {
    expect(sizes.length).toBeGreaterThan(0);
    for (const size of sizes) expect(size.bytes, size.name).toBeGreaterThan(1_000);
  });

  it(`keeps each minified bundle within ${bundleBudgetBytes / 1024} KB`, () => {
    const over = sizes
      .filter((size) => size.overBudget)
      .map((size) => `${size.name}: ${(size.bytes / 1024).toFixed(1)} KB`);
    expect(over, `over the ${bundleBudgetBytes / 1024} KB budget`).toEqual([]);
  });

  it('matches the sizes infra/aws/README-deploy.md states, within 5%', () => {
    // Rows such as `| queues, send, receive, delete | 196.2 KB | 300.5 KB |` under "Bundle sizes".
    const doc = readFileSync(join(repositoryRoot, 'infra/aws/README-deploy.md'), 'utf8');
    const section = doc.slice(doc.indexOf('## Bundle sizes'));
    const stale: string[] = [];
    let rows = 0;
    for (const [, names, kb] of section.matchAll(/^\| ([a-z, ]+?) +\| ([\d.]+) KB +\|/gm)) {
      for (const name of names!.split(', ')) {
        rows++;
        const measured = sizes.find((size) => size.name === name);
        const documented = Number(kb) * 1024;
        if (!measured || Math.abs(measured.bytes - documented) > documented * 0.05) {
          stale.push(
            `${name}: documented ${kb} KB, measured ${measured ? (measured.bytes / 1024).toFixed(1) : '-'} KB`,
          );
        }
      }
    }
    expect(rows).toBe(sizes.length);
    expect(stale, 'update the table in infra/aws/README-deploy.md (npx tsx scripts/bundle-sizes.ts)').toEqual(
      [],
    );
  });

  it('imports statically only what is bundled, built into Node, or provided by the Lambda runtime (AWS SDK v3)', () => {
    for (const size of sizes) expect(size.unresolvedImports, size.name).toEqual([]);
  });
});
