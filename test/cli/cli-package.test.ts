import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect, test } from 'vitest';
import { cleanEnv, repoRoot } from './run-cli';

/**
 * The package `npm pack` makes (the command-line tool, the construct library and the REST client):
 * what it contains, and that installing it does not download DynamoDB Local, which only the project
 * checkout's tests and `npm start` use. test/package/cdk-app.test.ts installs it into an app.
 */
const run = promisify(execFile);

test('npm pack ships the bin, the built tool, library and client, the postinstall script and nothing else', {
  timeout: 300_000,
}, async () => {
  const { stdout } = await run('npm', ['pack', '--dry-run', '--json'], {
    cwd: repoRoot,
    env: cleanEnv(),
    maxBuffer: 1 << 24,
  });
  // prepack's build prints lines before npm's JSON.
  const [packed] = JSON.parse(stdout.slice(stdout.indexOf('[')));
  const files: string[] = packed.files.map((file: { path: string }) => file.path).sort();
  expect(files.filter((file) => !file.startsWith('dist/'))).toEqual([
    'README.md',
    'bin/dynamo-queue.mjs',
    'package.json',
    'scripts/fetch-dynamodb-local.mjs',
  ]);
  expect(files).toEqual(
    expect.arrayContaining([
      'dist/cli/dq.mjs',
      'dist/lib/index.js',
      'dist/lib/client.js',
      'dist/types/infra/aws/index.d.ts',
      'dist/types/client/index.d.ts',
      'dist/handlers/queues.js',
      'dist/console-assets.json',
    ]),
  );
  // Built output only: no TypeScript sources, tests or source maps.
  expect(files.filter((file) => /\.ts$/.test(file) && !file.endsWith('.d.ts'))).toEqual([]);
  expect(files.filter((file) => /test|\.map$/.test(file))).toEqual([]);
});

test('the postinstall skips the download outside the project checkout, with one line saying why', async () => {
  const installed = mkdtempSync(join(tmpdir(), 'dq-installed-'));
  try {
    // The layout of the installed package: scripts/ without infra/ beside it.
    mkdirSync(join(installed, 'scripts'));
    copyFileSync(
      join(repoRoot, 'scripts', 'fetch-dynamodb-local.mjs'),
      join(installed, 'scripts', 'fetch-dynamodb-local.mjs'),
    );
    const { stdout } = await run(process.execPath, ['scripts/fetch-dynamodb-local.mjs'], {
      cwd: installed,
      // Offline, so a regression fails fast here instead of downloading the emulator.
      env: cleanEnv({ npm_config_offline: 'true' }),
    });
    expect(stdout.trim().split('\n')).toHaveLength(1);
    expect(stdout).toContain('skipped');
    expect(stdout).toContain('not the project checkout');
    expect(existsSync(join(installed, '.dynamodb-local'))).toBe(false);
  } finally {
    rmSync(installed, { recursive: true, force: true });
  }
});
