import { readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import type { Stack } from 'aws-cdk-lib';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { bundleBudgetBytes, runtimeProvidedModules } from './bundling';
import type { QueueService } from './queue-service';

export interface BundleSize {
  name: string;
  /** The minified index.mjs, as Lambda loads it. */
  bytes: number;
  /** The source map next to it (loaded only for stack traces). */
  mapBytes: number;
  overBudget: boolean;
  /** Modules imported statically that are neither bundled nor built into Node: a crash at init. */
  unresolvedImports: string[];
}

interface AssetManifest {
  files: Record<string, { source: { path: string } }>;
}

/**
 * Sizes of the bundles a synthesis produced (with bundling on), read from the cloud assembly: the
 * function's S3 key names its asset, the stack's asset manifest names the asset's directory.
 */
export function measureBundles(stack: Stack, service: QueueService, assemblyDir: string): BundleSize[] {
  const manifest = JSON.parse(
    readFileSync(join(assemblyDir, `${stack.artifactId}.assets.json`), 'utf8'),
  ) as AssetManifest;
  return [...service.functions.values()].map(({ name, function: fn }) => {
    const code = stack.resolve((fn.node.defaultChild as CfnFunction).code) as { s3Key: string };
    const hash = code.s3Key.replace(/\.zip$/, '');
    const asset = manifest.files[hash];
    if (!asset) throw new Error(`No asset ${hash} for the ${name} function in ${assemblyDir}`);
    const file = join(assemblyDir, asset.source.path, 'index.mjs');
    const bytes = statSync(file).size;
    return {
      name,
      bytes,
      mapBytes: statSync(`${file}.map`).size,
      overBudget: bytes > bundleBudgetBytes,
      unresolvedImports: staticImports(readFileSync(file, 'utf8')).filter(
        (specifier) => !isBuiltin(specifier),
      ),
    };
  });
}

/** Module specifiers of static `import ... from "x"`, `export ... from "x"` and `import "x"`. */
export function staticImports(code: string): string[] {
  const found = new Set<string>();
  const specifier = `["']([@\\w][\\w@./:-]*)["']`;
  for (const match of code.matchAll(new RegExp(`\\bfrom\\s*${specifier}|\\bimport\\s*${specifier}`, 'g'))) {
    found.add((match[1] ?? match[2])!);
  }
  return [...found];
}

/** Built into Node, or provided by the Lambda runtime (the AWS SDK v3, see bundling.ts). */
const isBuiltin = (specifier: string) =>
  specifier.startsWith('node:') ||
  builtinModules.includes(specifier.split('/')[0]!) ||
  runtimeProvidedModules.some((pattern) => specifier.startsWith(pattern.replace('*', '')));

export function formatBundleSizes(sizes: BundleSize[]): string {
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
  const rows = sizes.map(
    (size) =>
      `${size.name.padEnd(10)} ${kb(size.bytes).padStart(10)} ${kb(size.mapBytes).padStart(11)}  ` +
      `${size.overBudget ? 'OVER BUDGET' : 'ok'}`,
  );
  return [`function        bundle  source map  (budget ${kb(bundleBudgetBytes)} minified)`, ...rows].join(
    '\n',
  );
}
