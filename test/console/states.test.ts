import type { Browser, Page, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, useLocalService } from '../support/local-service';
import {
  expectNoAxeViolations,
  explainSkip,
  haveChromium,
  launchChromium,
  mustRun,
  viewports,
} from './browser';

/**
 * The console's in-between states, in headless Chromium against the local service: the queue list
 * before its first answer (loading, then failed), the depth chart's axis with six-digit depths,
 * an empty queue's oldest-message age, and the page of a queue that does not exist. Slow or
 * failing answers are made by holding or replacing the API's responses in the browser.
 */
const { url } = useLocalService();
const api = (method: string, path: string, body?: unknown) => call(url(), method, path, body);

explainSkip();
const suite = haveChromium || mustRun ? describe : describe.skip;

/** The API's queue list (not the console's own page at /console). */
const isQueueList = (address: URL) => address.pathname === '/queues';

suite('web console states', () => {
  let browser: Browser;
  const errors: string[] = [];

  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  async function newPage(viewport: { width: number; height: number } = viewports.laptop): Promise<Page> {
    const context = await browser.newContext({ viewport, locale: 'en-GB', timezoneId: 'UTC' });
    const page = await context.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    page.on('pageerror', (error) => errors.push(error.message));
    return page;
  }

  const emptyCell = (page: Page) => page.locator('tbody td.empty');

  it('queue list: says Loading until the first answer, and "No queues match." only after an empty one', async () => {
    const page = await newPage();
    let release!: () => void;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    await page.route(isQueueList, async (route: Route) => {
      await released;
      await route.continue();
    });
    await page.goto(`${url()}/console`);
    await expect.poll(() => emptyCell(page).textContent()).toBe('Loading queues…');
    expect(await page.locator('table.data').getAttribute('aria-busy')).toBe('true');
    expect(await page.locator('.summary').textContent()).toBe('');
    await expectNoAxeViolations(page, 'the queue list while loading');
    // Typing in the filter before the answer does not claim that nothing matches.
    await page.getByLabel('Filter by name').fill('x');
    expect(await emptyCell(page).textContent()).toBe('Loading queues…');
    await page.getByLabel('Filter by name').fill('');

    release();
    await expect.poll(() => emptyCell(page).textContent(), { timeout: 10_000 }).toBe('No queues match.');
    expect(await page.locator('table.data').getAttribute('aria-busy')).toBe('false');
    expect(await page.locator('.summary').textContent()).toBe('0 queues, 0 visible messages.');
    await page.context().close();
  });

  it('queue list: a failed first load says so, not "No queues match."', async () => {
    const page = await newPage();
    await page.route(isQueueList, (route: Route) =>
      route.fulfill({
        status: 503,
        contentType: 'application/problem+json',
        body: JSON.stringify({
          status: 503,
          title: 'Service Unavailable',
          detail: 'The store is unreachable',
        }),
      }),
    );
    await page.goto(`${url()}/console`);
    await expect
      .poll(() => page.locator('p.error:not([hidden])').textContent(), { timeout: 10_000 })
      .toBe('The store is unreachable');
    expect(await emptyCell(page).textContent()).toBe('Could not load the queues; retrying.');
    expect(await page.locator('table.data').getAttribute('aria-busy')).toBe('false');
    await page.context().close();
  });

  it("an empty queue's oldest message reads –, and a waiting one its age", async () => {
    expect((await api('POST', '/queues', { name: 'idle' })).status).toBe(201);
    const page = await newPage();
    await page.goto(`${url()}/console`);
    const oldest = page.locator('tr[data-key="idle"] [data-label="Oldest message"]');
    await expect.poll(() => oldest.textContent()).toBe('–');
    await page.goto(`${url()}/console#/queues/idle`);
    const tile = page.locator('.tile', { hasText: 'Oldest message' }).locator('.tile-value');
    await expect.poll(() => tile.textContent()).toBe('–');

    await api('POST', '/queues/idle/messages', { body: 'waiting' });
    await page.getByRole('button', { name: 'Pause live refresh' }).click();
    await page.getByRole('button', { name: 'Resume live refresh' }).click();
    await expect.poll(() => tile.textContent(), { timeout: 15_000 }).toMatch(/^\d+ s$/);
    await page.context().close();
  });

  for (const [width, viewport] of Object.entries(viewports)) {
    it(`depth chart: six-digit axis labels fit inside the chart (${width})`, async () => {
      await api('POST', '/queues', { name: 'deep' });
      const page = await newPage(viewport);
      const start = Date.parse('2026-12-05T00:00:00Z');
      const minutes = Array.from({ length: 60 }, (_, n) => ({
        minute: new Date(start + n * 60_000).toISOString(),
        sent: 1500 + n,
        received: 20,
        deleted: 20,
        deadLettered: 0,
        redriven: 0,
        visible: 100_000 - n * 10,
        inFlight: 250,
        delayed: 0,
      }));
      await page.route(
        (address: URL) => address.pathname === '/queues/deep/stats',
        (route: Route) =>
          route.fulfill({
            status: 200,
            contentType: 'application/json',
            body: JSON.stringify({ name: 'deep', minutes }),
          }),
      );
      await page.goto(`${url()}/console#/queues/deep`);
      await expect.poll(() => page.locator('svg.chart').count(), { timeout: 10_000 }).toBe(2);
      const labels = await page.locator('svg.chart').evaluateAll((charts) =>
        charts.flatMap((chart) => {
          const viewBox = (chart as SVGSVGElement).viewBox.baseVal;
          return Array.from(chart.querySelectorAll<SVGTextElement>('text.axis')).map((text) => {
            const box = text.getBBox();
            return {
              text: text.textContent,
              box: [box.x, box.y, box.width, box.height].map(Math.round).join(' '),
              inside:
                box.x >= viewBox.x &&
                box.y >= viewBox.y &&
                box.x + box.width <= viewBox.x + viewBox.width &&
                box.y + box.height <= viewBox.y + viewBox.height,
            };
          });
        }),
      );
      expect(labels.filter((label) => !label.inside)).toEqual([]);
      expect(labels.map((label) => label.text)).toContain('100K');
      await page.context().close();
    });
  }

  it('the page of a queue that does not exist says so, without forms, and stops refreshing', async () => {
    const page = await newPage();
    const asked: string[] = [];
    page.on('request', (request) => {
      if (new URL(request.url()).pathname.startsWith('/queues/nowhere')) asked.push(request.url());
    });
    await page.goto(`${url()}/console#/queues/nowhere`);
    await expect.poll(() => page.locator('h1').textContent()).toBe('Queue not found');
    expect(await page.title()).toBe('Queue not found · Queue console');
    expect(await page.locator('[role="alert"]').textContent()).toContain('There is no queue named “nowhere”');
    expect(await page.locator('main form, main button').count()).toBe(0);
    await expectNoAxeViolations(page, 'the page of a missing queue');

    // The refresh runs every 5 s: after 6 s, no more requests about the missing queue.
    const before = asked.length;
    await page.waitForTimeout(6_000);
    expect(asked.length).toBe(before);
    await page.getByRole('link', { name: 'Back to the queues' }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('Queues');
    await page.context().close();
  });

  it('logged no errors but the refusals the tests asked for', () => {
    expect(errors.filter((error) => !/status of (404|503)/.test(error))).toEqual([]);
  });
}, 120_000);
