import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where the construct finds what it deploys, in the two places it runs from: this repository's
 * checkout (TypeScript sources, run by tsx) and the installed `dynamo-queue` package (the build
 * of scripts/build-package.ts: dist/lib for the construct, dist/handlers for one JavaScript module
 * per function, dist/console-assets.json for the web console). No aws-cdk-lib here: the local host
 * reads the function catalog, which uses this file.
 */
export const packageName = 'dynamo-queue';

/** The package's root folder: the nearest folder above this module whose package.json is ours. */
export const packageRoot = findPackageRoot(dirname(fileURLToPath(import.meta.url)));

function findPackageRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).name === packageName) return dir;
    if (dirname(dir) === dir)
      throw new Error(`${fileURLToPath(import.meta.url)} is not inside ${packageName}`);
  }
}

/** True in the checkout: the handlers' TypeScript sources are there (the package ships their build). */
export const fromSources = existsSync(join(packageRoot, 'functions', 'handlers'));

/** Where the package build puts each function's module and the console's assets. */
export const builtHandlersDir = join(packageRoot, 'dist', 'handlers');
export const builtConsoleAssets = join(packageRoot, 'dist', 'console-assets.json');
export const builtOpenApi = join(packageRoot, 'dist', 'openapi.json');

/** The file esbuild bundles for a function whose source is `entry` (relative to the root). */
export function handlerEntry(entry: string): string {
  return fromSources ? join(packageRoot, entry) : join(builtHandlersDir, `${basename(entry, '.ts')}.js`);
}

/**
 * Shell commands that put a generated file into a bundle folder: written by `writer` (a script that
 * takes the folder) from the sources in the checkout, copied from the package build when installed.
 */
function generatedFileCommands(writer: string, built: string, outputDir: string): string[] {
  const quote = (parts: string[]) => parts.map((part) => JSON.stringify(part)).join(' ');
  if (fromSources) {
    return [quote([join(packageRoot, 'node_modules/.bin/tsx'), join(packageRoot, writer), outputDir])];
  }
  const copy = `require('node:fs').copyFileSync(${JSON.stringify(built)}, require('node:path').join(${JSON.stringify(outputDir)}, ${JSON.stringify(basename(built))}))`;
  return [quote([process.execPath, '-e', copy])];
}

/** The console's built assets (console-assets.json), built from console/ with esbuild. */
export const consoleAssetsCommands = (outputDir: string) =>
  generatedFileCommands('console/write-assets.ts', builtConsoleAssets, outputDir);

/** The OpenAPI document (openapi.json) beside the queues function's code. */
export const openApiCommands = (outputDir: string) =>
  generatedFileCommands('functions/dialects/rest/write-openapi.ts', builtOpenApi, outputDir);

/**
 * NodejsFunction's project root and lock file. The checkout bundles against its own lock file; an
 * installed package leaves both to NodejsFunction (the lock file found from the current directory,
 * the user's project) unless the construct's user names a lock file.
 */
export function bundlingLocation(depsLockFilePath: string | undefined): {
  projectRoot?: string;
  depsLockFilePath?: string;
} {
  if (depsLockFilePath) return { depsLockFilePath };
  if (fromSources)
    return { projectRoot: packageRoot, depsLockFilePath: join(packageRoot, 'package-lock.json') };
  return {};
}
