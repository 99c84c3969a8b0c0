import { Runtime } from 'aws-cdk-lib/aws-lambda';
import { type BundlingOptions, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { packageRoot } from './package-layout';

/** The repository root (the package root once installed): catalog entries are relative to it. */
export const repositoryRoot = packageRoot;

/** Lambda runtime of every function (AWS SDK v3 releases from 2027 need Node >= 22, see FACTS.md). */
export const functionRuntime = Runtime.NODEJS_22_X;

/** A function's minified bundle above this many bytes fails the bundle-size test. */
export const bundleBudgetBytes = 285 * 1024;

/**
 * Packages the Lambda Node.js runtime provides (AWS SDK for JavaScript v3 and the Smithy packages
 * it is built on, in /var/runtime/node_modules). They are left out of every bundle: bundled, the
 * SDK alone is about 210 KB of each function, twice the size of our own code, and cold starts grow
 * with bundle size. The cost: the SDK version is the runtime's, not the one the tests ran with
 * (the SDK keeps its APIs stable within v3; AWS updates the runtime's copy).
 */
export const runtimeProvidedModules = ['@aws-sdk/*', '@smithy/*'] as const;

/**
 * esbuild settings for every function: our code and its libraries, minified, with the runtime's
 * AWS SDK v3 (see runtimeProvidedModules).
 */
export const bundlingOptions: BundlingOptions = {
  format: OutputFormat.ESM,
  target: 'node22',
  // ESM entry points of dependencies tree-shake; `main` is the fallback for CJS-only packages.
  mainFields: ['module', 'main'],
  minify: true,
  sourceMap: true,
  // Stack traces need the mappings only; leaving sources out keeps the asset small.
  sourcesContent: false,
  // UTF-8 output instead of \uXXXX escapes (about 70 KB less here). Passed as a raw argument:
  // aws-cdk-lib 2.276 accepts a `charset` option but never hands it to esbuild.
  esbuildArgs: { '--charset': 'utf8' },
  externalModules: [...runtimeProvidedModules],
  // CJS dependencies that call require() for Node built-ins need a `require` inside an ES module.
  banner:
    "import{createRequire as __queueCreateRequire}from'node:module';const require=__queueCreateRequire(import.meta.url);",
};
