import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { repositoryRoot } from '../../infra/aws/bundling';

/**
 * Debian's headless Chromium driven by playwright-core, for the console's end-to-end tests. In
 * CI (CI=true) a missing browser is a failure; elsewhere the tests skip and say why.
 */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const haveChromium = existsSync(chromiumPath);
export const mustRun = process.env.CI === 'true' || process.env.CI === '1';

export function explainSkip(): void {
  if (!haveChromium && !mustRun) {
    console.warn(
      `Console browser tests skipped: no Chromium at ${chromiumPath} (apt-get install chromium, or set CHROMIUM_PATH)`,
    );
  }
}

export async function launchChromium(): Promise<Browser> {
  if (!haveChromium)
    throw new Error(`No Chromium at ${chromiumPath}: CI must install it (.ci/run does, with apt-get)`);
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    // CI runs as root, where Chromium's sandbox cannot start.
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-dev-shm-usage'],
  });
}

export const viewports = {
  laptop: { width: 1366, height: 900 },
  phone: { width: 390, height: 844 },
} as const;

/** Errors the page logged (a CSP violation is one): the console must log none. */
export function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  return errors;
}

const axeSource = readFileSync(join(repositoryRoot, 'node_modules/axe-core/axe.min.js'), 'utf8');

/** Runs axe-core in the page (evaluated over the DevTools protocol, which the page's CSP allows). */
export async function expectNoAxeViolations(page: Page, what: string): Promise<void> {
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const result = await (window as any).axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
    });
    return result.violations.map((v: any) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n: any) => n.target.join(' ')).slice(0, 5),
    }));
  });
  expect(violations, `axe violations on ${what}`).toEqual([]);
}

export const artifactsDir = join(repositoryRoot, 'test-artifacts/console');

export async function screenshot(
  page: Page,
  name: string,
  options: { fullPage?: boolean; maxHeight?: number } = {},
): Promise<string> {
  mkdirSync(artifactsDir, { recursive: true });
  const path = join(artifactsDir, `${name}.png`);
  const fullPage = options.fullPage ?? true;
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  const width = page.viewportSize()?.width ?? 1366;
  await page.screenshot({
    path,
    fullPage,
    ...(fullPage && options.maxHeight && height > options.maxHeight
      ? { clip: { x: 0, y: 0, width, height: options.maxHeight } }
      : {}),
  });
  return path;
}
