import { readFile } from 'node:fs/promises';

/**
 * The OpenAPI document as the `GET /openapi.json` route serves it. Deployed, it was generated at
 * synth time into openapi.json beside the queues function's bundle (infra/aws/package-layout.ts),
 * so the function carries neither the generator nor zod's JSON Schema code (about 28 KB); under tsx
 * (the local host, tests) there is no such file and it is generated on first use.
 */
let document: Promise<unknown> | undefined;

export function servedOpenApiDocument(): Promise<unknown> {
  document ??= load().catch((error) => {
    document = undefined;
    throw error;
  });
  return document;
}

async function load(): Promise<unknown> {
  try {
    return JSON.parse(await readFile(new URL('./openapi.json', import.meta.url), 'utf8'));
  } catch {
    // A variable, not a literal: esbuild must not pull the generator into the bundle.
    const generator = './openapi.ts';
    return (await import(generator)).openApiDocument();
  }
}
