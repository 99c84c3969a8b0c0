import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Example, placeholder } from './markdown-examples';

/**
 * Turns one README example into a bash script run against the test's service. Each block runs in its
 * own bash, but variables carry over from the file's earlier blocks (saved to `state.sh` on exit), as
 * they would in the reader's terminal.
 */
export interface ScriptContext {
  /** Where the state, the output log and generated source files of one Markdown file live. */
  dir: string;
  /** The URL the README's `http://127.0.0.1:9324` stands for. */
  serviceUrl: string;
  /** File name for a TypeScript/JavaScript block's source. */
  sourceFile: string;
  /** Seconds an example-check may take to pass. */
  checkSeconds: number;
  /** Seconds a TypeScript/JavaScript block without a check may run. */
  nodeSeconds: number;
}

const readmeEndpoints = /http:\/\/(?:127\.0\.0\.1|localhost):9324/g;

export function withServiceUrl(code: string, serviceUrl: string): string {
  return code.replace(readmeEndpoints, serviceUrl);
}

const preambleFile = join(import.meta.dirname, 'example-preamble.sh');

function preamble(dir: string): string {
  return `EXAMPLE_DIR='${dir}'\nsource '${preambleFile}'`;
}

/** A line whose comment says it runs `until Ctrl-C` is run for 3 seconds, then interrupted. */
function interruptLongRunning(line: string): string {
  if (!/#.*until Ctrl-C/.test(line)) return line;
  const hash = line.indexOf(' #');
  const command = line.slice(0, hash).trim();
  return `{ timeout -s INT 3 ${command} || [ $? -eq 124 ]; }${line.slice(hash)}`;
}

/**
 * An example imports the package by name as a user would (`dynamo-queue`, `dynamo-queue/client`); here
 * those imports run against this checkout's sources, so an example needs no build of the package.
 */
const packageEntries: Record<string, string> = {
  'dynamo-queue': 'infra/aws/index.ts',
  'dynamo-queue/client': 'client/index.ts',
};
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

export function asRepoImports(code: string): string {
  return code.replace(
    /from '(dynamo-queue(?:\/client)?)'/g,
    (_, name: string) => `from '${repoRoot}${packageEntries[name]}'`,
  );
}

export function shellCode(code: string): string {
  return code
    .split('\n')
    .map(interruptLongRunning)
    .join('\n')
    .replace(placeholder, (_, name: string) => `$(example_value ${name})`);
}

export interface ExampleScript {
  script: string;
  /** Files to write before running: path -> content. */
  files: Record<string, string>;
}

export function exampleScript(example: Example, context: ScriptContext): ExampleScript {
  const url = (code: string) => withServiceUrl(code, context.serviceUrl);
  const files: Record<string, string> = {};
  const parts = [preamble(context.dir), ...example.setup.map(url)];
  const checkFile = `${context.dir}/check-${example.line}.sh`;
  if (example.check) files[checkFile] = url(example.check);
  if (example.kind === 'shell') {
    parts.push(shellCode(url(example.code)));
    if (example.check) parts.push(`example_poll '${checkFile}' ${context.checkSeconds}`);
  } else if (example.kind === 'node') {
    files[context.sourceFile] = asRepoImports(url(example.code));
    const run = `node --import tsx '${context.sourceFile}'`;
    if (example.check) {
      // A long-running program (a consumer): it must make the check pass, then it is stopped.
      parts.push(`${run} &`, 'EXAMPLE_PID=$!');
      parts.push(`example_poll '${checkFile}' ${context.checkSeconds} || { kill $EXAMPLE_PID; exit 1; }`);
      parts.push('kill -0 $EXAMPLE_PID 2> /dev/null && kill $EXAMPLE_PID || wait $EXAMPLE_PID');
    } else {
      parts.push(`timeout ${context.nodeSeconds} ${run}`);
    }
  } else {
    throw new Error(`no runner for a ${example.kind} block`);
  }
  return { script: parts.join('\n'), files };
}
