// Bundles every function as `cdk synth` does and prints the sizes against the budget.
// Usage: npx tsx scripts/bundle-sizes.ts [--json <file>]
// Exit code 1 when a bundle is over budget or imports a module it does not contain.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { formatBundleSizes, measureBundles } from '../infra/aws/bundle-sizes';
import { repositoryRoot } from '../infra/aws/bundling';
import { addQueueStack } from '../infra/aws/queue-app';

const jsonFlag = process.argv.indexOf('--json');
const jsonFile = jsonFlag >= 0 ? process.argv[jsonFlag + 1] : undefined;

const cdkJson = JSON.parse(readFileSync(join(repositoryRoot, 'cdk.json'), 'utf8')) as {
  context?: Record<string, unknown>;
};
const outdir = mkdtempSync(join(tmpdir(), 'queue-bundles-'));
const app = new App({ outdir, context: cdkJson.context ?? {} });
const stack = addQueueStack(app);
app.synth();

const sizes = measureBundles(stack, stack.service, outdir);
if (jsonFile) writeFileSync(jsonFile, JSON.stringify(sizes, null, 2));
console.log(formatBundleSizes(sizes));
for (const size of sizes) {
  if (size.unresolvedImports.length > 0) {
    console.log(`${size.name}: imports outside the bundle: ${size.unresolvedImports.join(', ')}`);
  }
}
process.exitCode = sizes.some((size) => size.overBudget || size.unresolvedImports.length > 0) ? 1 : 0;
