// Builds what `npm pack` ships (run by prepack; `npm run build` runs it by hand), into dist/:
//   cli/dq.mjs            the command-line tool (cli/build.mjs)
//   lib/index.js          the construct library (infra/aws/index.ts)   import ... from 'dynamo-queue'
//   lib/client.js         the REST client (client/index.ts)            import ... from 'dynamo-queue/client'
//   types/**.d.ts         their declarations
//   handlers/<name>.js    one module per function, which the construct hands to NodejsFunction to
//                         bundle (with the user's esbuild) when the user's app synthesizes
//   console-assets.json   the web console, built once here instead of in every user's synth
//   openapi.json          the REST API's OpenAPI document, which the queues function serves
// Libraries stay external everywhere: they are the package's dependencies (or peers: aws-cdk-lib,
// constructs) and resolve from the user's node_modules.

import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { build } from 'esbuild';
// @ts-expect-error: a plain ES module without declarations
import { buildCli } from '../cli/build.mjs';
import { buildConsoleAssets } from '../console/build';
import { openApiDocument } from '../functions/dialects/rest/openapi';
import { enabledFunctions } from '../infra/aws/function-catalog';
import { builtConsoleAssets, builtHandlersDir, builtOpenApi, packageRoot } from '../infra/aws/package-layout';

const dist = join(packageRoot, 'dist');
// Built aside, then moved into place part by part: tests running the dq bin (dist/cli, rebuilt in
// place atomically by buildCli) or packing at the same time never see a half-built or missing part.
const aside = join(dist, `.build-${process.pid}`);
const started = Date.now();
rmSync(aside, { recursive: true, force: true });

await buildCli();

const common = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  packages: 'external',
  logLevel: 'error',
  charset: 'utf8',
} as const;

await build({
  ...common,
  entryPoints: {
    index: join(packageRoot, 'infra/aws/index.ts'),
    client: join(packageRoot, 'client/index.ts'),
  },
  outdir: join(aside, 'lib'),
  target: 'node20',
});

await build({
  ...common,
  entryPoints: Object.fromEntries(
    enabledFunctions().map(([, spec]) => [
      spec.entry.replace(/^.*\//, '').replace(/\.ts$/, ''),
      join(packageRoot, spec.entry),
    ]),
  ),
  outdir: join(aside, relative(dist, builtHandlersDir)),
  target: 'node22',
});

writeFileSync(join(aside, relative(dist, builtConsoleAssets)), JSON.stringify(await buildConsoleAssets()));
writeFileSync(join(aside, relative(dist, builtOpenApi)), JSON.stringify(openApiDocument()));

const tsc = spawnSync(
  process.execPath,
  [
    join(packageRoot, 'node_modules/typescript/bin/tsc'),
    ...['-p', 'tsconfig.build.json', '--outDir', join(aside, 'types')],
  ],
  { cwd: packageRoot, stdio: 'inherit' },
);
if (tsc.status !== 0) throw new Error('tsc could not write the declarations (see above)');
addExtensions(join(aside, 'types'));

for (const part of readdirSync(aside)) {
  rmSync(join(dist, part), { recursive: true, force: true });
  renameSync(join(aside, part), join(dist, part));
}
rmSync(aside, { recursive: true, force: true });

console.log(
  `built ${relative(process.cwd(), dist) || dist} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
);

/**
 * tsc keeps our extensionless relative imports in the .d.ts files; TypeScript projects resolving
 * with `node16`/`nodenext` need the `.js` form (`./queue-service.js`, `./dir/index.js`).
 */
function addExtensions(dir: string): void {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      addExtensions(path);
      continue;
    }
    if (!name.endsWith('.d.ts')) continue;
    const text = readFileSync(path, 'utf8');
    const fixed = text.replace(
      /(from\s+|import\()(['"])(\.{1,2}\/[^'"]*)\2/g,
      (whole, lead: string, quote: string, spec: string) => {
        const target = resolve(dirname(path), spec);
        if (existsSync(`${target}.d.ts`)) return `${lead}${quote}${spec}.js${quote}`;
        if (existsSync(join(target, 'index.d.ts'))) return `${lead}${quote}${spec}/index.js${quote}`;
        return whole;
      },
    );
    if (fixed !== text) writeFileSync(path, fixed);
  }
}
