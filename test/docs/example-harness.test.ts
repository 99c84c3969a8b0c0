import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { exampleScript } from './example-script';
import { extractExamples } from './markdown-examples';

/**
 * The README-examples runner itself: it must fail an example that breaks (a failing command, an
 * HTTP error, a failing check), fill placeholders, and read the markers as documented.
 */
const repoRoot = join(import.meta.dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'example-harness-'));
let server: Server;
let url = '';

beforeAll(async () => {
  // Answers 404 to /missing, and {"token":"t-42"} elsewhere.
  server = createServer((request, response) => {
    response.statusCode = request.url === '/missing' ? 404 : 200;
    response.end(
      request.url === '/missing' ? '{"code":"NotFound"}' : `{"token":"t-42","path":"${request.url}"}`,
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(() => {
  server.close();
  rmSync(dir, { recursive: true, force: true });
});

type Result = { status: number | null; stdout: string; stderr: string };

/** Runs each block as the README test does (asynchronously: the HTTP server above shares this process). */
async function runMarkdown(markdown: string): Promise<Result[]> {
  const stateDir = mkdtempSync(join(dir, 'file-'));
  const results: Result[] = [];
  for (const [index, example] of extractExamples(markdown, 'TEST.md').entries()) {
    const { script, files } = exampleScript(example, {
      dir: stateDir,
      serviceUrl: url,
      sourceFile: join(stateDir, `block-${index}.mjs`),
      checkSeconds: 2,
      nodeSeconds: 10,
    });
    for (const [path, content] of Object.entries(files)) writeFileSync(path, content);
    const child = spawn('bash', ['-c', script], { cwd: repoRoot });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
    results.push({ status, stdout, stderr });
  }
  return results;
}

const fence = '```';

describe('an example that breaks fails', () => {
  test('a command that exits non-zero, even before a later one that succeeds', async () => {
    const [result] = await runMarkdown(`${fence}sh\nfalse\necho after\n${fence}\n`);
    expect(result!.status).not.toBe(0);
    expect(result!.stdout).not.toContain('after');
  });

  test('curl answered with an HTTP error status', async () => {
    const [ok, refused] = await runMarkdown(
      `${fence}sh\ncurl -s http://127.0.0.1:9324/fine\n${fence}\n\n${fence}sh\ncurl -s http://127.0.0.1:9324/missing\n${fence}\n`,
    );
    expect(ok!.status, ok!.stderr).toBe(0);
    expect(refused!.status).not.toBe(0);
  });

  test('an example-check that does not pass in time', async () => {
    const [result] = await runMarkdown(`${fence}sh\nX=1\n${fence}\n<!-- example-check: [ "$X" = 2 ] -->\n`);
    expect(result!.status).not.toBe(0);
    expect(result!.stderr).toContain('example-check did not pass');
  });

  test('a JavaScript block that throws', async () => {
    const [result] = await runMarkdown(`${fence}js\nthrow new Error('broken example');\n${fence}\n`);
    expect(result!.status).not.toBe(0);
    expect(result!.stderr).toContain('broken example');
  });
});

describe('what the convention promises', () => {
  test('variables carry over, placeholders come from earlier output, the endpoint is substituted', async () => {
    const results = await runMarkdown(
      [
        `${fence}sh`,
        'B=http://127.0.0.1:9324',
        'curl -s $B/first',
        `${fence}`,
        '',
        `${fence}sh`,
        'curl -s "$B/use/<token>"',
        `[ "$(curl -s "$B/use/<token>" | json_get path)" = /use/t-42 ]`,
        `${fence}`,
      ].join('\n'),
    );
    for (const result of results) expect(result.status, result.stderr).toBe(0);
    expect(results[1]!.stdout).toContain('"path":"/use/t-42"');
  });

  test('an unknown placeholder fails the block, saying which', async () => {
    const [result] = await runMarkdown(
      `${fence}sh\ncurl -s "http://127.0.0.1:9324/<nothingPrinted>"\n${fence}\n`,
    );
    expect(result!.status).not.toBe(0);
    expect(result!.stderr).toContain('placeholder <nothingPrinted>');
  });

  test('a command that runs until Ctrl-C is interrupted after 3 seconds and passes', async () => {
    const [result] = await runMarkdown(`${fence}sh\nsleep 60   # runs until Ctrl-C\necho done\n${fence}\n`);
    expect(result!.status, result!.stderr).toBe(0);
    expect(result!.stdout).toContain('done');
  });

  test('markers: not-run needs a reason; setup runs first; a marker before prose is refused', async () => {
    const [skipped, setUp] = extractExamples(
      `<!-- not-run: needs an AWS account -->\n\n${fence}sh\naws sts get-caller-identity\n${fence}\n\n<!-- example-setup: X=1 -->\n${fence}sh\necho $X\n${fence}\n`,
      'TEST.md',
    );
    expect(skipped!.notRun).toBe('needs an AWS account');
    expect(setUp!.setup).toEqual(['X=1']);
    expect(() => extractExamples(`<!-- not-run: -->\n${fence}sh\ntrue\n${fence}\n`, 'TEST.md')).toThrow(
      /reason/,
    );
    expect(() =>
      extractExamples(`<!-- not-run: why -->\nSome prose.\n${fence}sh\ntrue\n${fence}\n`, 'TEST.md'),
    ).toThrow(/right before its code block/);
  });
});
