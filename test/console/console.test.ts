import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, useLocalService } from '../support/local-service';
import {
  collectPageErrors,
  expectNoAxeViolations,
  explainSkip,
  haveChromium,
  launchChromium,
  mustRun,
  screenshot,
  viewports,
} from './browser';

/**
 * The web console in real headless Chromium against the local service (the deployed handlers,
 * DynamoDB Local, the redrive schedule on its local timer): create a queue with a dead-letter
 * queue, send, watch the counts move, dead-letter messages, redrive them with the progress bar,
 * and see them back; axe finds no violations on the main pages; screenshots at laptop and phone
 * widths go to test-artifacts/console/.
 */
const { url } = useLocalService({ schedules: { everySeconds: { sweeper: 2, redrive: 1 } } });
const api = (method: string, path: string, body?: unknown) => call(url(), method, path, body);

explainSkip();
const suite = haveChromium || mustRun ? describe : describe.skip;

suite('web console', () => {
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let errors: string[];
  const source = 'orders';
  const dlq = 'orders-dlq';

  beforeAll(async () => {
    browser = await launchChromium();
    context = await browser.newContext({ viewport: viewports.laptop, locale: 'en-GB', timezoneId: 'UTC' });
    page = await context.newPage();
    errors = collectPageErrors(page);
  });
  afterAll(async () => {
    await browser?.close();
  });

  const cell = (queue: string, column: string) =>
    page.locator(`tr[data-key="${queue}"] [data-label="${column}"]`);

  it('serves the console with a strict content security policy', async () => {
    const response = await fetch(`${url()}/console`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(response.headers.get('cache-control')).toBe('no-cache');
    const html = await response.text();
    const script = /src="(console\/assets\/console\.js\?v=[0-9a-f]+)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    const asset = await fetch(`${url()}/${script}`);
    expect(asset.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(asset.headers.get('cache-control')).toContain('immutable');
    const again = await fetch(`${url()}/${script}`, {
      headers: { 'if-none-match': asset.headers.get('etag')! },
    });
    expect(again.status).toBe(304);
    expect((await fetch(`${url()}/console/assets/nothing.js`)).status).toBe(404);
  });

  it('creates a queue, and shows its counts move as messages are sent', async () => {
    expect((await api('POST', '/queues', { name: dlq })).status).toBe(201);
    await page.goto(`${url()}/console`);
    await expect.poll(() => page.locator('h1').textContent()).toBe('Queues');

    await page.getByLabel('Queue name').fill(source);
    await page.getByLabel('Visibility timeout (seconds)').fill('1');
    await page.getByLabel('Dead-letter queue (optional)').fill(dlq);
    await page.getByLabel('Max receive count').fill('1');
    await page.getByRole('button', { name: 'Create queue' }).click();
    await expect.poll(() => cell(source, 'Redrive policy').textContent()).toBe(`to ${dlq} after 1 receives`);
    await expect.poll(() => cell(source, 'Visible').textContent()).toBe('0');

    for (const n of [1, 2, 3]) {
      await api('POST', `/queues/${source}/messages`, {
        body: JSON.stringify({ order: n }),
        attributes: { tenant: n === 2 ? 'acme' : 'globex' },
      });
    }
    await expect.poll(() => cell(source, 'Visible').textContent(), { timeout: 15_000 }).toBe('3');

    // Filter and sort
    await page.getByLabel('Filter by name').fill('dlq');
    await expect.poll(() => page.locator('tbody tr').count()).toBe(1);
    await page.getByLabel('Filter by name').fill('');
    await page.getByRole('button', { name: 'Visible' }).click();
    await page.getByRole('button', { name: 'Visible' }).click();
    expect(await page.locator('th[aria-sort="descending"]').textContent()).toContain('Visible');
    expect(await page.locator('tbody tr').first().getAttribute('data-key')).toBe(source);
  });

  it('dead-letters messages and shows them on the list and the queue page', async () => {
    // Received once (maxReceiveCount 1) and released at once: the next receive sets them aside.
    const first = await api('POST', `/queues/${source}/messages/receive`, {
      maxMessages: 10,
      visibilityTimeoutSeconds: 0,
    });
    expect(first.body.messages).toHaveLength(3);
    await api('POST', `/queues/${source}/messages/receive`, { maxMessages: 10 });
    await expect.poll(() => cell(source, 'Dead letters').textContent(), { timeout: 15_000 }).toBe('3');
    await api('POST', `/queues/${source}/messages`, { body: 'still waiting' });
    await expect.poll(() => cell(source, 'Visible').textContent(), { timeout: 15_000 }).toBe('1');
    await screenshot(page, 'queue-list-laptop');
    await expectNoAxeViolations(page, 'the queue list');

    await page.getByRole('link', { name: source, exact: true }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe(source);
    await expect.poll(() => page.locator('.tile-value').nth(4).textContent(), { timeout: 15_000 }).toBe('3');
  });

  it('queue page: sends a test message, peeks, validates settings with the API', async () => {
    await page.getByLabel('Message body').fill('{"hello":"console"}');
    await page.getByLabel('Attributes (optional)').fill('source=console');
    await page.getByLabel('Priority (optional)').fill('7');
    await page.getByRole('button', { name: 'Send message' }).click();
    await expect.poll(() => page.locator('.result').textContent()).toMatch(/^Sent message /);

    await page.getByRole('button', { name: 'Peek at messages' }).click();
    await expect.poll(() => page.locator('.messages .message').count()).toBe(2);
    // The prioritised message comes first, with its priority shown.
    expect(await page.locator('.messages .message').first().locator('.badge.priority').textContent()).toBe(
      'priority 7',
    );
    // A peek leases nothing.
    expect((await api('GET', `/queues/${source}`)).body.messages.visible).toBe(2);

    // The browser checks ranges before the API is asked.
    const timeout = page.getByLabel('Visibility timeout (s)');
    await timeout.fill('50000');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect.poll(() => timeout.getAttribute('aria-invalid')).toBe('true');
    await timeout.fill('1');
    // What only the API knows comes back as its problem details.
    await page.getByLabel('Dead-letter queue').fill('no-such-queue');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect
      .poll(() => page.locator('form.settings [role="alert"]').textContent())
      .toMatch(/no-such-queue|exist/i);
    await page.getByLabel('Dead-letter queue').fill(dlq);
    await page.getByLabel('Visibility timeout (s)').fill('2');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect
      .poll(async () => (await api('GET', `/queues/${source}`)).body.visibilityTimeoutSeconds)
      .toBe(2);

    await page.locator('.messages details summary').first().click();
    await screenshot(page, 'queue-page-laptop');
    await expectNoAxeViolations(page, 'the queue page');
  });

  it('dead letters: browse with details, redrive one selected, then all, with the progress bar', async () => {
    await page.goto(`${url()}/console#/queues/${dlq}/dead-letters`);
    await expect.poll(() => page.locator('li.dead-letter').count(), { timeout: 10_000 }).toBe(3);
    const firstItem = page.locator('li.dead-letter').first();
    await firstItem.locator('summary').click();
    expect(await firstItem.locator('dl.facts').textContent()).toContain(source);
    expect(await firstItem.locator('.reason').textContent()).toContain(`from ${source}`);
    await screenshot(page, 'dead-letters-laptop');
    await expectNoAxeViolations(page, 'the dead letters page');

    // Only the one with tenant=acme, by the attribute filter.
    await page.getByLabel('Attribute name').fill('tenant');
    await page.getByLabel('Attribute value').fill('acme');
    await page.getByRole('button', { name: 'Apply filter' }).click();
    await expect.poll(() => page.locator('li.dead-letter').count()).toBe(1);
    await page.getByLabel('Select all shown').check();
    await page.getByRole('button', { name: 'Redrive selected (1)' }).click();
    await expect
      .poll(() => page.locator('.progress-status').textContent(), { timeout: 20_000 })
      .toBe('Redrive complete: 1 message moved to their source queues.');
    expect(await page.locator('progress').getAttribute('value')).toBe('1');

    await page.getByRole('button', { name: 'Clear' }).click();
    await expect.poll(() => page.locator('li.dead-letter').count(), { timeout: 10_000 }).toBe(2);
    await page.getByRole('button', { name: 'Redrive all matching' }).click();
    await expect
      .poll(() => page.locator('.progress-status').textContent(), { timeout: 20_000 })
      .toBe('Redrive complete: 2 messages moved to their source queues.');
    await expect
      .poll(() => page.locator('li.dead-letter.empty, li.empty').count(), { timeout: 10_000 })
      .toBe(1);

    // Back where they came from.
    await page.goto(`${url()}/console`);
    await expect.poll(() => cell(source, 'Visible').textContent(), { timeout: 15_000 }).toBe('5');
    await expect.poll(() => cell(source, 'Dead letters').textContent()).toBe('0');
  });

  it('purges a queue only after confirming, with focus handled by the dialog', async () => {
    await page.goto(`${url()}/console#/queues/${source}`);
    const purge = page.getByRole('button', { name: 'Purge queue…' });
    await purge.click();
    const dialog = page.getByRole('dialog');
    await expect.poll(() => dialog.isVisible()).toBe(true);
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Cancel');
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.count()).toBe(0);
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Purge queue…');
    expect((await api('GET', `/queues/${source}`)).body.messages.visible).toBe(5);

    await purge.click();
    await screenshot(page, 'purge-dialog-laptop', { fullPage: false });
    await page.getByRole('dialog').getByRole('button', { name: 'Purge' }).click();
    await expect
      .poll(() => page.locator('#purge-title ~ [role="status"]').textContent())
      .toBe('Purged: 5 messages gone; storage is freed in the background.');
  });

  it('reads well at phone width', async () => {
    await api('POST', `/queues/${source}/messages`, { body: 'phone' });
    const phone = await browser.newContext({
      viewport: viewports.phone,
      locale: 'en-GB',
      timezoneId: 'UTC',
      isMobile: true,
      hasTouch: true,
    });
    const small = await phone.newPage();
    const smallErrors = collectPageErrors(small);
    await small.goto(`${url()}/console`);
    await expect
      .poll(() => small.locator(`tr[data-key="${source}"] [data-label="Visible"]`).textContent(), {
        timeout: 15_000,
      })
      .toBe('1');
    // Nothing wider than the screen.
    expect(await small.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      viewports.phone.width,
    );
    await screenshot(small, 'queue-list-phone');
    await small.goto(`${url()}/console#/queues/${source}`);
    await expect
      .poll(() => small.locator('.tile-value').first().textContent(), { timeout: 15_000 })
      .toBe('1');
    expect(await small.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      viewports.phone.width,
    );
    await screenshot(small, 'queue-page-phone');
    await small.goto(`${url()}/console#/queues/${dlq}/dead-letters`);
    await expect.poll(() => small.locator('li.empty').count(), { timeout: 10_000 }).toBe(1);
    await screenshot(small, 'dead-letters-phone');
    await phone.close();
    expect(smallErrors).toEqual([]);
  });

  it('shows Not found, not a blank page, for a hash that is not valid percent-encoding', async () => {
    await page.goto(`${url()}/console#/queues/%E0%A4%A`);
    await expect.poll(() => page.locator('h1').textContent()).toBe('Not found');
    expect(await page.title()).toBe('Not found · Queue console');
    await page.getByRole('link', { name: 'Back to the queues' }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('Queues');
  });

  it('shows the fair-queue figures of a standard queue whose messages carry group ids', async () => {
    const fair = 'tenants';
    await api('POST', '/queues', { name: fair });
    await api('POST', `/queues/${fair}/messages`, { body: 'a job', groupId: 'tenant-a' });
    await page.goto(`${url()}/console#/queues/${fair}`);
    const tileValue = (label: string) =>
      page.locator('.tile', { has: page.locator('.tile-label', { hasText: label }) }).locator('.tile-value');
    await expect.poll(() => tileValue('Noisy groups').textContent(), { timeout: 15_000 }).toBe('0');
    expect(await tileValue('Visible in quiet groups').textContent()).toBe('1');
    await page.goto(`${url()}/console#/queues/${source}`);
    await expect
      .poll(() => page.locator('.tile-value').first().textContent(), { timeout: 15_000 })
      .not.toBe('–');
    expect(await page.locator('.tile-label', { hasText: 'Noisy groups' }).count()).toBe(0);
  });

  it('logged no errors (no CSP violations)', () => {
    // The one refusal the settings test asked for is logged by Chromium as a failed load.
    expect(errors.filter((error) => !/status of 400/.test(error))).toEqual([]);
  });
}, 120_000);
