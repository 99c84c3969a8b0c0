#!/usr/bin/env node
// `dynamo-queue` / `dq`: runs the bundled tool (dist/cli/dq.mjs), rebuilding it first when the
// TypeScript sources in cli/ (or client/) are newer, so a checkout always runs what it contains.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bundle = join(root, 'dist', 'cli', 'dq.mjs');
// The tool's sources: cli/ and the client it signs with (client/).
const sources = [join(root, 'cli'), join(root, 'client')].filter((dir) => existsSync(dir));

function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

const built = existsSync(bundle) ? statSync(bundle).mtimeMs : 0;
if (sources.length > 0 && Math.max(...sources.map(newestSource)) > built) {
  const { buildCli } = await import('../cli/build.mjs');
  await buildCli();
}
const { run } = await import(pathToFileURL(bundle).href);
process.exitCode = await run(process.argv);
