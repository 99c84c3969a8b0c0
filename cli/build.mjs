#!/usr/bin/env node
// Bundles the command-line tool (cli/*.ts) into one ES module, dist/cli/dq.mjs, with esbuild.
// The bin runs the bundle because it starts in a fraction of the time a TypeScript loader takes;
// the bin rebuilds it when the sources are newer (a checkout being edited), and `npm pack` builds it.
// Dependencies stay external: they are the package's own runtime dependencies.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const bundlePath = join(root, 'dist', 'cli', 'dq.mjs');

export async function buildCli() {
  let esbuild;
  try {
    esbuild = await import('esbuild');
  } catch {
    throw new Error(
      `the command-line tool is not built (${bundlePath}) and esbuild is not installed: run npm install in ${root}`,
    );
  }
  const result = await esbuild.build({
    entryPoints: [join(root, 'cli', 'main.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    write: false,
    logLevel: 'error',
  });
  mkdirSync(dirname(bundlePath), { recursive: true });
  // Several tools may start at once after an edit: write aside, then rename, so none reads half a file.
  const aside = `${bundlePath}.${process.pid}.tmp`;
  writeFileSync(aside, result.outputFiles[0].contents);
  renameSync(aside, bundlePath);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await buildCli();
  console.log(`built ${bundlePath}`);
}
