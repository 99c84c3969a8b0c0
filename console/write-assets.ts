// Writes the built console into a folder, as console-assets.json: run by `cdk synth` after
// esbuild bundles the console function, so the deployed function serves it from its own bundle.
// Usage: npx tsx console/write-assets.ts <folder>
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildConsoleAssets } from './build';

const folder = process.argv[2];
if (!folder) {
  console.error('Usage: npx tsx console/write-assets.ts <folder>');
  process.exit(2);
}
writeFileSync(join(folder, 'console-assets.json'), JSON.stringify(await buildConsoleAssets()));
