import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect, test } from 'vitest';
import { cleanEnv, repoRoot } from './run-cli';

/**
 * Installing the package does not download DynamoDB Local, which only the project checkout's tests
 * and `npm start` use. What `npm pack` ships (the dq bin and tool, the construct library, the client)
 * is checked by test/package/cdk-app.test.ts, which packs once and installs the tarball into an app:
 * one build, so no two builds of dist/ race.
 */
const run = promisify(execFile);

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
