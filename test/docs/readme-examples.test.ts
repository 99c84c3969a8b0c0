/**
 * Every code block of README.md and README-fifo.md is run, in document order, against a local service
 * this test starts (the deployed handlers on DynamoDB Local, sweeper and redrive on timers, as with
 * `npm start`). A doc example that breaks fails here.
 *
 * The convention for writing a README example:
 * - ```sh blocks run in bash with `set -euo pipefail`, from the repository root: any command that exits
 *   non-zero fails the example. `curl` is run with `--fail-with-body`, so an HTTP error status fails it.
 *   Variables set by a block carry over to the same file's later blocks, as in a terminal.
 * - ```ts / ```js blocks are written to an ES module (.mts/.mjs: top-level await works) and run with
 *   `node --import tsx`; imports of `dynamo-queue` and `dynamo-queue/client` run against this checkout's
 *   sources (example-script.ts); they must exit 0 within
 *   30 s, unless an example-check follows them (below): then they run until the check passes and are
 *   stopped (a consumer, a server).
 * - ```json blocks must parse. Blocks with no language (or `text`) are not code: trees, diagrams.
 * - `http://127.0.0.1:9324` (or `localhost:9324`) stands for the test's service: it is replaced, and
 *   `DQ_ENDPOINT` is set to it, so `dq` finds it as it finds `npm start`'s service.
 * - `<name>` in a shell block (a receipt handle, a task id) is filled in when the line runs: the shell
 *   variable `name` if set, else the latest `"name":"value"` printed by an earlier command of the file.
 *   Inside single quotes it stays as it is: write `"...<name>..."` there.
 * - A command that runs until interrupted (`dq tail`) says so in its comment, `# ... until Ctrl-C`: it
 *   runs for 3 seconds, then is interrupted; only a failure before that fails the example.
 * - HTML comments right before a block (blank lines allowed, no prose in between), invisible on GitHub:
 *     <!-- not-run: <reason> -->        the block is not run (needs AWS, runs the whole suite...): every
 *                                       such block is listed as skipped with its reason; keep them few.
 *     <!-- example-setup: <shell> -->   hidden shell run first (create what the block assumes, set a
 *                                       variable such as a key id, point a command at a scratch table).
 *   and right after a block:
 *     <!-- example-check: <shell> -->   hidden shell that must pass within 20 s after the block ran (for
 *                                       a ts/js block, while it runs), e.g.
 *                                       `[ "$(curl -s $B/queues/jobs | json_get messages.inFlight)" = 0 ]`
 *   Helpers: `json_get a.b` (a field of the JSON on stdin), `example_value name`; the test also exports
 *   `EXAMPLE_DYNAMODB` (its DynamoDB endpoint) and `EXAMPLE_SCRATCH_TABLE` (an empty messages table that
 *   is not the service's, for commands such as `npm run keys` that would otherwise turn on
 *   authentication for every later example).
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { createDynamoClient } from '../../functions/store/client';
import { tableNames } from '../../functions/store/table-layout';
import { ensureTables } from '../../infra/local/tables';
import { useLocalService } from '../support/local-service';
import { exampleScript } from './example-script';
import { type Example, extractExamples } from './markdown-examples';

const repoRoot = join(import.meta.dirname, '..', '..');
const files = ['README.md', 'README-fifo.md'];
const examplesOf = (file: string) => extractExamples(readFileSync(join(repoRoot, file), 'utf8'), file);

const local = useLocalService({ schedules: { everySeconds: { sweeper: 1 } } });
const workDir = mkdtempSync(join(tmpdir(), 'readme-examples-'));
// Generated ts/js sources live under node_modules/.cache so their imports resolve like the repo's.
const sourceDir = join(repoRoot, 'node_modules', '.cache', 'readme-examples', workDir.split('-').pop()!);
const scratchTable = `readme-scratch-${Date.now().toString(36)}`;

beforeAll(async () => {
  mkdirSync(sourceDir, { recursive: true });
  const client = createDynamoClient({ ...process.env, DYNAMODB_ENDPOINT: inject('dynamodbEndpoint') });
  await ensureTables(client, { ...tableNames(`${scratchTable}-`), messages: scratchTable });
  client.destroy();
});
afterAll(() => {
  rmSync(workDir, { recursive: true, force: true });
  rmSync(sourceDir, { recursive: true, force: true });
});

function environment(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DQ_ENDPOINT: local.url(),
    EXAMPLE_DYNAMODB: inject('dynamodbEndpoint'),
    EXAMPLE_SCRATCH_TABLE: scratchTable,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
  // The reader's terminal has none of the test run's own settings or credentials.
  for (const name of [
    'DYNAMODB_ENDPOINT',
    'MESSAGES_TABLE',
    'AWS_ACCESS_KEY_ID',
    'AWS_SECRET_ACCESS_KEY',
    'AWS_SESSION_TOKEN',
    'AWS_PROFILE',
    'NODE_OPTIONS',
    'VITEST',
  ]) {
    delete env[name];
  }
  return env;
}

function run(example: Example): Promise<void> {
  const dir = join(workDir, example.file);
  mkdirSync(dir, { recursive: true });
  const { script, files: generated } = exampleScript(example, {
    dir,
    serviceUrl: local.url(),
    sourceFile: join(
      sourceDir,
      `${example.file.replace(/\W/g, '-')}-${example.line}.${example.language === 'ts' ? 'mts' : 'mjs'}`,
    ),
    checkSeconds: 20,
    // A bound for a hung example, not a speed check: the CDK example bundles nine functions with
    // esbuild and took over 30 s on 2 busy cores.
    nodeSeconds: 90,
  });
  for (const [path, content] of Object.entries(generated)) writeFileSync(path, content);
  // Its own process group, so whatever the block leaves running is stopped with it.
  const child = spawn('bash', ['-c', script], { cwd: repoRoot, env: environment(), detached: true });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const stopGroup = () => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  const timer = setTimeout(stopGroup, 100_000);
  return new Promise((resolve, reject) => {
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      stopGroup();
      if (code === 0) return resolve();
      reject(
        new Error(`the example at ${example.file}:${example.line} failed (exit ${code ?? signal})
--- block ---
${example.code}
--- stdout ---
${stdout.slice(-4000)}
--- stderr ---
${stderr.slice(-4000)}`),
      );
    });
  });
}

for (const file of files) {
  describe(file, () => {
    for (const example of examplesOf(file)) {
      const name = `${file}:${example.line} ${example.language || 'text'}`;
      if (example.kind === 'text') continue;
      if (example.notRun) {
        test.skip(`${name} (not run: ${example.notRun})`, () => {});
        continue;
      }
      test(name, { timeout: 120_000 }, async () => {
        expect(example.kind, `${name}: no runner for ${example.language}; mark it not-run`).toBeDefined();
        if (example.kind === 'json') {
          expect(() => JSON.parse(example.code)).not.toThrow();
          return;
        }
        await run(example);
      });
    }
  });
}

test('the convention holds: every block has a known language, and not-run blocks say why', () => {
  const all = files.flatMap(examplesOf);
  const notRun = all.filter((example) => example.notRun);
  // Listed on every run, so the blocks that are not checked stay visible.
  console.log(
    `README examples: ${all.filter((e) => e.kind && e.kind !== 'text').length} code blocks, ` +
      `${notRun.length} not run:\n${notRun.map((e) => `  ${e.file}:${e.line} ${e.notRun}`).join('\n')}`,
  );
  expect(all.filter((example) => !example.kind).map((e) => `${e.file}:${e.line} ${e.language}`)).toEqual([]);
  expect(all.filter((e) => e.kind === 'shell' || e.kind === 'node').length).toBeGreaterThan(notRun.length);
});
