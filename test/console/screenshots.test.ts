import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handler as sweeper } from '../../functions/handlers/sweeper';
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
 * The console's pages with three quarters of an hour of history behind them, for the README: the
 * service runs on a clock the test moves a minute at a time, sending, receiving, deleting most
 * (one payment in five fails and is dead-lettered) and sweeping, so the statistics and the chart
 * have something to show. Screenshots go to test-artifacts/console/docs-*.png; docs/screenshots/
 * holds copies checked by eye.
 */
let offsetMs = 0;
const { url } = useLocalService({ clock: { now: () => Date.now() + offsetMs } });
const api = (method: string, path: string, body?: unknown) => call(url(), method, path, body);

explainSkip();
const suite = haveChromium || mustRun ? describe : describe.skip;
const minutes = 45;

async function simulateHistory(): Promise<void> {
  offsetMs = -(minutes + 1) * 60_000;
  await api('POST', '/queues', { name: 'payments-dlq' });
  await api('POST', '/queues', {
    name: 'payments',
    visibilityTimeoutSeconds: 30,
    deadLetterQueue: 'payments-dlq',
    maxReceiveCount: 1,
  });
  await api('POST', '/queues', { name: 'emails', delaySeconds: 0 });
  await api('POST', '/queues', { name: 'thumbnails', visibilityTimeoutSeconds: 120 });
  const tenants = ['acme', 'globex', 'initech'];
  for (let m = minutes; m >= 1; m--) {
    offsetMs = -m * 60_000;
    const sends = 6 + Math.round(4 * Math.sin(m / 6));
    await api('POST', '/queues/payments/messages', {
      messages: Array.from({ length: sends }, (_, i) => ({
        id: `m${i}`,
        body: JSON.stringify({ payment: `p-${m}-${i}`, amount: (m * 7 + i * 13) % 500, currency: 'EUR' }),
        attributes: { tenant: tenants[(m + i) % 3]! },
      })),
    });
    await api('POST', '/queues/emails/messages', { body: `welcome mail ${m}` });
    const received = await api('POST', '/queues/payments/messages/receive', { maxMessages: 7 });
    const messages: { receiptHandle: string }[] = received.body.messages ?? [];
    // One in five fails: not deleted, its lease expires and (maxReceiveCount 1) it is dead-lettered.
    const done = messages.filter((_, i) => i % 5 !== 4);
    if (done.length > 0) {
      await api('POST', '/queues/payments/messages/delete', {
        entries: done.map((message, i) => ({ id: `d${i}`, receiptHandle: message.receiptHandle })),
      });
    }
    if (m % 3 === 0)
      await api('POST', '/queues/emails/messages/receive', { maxMessages: 2, visibilityTimeoutSeconds: 600 });
    await sweeper({}, { getRemainingTimeInMillis: () => 30_000 });
  }
  offsetMs = 0;
  await api('POST', '/queues/thumbnails/messages', { body: 'resize photo 42', delaySeconds: 600 });
  await sweeper({}, { getRemainingTimeInMillis: () => 30_000 });
}

suite('console screenshots with history', () => {
  let browser: Browser;
  let errors: string[] = [];

  beforeAll(async () => {
    await simulateHistory();
    browser = await launchChromium();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
  });

  async function open(viewport: keyof typeof viewports): Promise<Page> {
    const context = await browser.newContext({
      viewport: viewports[viewport],
      locale: 'en-GB',
      timezoneId: 'UTC',
      ...(viewport === 'phone' ? { isMobile: true, hasTouch: true } : {}),
    });
    const page = await context.newPage();
    errors = [...errors, ...collectPageErrors(page)];
    return page;
  }

  it.each(['laptop', 'phone'] as const)('%s: queue list, queue page, dead letters', async (viewport) => {
    const page = await open(viewport);
    await page.goto(`${url()}/console`);
    await expect
      .poll(() => page.locator('tr[data-key="payments"] [data-label="Dead letters"]').textContent(), {
        timeout: 15_000,
      })
      .not.toBe('0');
    await screenshot(page, `docs-queue-list-${viewport}`);
    await expectNoAxeViolations(page, 'the queue list');

    await page.goto(`${url()}/console#/queues/payments`);
    await expect
      .poll(() => page.locator('svg.chart polyline').count(), { timeout: 15_000 })
      .toBeGreaterThan(3);
    await page.getByRole('button', { name: 'Peek at messages' }).click();
    await expect.poll(() => page.locator('.messages .message').count()).toBeGreaterThan(0);
    await page.locator('.messages details summary').first().click();
    await screenshot(page, `docs-queue-page-${viewport}`, { maxHeight: 2600 });
    await expectNoAxeViolations(page, 'the queue page');

    await page.goto(`${url()}/console#/queues/payments-dlq/dead-letters`);
    await expect.poll(() => page.locator('li.dead-letter').count(), { timeout: 10_000 }).toBeGreaterThan(2);
    await page.locator('li.dead-letter').nth(1).locator('input[type="checkbox"]').check();
    await page.locator('li.dead-letter').first().locator('input[type="checkbox"]').check();
    await page.locator('li.dead-letter summary').first().click();
    await screenshot(page, `docs-dead-letters-${viewport}`, { maxHeight: 2200 });
    await expectNoAxeViolations(page, 'the dead letters page');
    await page.context().close();
  });

  it('logged no errors', () => {
    expect(errors).toEqual([]);
  });
}, 120_000);
