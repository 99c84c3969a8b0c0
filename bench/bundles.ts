import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, type Metafile } from 'esbuild';
import { median } from './stats';

/**
 * Each Lambda function's bundle, built with esbuild the way the issue states it (minified, ESM,
 * platform node, target node22), and with the deploy settings of infra/aws/bundling.ts when that
 * file is there (it leaves out credential providers Lambda never uses). Then the time to import
 * each bundle in a fresh Node process: the module initialisation a cold start pays.
 */
export interface BundleResult {
  name: string;
  /** Minified bytes, plain settings. */
  bytes: number;
  /** Minified bytes with the deploy settings (undefined when infra/aws/bundling.ts is absent). */
  deployBytes?: number;
  /** Minified bytes with the AWS SDK left to the Lambda runtime (@aws-sdk/*, @smithy/* external). */
  withoutSdkBytes: number;
  /** Median import time of the deploy bundle (else the plain one), fresh process each run. */
  initMs: number;
  initRunsMs: number[];
  /** Median import time of the plain bundle (everything bundled, the AWS SDK included). */
  plainInitMs: number;
  /** Median wall time of the whole `node` process that imports it (startup included). */
  processMs: number;
  /** The biggest contributors to the deploy bundle (else the plain one), by package or folder. */
  largest: { name: string; bytes: number }[];
}

const root = fileURLToPath(new URL('../', import.meta.url));
const functions = ['queues', 'send', 'receive', 'delete', 'sqs'];

interface DeploySettings {
  external: string[];
  banner?: string;
  charset?: 'utf8';
  mainFields?: string[];
}

async function deploySettings(): Promise<DeploySettings | undefined> {
  const file = join(root, 'infra/aws/bundling.ts');
  if (!existsSync(file)) return undefined;
  try {
    const module = (await import(pathToFileURL(file).href)) as {
      bundlingOptions?: {
        externalModules?: string[];
        banner?: string;
        mainFields?: string[];
        esbuildArgs?: Record<string, unknown>;
      };
    };
    const options = module.bundlingOptions;
    if (!options) return undefined;
    return {
      external: options.externalModules ?? [],
      ...(options.banner ? { banner: options.banner } : {}),
      ...(options.mainFields ? { mainFields: options.mainFields } : {}),
      ...(options.esbuildArgs?.['--charset'] === 'utf8' ? { charset: 'utf8' as const } : {}),
    };
  } catch {
    return undefined;
  }
}

/** Modules some dependencies require() though ESM has no `require`: the deploy banner adds one. */
const requireBanner =
  "import{createRequire as __benchCreateRequire}from'node:module';const require=__benchCreateRequire(import.meta.url);";

export async function measureBundles(initRuns: number): Promise<BundleResult[]> {
  const out = mkdtempSync(join(tmpdir(), 'queue-bench-bundles-'));
  // Modules left out of a bundle (the AWS SDK, when the runtime provides it) resolve from here, as
  // they do from /var/runtime/node_modules on Lambda: their load time is part of the init time.
  symlinkSync(join(root, 'node_modules'), join(out, 'node_modules'), 'dir');
  const deploy = await deploySettings();
  const results: BundleResult[] = [];
  try {
    for (const name of functions) {
      const entry = join(root, 'functions/handlers', `${name}.ts`);
      if (!existsSync(entry)) continue;
      const common = {
        entryPoints: [entry],
        bundle: true,
        minify: true,
        format: 'esm' as const,
        platform: 'node' as const,
        target: 'node22',
        logLevel: 'silent' as const,
      };
      const plainFile = join(out, `${name}.plain.mjs`);
      const plain = await build({
        ...common,
        outfile: plainFile,
        banner: { js: requireBanner },
        metafile: true,
      });
      let deployFile: string | undefined;
      let metafile = plain.metafile;
      if (deploy) {
        deployFile = join(out, `${name}.deploy.mjs`);
        ({ metafile } = await build({
          metafile: true,
          ...common,
          outfile: deployFile,
          external: deploy.external,
          banner: { js: deploy.banner ?? requireBanner },
          ...(deploy.charset ? { charset: deploy.charset } : {}),
          ...(deploy.mainFields ? { mainFields: deploy.mainFields } : {}),
        }));
      }
      const withoutSdk = await build({
        ...common,
        outfile: join(out, `${name}.nosdk.mjs`),
        external: ['@aws-sdk/*', '@smithy/*'],
        banner: { js: requireBanner },
        ...(deploy?.charset ? { charset: deploy.charset } : {}),
        metafile: true,
      });
      const deployed = timeImport(name, deployFile ?? plainFile, initRuns);
      const plainInit = deployFile ? timeImport(name, plainFile, initRuns) : deployed;
      results.push({
        name,
        bytes: statSync(plainFile).size,
        ...(deployFile ? { deployBytes: statSync(deployFile).size } : {}),
        withoutSdkBytes: Object.values(withoutSdk.metafile.outputs)[0]?.bytes ?? 0,
        initMs: median(deployed.runs),
        initRunsMs: deployed.runs,
        processMs: median(deployed.wall),
        plainInitMs: median(plainInit.runs),
        largest: largestParts(metafile),
      });
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
  return results;
}

/** Imports a bundle in `runs` fresh Node processes; the import time each reports, and its wall time. */
function timeImport(name: string, file: string, runs: number): { runs: number[]; wall: number[] } {
  const times: number[] = [];
  const wall: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    const child = spawnSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const t = performance.now(); await import(${JSON.stringify(pathToFileURL(file).href)}); ` +
          'process.stdout.write(String(performance.now() - t));',
      ],
      // Lambda-like: no DynamoDB endpoint, nothing else set; imports must not call out.
      { encoding: 'utf8', timeout: 30_000, env: { PATH: process.env.PATH ?? '', AWS_REGION: 'us-east-1' } },
    );
    wall.push(performance.now() - started);
    const ms = Number(child.stdout);
    if (child.status !== 0 || !Number.isFinite(ms)) {
      throw new Error(`importing the ${name} bundle failed: ${(child.stderr ?? '').slice(0, 500)}`);
    }
    times.push(ms);
  }
  return { runs: times, wall };
}

/** Output bytes by npm package (or by first two folders for the project's own files). */
function largestParts(metafile: Metafile, count = 5): { name: string; bytes: number }[] {
  const sizes = new Map<string, number>();
  for (const output of Object.values(metafile.outputs)) {
    for (const [file, input] of Object.entries(output.inputs)) {
      const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file)?.[1];
      const name = pkg ?? file.split('/').slice(0, 2).join('/');
      sizes.set(name, (sizes.get(name) ?? 0) + input.bytesInOutput);
    }
  }
  return [...sizes.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([name, bytes]) => ({ name, bytes }));
}
