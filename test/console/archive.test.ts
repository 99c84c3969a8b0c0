import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, useLocalService } from '../support/local-service';
import {
  collectPageErrors,
  expectNoAxeViolations,
  explainSkip,
  haveChromium,
  launchChromium,
  mustRun,
  viewports,
} from './browser';

/**
 * The archive in the web console, in headless Chromium against the local service (the sweeper,
 * which runs replays, every second): the setting on the queue page, browsing with a filter, and a
 * replay into another queue with its progress bar; axe finds no violations on the archive page.
 */
const { url } = useLocalService({ schedules: { everySeconds: { sweeper: 1, redrive: 1 } } });
const api = (method: string, path: string, body?: unknown) => call(url(), method, path, body);

explainSkip();
const suite = haveChromium || mustRun ? describe : describe.skip;

suite('web console: archive and replay', () => {
  let browser: Browser;
  let page: Page;
  let errors: string[];
  const queue = 'console-archive';
  const audit = 'console-archive-audit';

  beforeAll(async () => {
    browser = await launchChromium();
    const context = await browser.newContext({
      viewport: viewports.laptop,
      locale: 'en-GB',
      timezoneId: 'UTC',
    });
    page = await context.newPage();
    errors = collectPageErrors(page);
    await api('POST', '/queues', { name: queue });
    await api('POST', '/queues', { name: audit });
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('turns the archive on from the settings form, and links to it from the queue page', async () => {
    await page.goto(`${url()}/console#/queues/${queue}`);
    await expect
      .poll(() => page.locator('.counts').textContent(), { timeout: 10_000 })
      .toContain('Archiveoff');
    await page.getByLabel('Archive retention (s)').fill('3600');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect
      .poll(async () => (await api('GET', `/queues/${queue}`)).body.archiveRetentionSeconds)
      .toBe(3600);
    await expect
      .poll(() => page.getByRole('link', { name: 'kept 3,600 s' }).count(), { timeout: 10_000 })
      .toBe(1);
  });

  it('browses the archive with a filter, and replays it into another queue with progress', async () => {
    for (const [body, tenant] of [
      ['first', 'acme'],
      ['second', 'globex'],
      ['third', 'acme'],
    ]) {
      await api('POST', `/queues/${queue}/messages`, { body, attributes: { tenant } });
    }
    // Consumed: gone from the queue, still in the archive.
    const received = await api('POST', `/queues/${queue}/messages/receive`, { maxMessages: 10 });
    expect(received.status).toBe(200);
    await page.getByRole('link', { name: 'kept 3,600 s' }).click();
    await expect.poll(() => page.locator('li.archived').count(), { timeout: 10_000 }).toBe(3);
    expect(await page.locator('li.archived .preview').allTextContents()).toEqual([
      'first',
      'second',
      'third',
    ]);
    await expectNoAxeViolations(page, 'the archive page');

    await page.getByLabel('Attribute name').fill('tenant');
    await page.getByLabel('Attribute value').fill('acme');
    await page.getByRole('button', { name: 'Apply filter' }).click();
    await expect.poll(() => page.locator('li.archived').count()).toBe(2);

    await page.getByLabel('Destination queue (optional)').fill(audit);
    await page.getByRole('button', { name: 'Replay this range' }).click();
    await expect
      .poll(() => page.locator('.progress-status').textContent(), { timeout: 30_000 })
      .toBe(`Replay complete: 2 messages replayed into ${audit}.`);
    expect(await page.locator('progress').getAttribute('value')).toBe('2');
    const replayed = await api('GET', `/queues/${audit}/messages?limit=10`);
    expect(replayed.body.messages.map((m: { body: string }) => m.body).sort()).toEqual(['first', 'third']);
    expect(errors).toEqual([]);
  });
});
