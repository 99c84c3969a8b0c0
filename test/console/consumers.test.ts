import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTargetServer, type TargetServer, until } from '../push/target-server';
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
 * A queue's push consumers in the web console, in headless Chromium against the local service with
 * its dispatcher running: reach the page from the queue page, see refusals (the browser's range
 * check, then the API's own words), attach a consumer pushing to a real loopback HTTP server (which
 * gets a message sent afterwards), see its signing secret once, pause, resume and delete it; a
 * failing list call and a missing queue read as words, not a blank page.
 */
const { url } = useLocalService({ push: true });
const api = (method: string, path: string, body?: unknown) => call(url(), method, path, body);

explainSkip();
const suite = haveChromium || mustRun ? describe : describe.skip;

suite('web console: push consumers', { timeout: 120_000 }, () => {
  let browser: Browser;
  let page: Page;
  let errors: string[];
  let target: TargetServer;
  const queue = 'console-push';
  const fifo = 'console-push.fifo';

  beforeAll(async () => {
    target = await startTargetServer();
    browser = await launchChromium();
    const context = await browser.newContext({
      viewport: viewports.laptop,
      locale: 'en-GB',
      timezoneId: 'UTC',
    });
    page = await context.newPage();
    errors = collectPageErrors(page);
    expect((await api('POST', '/queues', { name: queue })).status).toBe(201);
    expect((await api('POST', '/queues', { name: fifo, fifo: true })).status).toBe(201);
  });
  afterAll(async () => {
    await browser?.close();
    await target?.close();
  });

  const row = () => page.locator('tbody tr', { hasText: target.url });
  const createForm = () =>
    page.locator('form', { has: page.getByRole('button', { name: 'Create consumer' }) });
  const consumersOf = async (name: string) =>
    (await api('GET', `/queues/${encodeURIComponent(name)}/consumers`)).body.consumers;

  it('is reached from the queue page, and shows refusals on their fields', async () => {
    await page.goto(`${url()}/console#/queues/${queue}`);
    await page.getByRole('link', { name: '0 push consumers' }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe(`Consumers of ${queue}`);
    await expect
      .poll(() => page.locator('table').textContent(), { timeout: 10_000 })
      .toContain('No consumers');

    // Out of the documented range: the browser stops it on the field.
    await page.getByLabel('Address').fill(target.url);
    await page.getByLabel('Batch size').fill('0');
    await page.getByRole('button', { name: 'Create consumer' }).click();
    await expect.poll(() => page.getByLabel('Batch size').getAttribute('aria-invalid')).toBe('true');

    // What only the service checks comes back in its own words, on the field it names.
    await page.getByLabel('Batch size').fill('5');
    await page.getByLabel('Address').fill('ftp://example.com/hook');
    await page.getByRole('button', { name: 'Create consumer' }).click();
    await expect
      .poll(() => createForm().locator('[role="alert"]').first().textContent())
      .toContain('target.url must be an absolute http or https URL without credentials');
    expect(await page.getByLabel('Address').getAttribute('aria-invalid')).toBe('true');
    expect(await consumersOf(queue)).toEqual([]);
  });

  it('creates an HTTP consumer, shows its secret once, and it delivers', async () => {
    await page.getByLabel('Address').fill(target.url);
    await page.getByLabel('Report item failures').check();
    await page.getByRole('button', { name: 'Create consumer' }).click();
    await expect.poll(() => row().count()).toBe(1);
    expect(await row().textContent()).toMatch(/HTTP.*5.*0.*5.*reported.*delivering/s);

    const notice = page.getByRole('region', { name: 'Signing secret: shown only once' });
    expect(await notice.textContent()).toContain('will show it again');
    const secret = (await notice.locator('code').textContent()) ?? '';
    expect(secret).toMatch(/^[\w-]{43}$/);
    const [consumer] = await consumersOf(queue);
    expect(consumer).toMatchObject({ target: { url: target.url }, batchSize: 5, enabled: true });
    expect(consumer.secret).toBeUndefined();
    await expectNoAxeViolations(page, 'the consumers page');
    await screenshot(page, 'consumers-laptop');
    await page.setViewportSize(viewports.phone);
    await expectNoAxeViolations(page, 'the consumers page on a phone');
    await screenshot(page, 'consumers-phone', { maxHeight: 2400 });
    await page.setViewportSize(viewports.laptop);

    // The consumer is real: a message sent now is pushed to the server, signed.
    await api('POST', `/queues/${queue}/messages`, { body: 'pushed from the console test' });
    await until(() => target.deliveries.length > 0);
    expect(target.deliveries[0]!.event.Records[0]!.body).toBe('pushed from the console test');
    expect(target.deliveries[0]!.headers['x-queue-signature']).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);

    await notice.getByRole('button', { name: 'I have copied it' }).click();
    await expect.poll(() => page.getByText(secret).count()).toBe(0);
  });

  it('pauses, resumes and deletes it after confirming', async () => {
    await row()
      .getByRole('button', { name: `Pause ${target.url}` })
      .click();
    await expect.poll(() => row().textContent()).toContain('paused');
    expect((await consumersOf(queue))[0].enabled).toBe(false);
    expect(await page.locator('[aria-labelledby="consumers-title"] [role="status"]').textContent()).toBe(
      `Delivery to ${target.url} paused: its messages wait in ${queue}.`,
    );

    await row()
      .getByRole('button', { name: `Resume ${target.url}` })
      .click();
    await expect.poll(() => row().textContent()).toContain('delivering');
    expect((await consumersOf(queue))[0].enabled).toBe(true);

    await row()
      .getByRole('button', { name: `Delete ${target.url}` })
      .click();
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
    expect(await consumersOf(queue)).toHaveLength(1);
    await row()
      .getByRole('button', { name: `Delete ${target.url}` })
      .click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete consumer' }).click();
    await expect.poll(() => row().count()).toBe(0);
    expect(await consumersOf(queue)).toEqual([]);
    expect(await page.locator('table').textContent()).toContain('No consumers');
  });

  it("shows the API's limit for a FIFO queue's batch, and creates a paused module consumer", async () => {
    await page.goto(`${url()}/console#/queues/${encodeURIComponent(fifo)}/consumers`);
    await expect.poll(() => page.locator('h1').textContent()).toBe(`Consumers of ${fifo}`);
    await page.getByLabel('Target', { exact: true }).selectOption('module');
    await page.getByLabel('Address').fill('./consumer.mjs#handler');
    await page.getByLabel('Batch size').fill('11');
    await page.getByLabel('Start delivering at once').uncheck();
    await page.getByRole('button', { name: 'Create consumer' }).click();
    await expect
      .poll(() => createForm().locator('[role="alert"]').first().textContent())
      .toMatch(/batchSize must be an integer from 1 to 10, but 11 was given/);
    expect(await page.getByLabel('Batch size').getAttribute('aria-invalid')).toBe('true');

    await page.getByLabel('Batch size').fill('10');
    await page.getByRole('button', { name: 'Create consumer' }).click();
    const moduleRow = page.locator('tbody tr', { hasText: './consumer.mjs#handler' });
    await expect.poll(() => moduleRow.count()).toBe(1);
    expect(await moduleRow.textContent()).toMatch(/module.*10.*paused/s);
    // No secret for a target that is not HTTP.
    expect(await page.getByRole('region', { name: /Signing secret/ }).count()).toBe(0);
    expect(await consumersOf(fifo)).toMatchObject([{ enabled: false, batchSize: 10 }]);
  });

  it('says in words when the list fails, and when the queue does not exist', async () => {
    await page.route(
      (address) => address.pathname.endsWith('/consumers'),
      (route) =>
        route.fulfill({
          status: 503,
          contentType: 'application/problem+json',
          body: JSON.stringify({
            type: 'about:blank',
            title: 'Service Unavailable',
            status: 503,
            detail: 'The service is busy; try again',
            code: 'ServiceUnavailable',
          }),
        }),
    );
    await page.goto(`${url()}/console#/queues/${queue}/consumers`);
    await expect
      .poll(() => page.locator('main [role="alert"]').first().textContent(), { timeout: 10_000 })
      .toBe('The service is busy; try again (ServiceUnavailable)');
    expect(await page.locator('table').textContent()).toContain('The consumers could not be loaded');
    await page.unrouteAll();

    await page.goto(`${url()}/console#/queues/no-such-queue/consumers`);
    await expect.poll(() => page.locator('h1').textContent(), { timeout: 10_000 }).toBe('Queue not found');
    // The browser logs the refused calls as failed loads; nothing else (no uncaught exception).
    expect(errors.filter((e) => !/status of (400|404|503)/.test(e))).toEqual([]);
  });
});
