import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/**
 * Builds the web console (console/src -> one minified ES module, plus the page and the
 * stylesheet) in memory with esbuild. The local host's console function calls it on first use;
 * `cdk synth` runs console/write-assets.ts, which calls it and puts the result into the console
 * function's bundle.
 */
export interface ConsoleAsset {
  contentType: string;
  body: string;
}

/** By path under /console: '' is the page itself, 'assets/console.js' and 'assets/console.css'. */
export type ConsoleAssets = Record<string, ConsoleAsset>;

const consoleDir = fileURLToPath(new URL('./', import.meta.url));

export async function buildConsoleAssets(): Promise<ConsoleAssets> {
  const result = await build({
    entryPoints: [`${consoleDir}src/main.ts`],
    bundle: true,
    format: 'esm',
    target: ['es2022'],
    minify: true,
    charset: 'utf8',
    write: false,
    legalComments: 'none',
    logLevel: 'silent',
  });
  const script = result.outputFiles[0]!.text;
  const styles = readFileSync(`${consoleDir}styles.css`, 'utf8');
  // The page names each asset with a hash of its content, so browsers may keep assets for good
  // and a new version is fetched as soon as the page changes.
  const page = readFileSync(`${consoleDir}index.html`, 'utf8')
    .replace('console/assets/console.js', `console/assets/console.js?v=${fingerprint(script)}`)
    .replace('console/assets/console.css', `console/assets/console.css?v=${fingerprint(styles)}`);
  return {
    '': { contentType: 'text/html; charset=utf-8', body: page },
    'assets/console.js': { contentType: 'text/javascript; charset=utf-8', body: script },
    'assets/console.css': { contentType: 'text/css; charset=utf-8', body: styles },
  };
}

const fingerprint = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 12);
