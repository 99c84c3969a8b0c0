import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, useLocalService } from '../support/local-service';
import { collectPageErrors, explainSkip, haveChromium, launchChromium, mustRun, viewports } from './browser';

/**
 * Scheduled messages in the web console (headless Chromium against the local service): the peek
 * panel shows them with their delivery time, lists only them on request, and cancels one with a
 * button; the cancelled message is gone from the queue.
 */
const { url } = useLocalService();
const api = (method: string, path: string, body?: unknown) => call(url(), method, path, body);

explainSkip();
const suite = haveChromium || mustRun ? describe : describe.skip;

suite('web console: scheduled messages', () => {
  let browser: Browser;
  let page: Page;
  let errors: string[];
  beforeAll(async () => {
    browser = await launchChromium();
    const context = await browser.newContext({
      viewport: viewports.laptop,
      locale: 'en-GB',
      timezoneId: 'UTC',
    });
    page = await context.newPage();
    errors = collectPageErrors(page);
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('shows scheduled messages and cancels one', async () => {
    const queue = `sched-console-${Date.now()}`;
    expect((await api('POST', '/queues', { name: queue })).status).toBe(201);
    const deliverAt = new Date(Date.now() + 3_600_000).toISOString();
    const { body: drop } = await api('POST', `/queues/${queue}/messages`, { body: 'drop me', deliverAt });
    await api('POST', `/queues/${queue}/messages`, { body: 'keep me', delaySeconds: 7_200 });
    await api('POST', `/queues/${queue}/messages`, { body: 'ready' });

    await page.goto(`${url()}/console#/queues/${queue}`);
    await page.getByLabel('Scheduled only').check();
    await page.getByRole('button', { name: 'Peek at messages' }).click();
    await expect.poll(() => page.locator('.messages .message').count()).toBe(2);
    const first = page.locator('.messages .message').first();
    await first.locator('summary').click();
    expect(await first.textContent()).toContain('drop me');
    expect(await first.textContent()).toContain('Deliver at');
    await first.getByRole('button', { name: 'Cancel delivery' }).click();
    await expect.poll(() => page.locator('.messages .message').count()).toBe(1);
    await expect.poll(() => page.getByText(`Message ${drop.messageId} cancelled`).count()).toBe(1);

    const left = await api('GET', `/queues/${queue}/messages?state=delayed`);
    expect(left.body.messages.map((m: { body: string }) => m.body)).toEqual(['keep me']);
    const again = await api('DELETE', `/queues/${queue}/messages/scheduled/${drop.messageId}`);
    expect(again.status).toBe(404);
    expect(errors).toEqual([]);
  });
});
