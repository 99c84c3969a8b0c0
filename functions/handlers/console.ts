import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { HttpEvent, HttpResult } from '../dialects/http';

/**
 * Lambda entry of the `console` function: serves the web console's page, script and stylesheet
 * (static, no data: everything the console shows it fetches from the REST API, signed). Deployed,
 * the assets were built at synth time into console-assets.json beside this bundle; under tsx (the
 * local host) there is no such file and they are built with esbuild on first use.
 */
interface ConsoleAsset {
  contentType: string;
  body: string;
}

interface ServedAsset extends ConsoleAsset {
  etag: string;
}

// Nothing but this origin's own script, styles and API; no inline code, no framing.
const contentSecurityPolicy = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "form-action 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

const securityHeaders = {
  'content-security-policy': contentSecurityPolicy,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};

let assets: Promise<Map<string, ServedAsset>> | undefined;

async function loadAssets(): Promise<Map<string, ServedAsset>> {
  let built: Record<string, ConsoleAsset>;
  try {
    built = JSON.parse(await readFile(new URL('./console-assets.json', import.meta.url), 'utf8'));
  } catch {
    // A variable, not a literal: esbuild must not pull the builder (and esbuild) into the bundle.
    const builder = '../../console/build.ts';
    built = await (await import(builder)).buildConsoleAssets();
  }
  return new Map(
    Object.entries(built).map(([path, asset]) => [
      path,
      { ...asset, etag: `"${createHash('sha256').update(asset.body).digest('base64url').slice(0, 22)}"` },
    ]),
  );
}

export async function handler(event: HttpEvent): Promise<HttpResult> {
  assets ??= loadAssets().catch((error) => {
    assets = undefined;
    throw error;
  });
  const served = await assets;
  const name = event.pathParameters?.asset;
  const path = name === undefined ? '' : `assets/${name}`;
  const asset = served.get(path);
  if (!asset) {
    return {
      statusCode: 404,
      headers: { 'content-type': 'text/plain; charset=utf-8', ...securityHeaders },
      body: 'Not found',
    };
  }
  const headers = {
    'content-type': asset.contentType,
    etag: asset.etag,
    // The page is checked every time; assets are named by a hash of their content (?v=) in it.
    'cache-control': path === '' ? 'no-cache' : 'public, max-age=31536000, immutable',
    ...securityHeaders,
  };
  if (event.headers?.['if-none-match'] === asset.etag) return { statusCode: 304, headers };
  return { statusCode: 200, headers, body: asset.body };
}
