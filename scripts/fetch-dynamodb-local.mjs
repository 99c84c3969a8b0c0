#!/usr/bin/env node
// Makes the real DynamoDB Local (Java) available at <repo>/.dynamodb-local/.
//
// The jar ships inside the npm package amplify-dynamodb-simulator, whose own dependencies are heavy,
// so we download only its tarball (through npm itself, so registry config, cache and integrity checks
// apply) and extract just the emulator folder. Runs as the package's postinstall.
//
// Skipped outside the project checkout (the installed CLI package).
// Env: DYNAMODB_LOCAL_SKIP_FETCH=1 skips; DYNAMODB_LOCAL_DIR overrides the target folder.
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE = 'amplify-dynamodb-simulator';
const VERSION = '2.9.30';
const MARKER = '.version';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const target = resolve(process.env.DYNAMODB_LOCAL_DIR ?? join(repoRoot, '.dynamodb-local'));
const wanted = `${PACKAGE}@${VERSION}`;
const log = (msg) => console.log(`[fetch-dynamodb-local] ${msg}`);

function installedVersion() {
  if (!existsSync(join(target, 'DynamoDBLocal.jar'))) return undefined;
  try {
    return readFileSync(join(target, MARKER), 'utf8').trim();
  } catch {
    return undefined;
  }
}

// An interrupted run leaves its temp dir behind; remove those old enough not to belong to a live run.
function removeStaleTempDirs() {
  const prefix = `${basename(target)}.tmp-`;
  for (const name of readdirSync(dirname(target))) {
    const path = join(dirname(target), name);
    if (name.startsWith(prefix) && Date.now() - statSync(path).mtimeMs > 10 * 60_000) {
      rmSync(path, { recursive: true, force: true });
    }
  }
}

// Runs npm: under `npm install` npm_execpath points at npm's own CLI script, which avoids PATH lookups
// (and npm.cmd on Windows); standalone we fall back to `npm` on PATH.
function npm(args, cwd) {
  const cli = process.env.npm_execpath;
  const [cmd, argv] = cli && /npm-cli\.js$/.test(cli) ? [process.execPath, [cli, ...args]] : ['npm', args];
  return execFileSync(cmd, argv, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function main() {
  if (process.env.DYNAMODB_LOCAL_SKIP_FETCH === '1') {
    log('skipped (DYNAMODB_LOCAL_SKIP_FETCH=1)');
    return;
  }
  // The packed command-line tool ships this script as its postinstall too; a CLI user talks to a
  // service over HTTP and has no use for the emulator, which only the project checkout's tests and
  // `npm start` run.
  if (!existsSync(join(repoRoot, 'infra', 'local'))) {
    log(
      `skipped: ${repoRoot} is not the project checkout (no infra/local/), nothing here runs DynamoDB Local`,
    );
    return;
  }
  if (installedVersion() === wanted) {
    log(`already present: ${wanted} in ${target}`);
    return;
  }

  // Temp dir beside the target so the final rename stays on one filesystem (rename is atomic there).
  mkdirSync(dirname(target), { recursive: true });
  removeStaleTempDirs();
  const work = mkdtempSync(`${target}.tmp-`);
  try {
    const packed = JSON.parse(npm(['pack', wanted, '--json', '--pack-destination', work], repoRoot));
    const tarball = join(work, packed[0].filename);

    const staging = join(work, 'out');
    mkdirSync(staging);
    // npm tarballs put everything under package/; keep only package/emulator/*.
    execFileSync('tar', ['-xzf', tarball, '-C', staging, '--strip-components=2', 'package/emulator'], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    if (!existsSync(join(staging, 'DynamoDBLocal.jar')) || !existsSync(join(staging, 'DynamoDBLocal_lib'))) {
      throw new Error(`${wanted} tarball has no emulator/DynamoDBLocal.jar and DynamoDBLocal_lib/`);
    }
    writeFileSync(join(staging, MARKER), `${wanted}\n`);

    // Swap in: move any old copy aside first, then rename the complete staging folder into place.
    if (existsSync(target)) renameSync(target, join(work, 'old'));
    try {
      renameSync(staging, target);
    } catch (err) {
      // A concurrent install may have won the race; its copy is as good as ours.
      if (installedVersion() !== wanted) throw err;
    }
    log(`installed ${wanted} into ${target}`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

try {
  main();
} catch (err) {
  // execFileSync's message already embeds the child's stderr: keep its first line, then npm's own errors.
  const message = String(err?.message ?? err).split('\n')[0];
  const stderr = String(err?.stderr ?? '')
    .split('\n')
    .filter((line) => line.trim() && !line.startsWith('npm warn'))
    .join('\n');
  const detail = stderr ? `${message}\n${stderr}` : message;
  console.error(
    `[fetch-dynamodb-local] FAILED to fetch ${wanted} into ${target}: ${detail}\n` +
      'Retry with `node scripts/fetch-dynamodb-local.mjs`, or set DYNAMODB_LOCAL_SKIP_FETCH=1 ' +
      'and point DYNAMODB_ENDPOINT at an existing DynamoDB.',
  );
  process.exit(1);
}
