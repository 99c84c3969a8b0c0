// Writes the OpenAPI document into a folder as openapi.json: run by `cdk synth` after esbuild
// bundles the queues function (which serves it from there) and by the package build.
// Usage: npx tsx functions/dialects/rest/write-openapi.ts <folder>
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openApiDocument } from './openapi';

const folder = process.argv[2];
if (!folder) {
  console.error('Usage: npx tsx functions/dialects/rest/write-openapi.ts <folder>');
  process.exit(2);
}
writeFileSync(join(folder, 'openapi.json'), JSON.stringify(openApiDocument()));
