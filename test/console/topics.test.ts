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
  screenshot,
  viewports,
} from './browser';

/**
 * The console's topic pages in headless Chromium against the local service: create a topic,
 * subscribe queues with a filter policy, see the policies, publish a test message and see which
 * subscriptions it matched (and that the matching queues, only they, got it), unsubscribe.
 */
const { url } = useLocalService();
const api = (method: string, path: string, body?: unknown) => call(url(), method, path, body);

explainSkip();
const suite = haveChromium || mustRun ? describe : describe.skip;

suite('console: topics', { timeout: 120_000 }, () => {
  let browser: Browser;
  let page: Page;
  let errors: string[];
  const topic = 'console-orders';
  const paid = 'console-paid';
  const audit = 'console-audit';

  beforeAll(async () => {
    browser = await launchChromium();
    const context = await browser.newContext({
      viewport: viewports.laptop,
      locale: 'en-GB',
      timezoneId: 'UTC',
    });
    page = await context.newPage();
    errors = collectPageErrors(page);
    for (const queue of [paid, audit])
      expect((await api('POST', '/queues', { name: queue })).status).toBe(201);
  });
  afterAll(async () => {
    await browser?.close();
  });

  const row = (queue: string) => page.locator('tbody tr', { hasText: queue });

  it('lists topics and creates one from the form', async () => {
    await page.goto(`${url()}/console`);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Topics' }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('Topics');
    await expect.poll(() => page.locator('table').textContent()).toContain('No topics yet');

    await page.getByLabel('Topic name').fill(topic);
    await page.getByRole('button', { name: 'Create topic' }).click();
    await expect.poll(() => page.locator(`tr[data-key="${topic}"]`).count()).toBe(1);
    expect(await page.locator(`tr[data-key="${topic}"]`).textContent()).toContain(
      `arn:aws:sns:us-east-1:000000000000:${topic}`,
    );
    await expectNoAxeViolations(page, 'the topic list');
    await screenshot(page, 'topic-list-laptop');
  });

  it('subscribes queues, one with a filter policy, and shows the policies', async () => {
    await page.getByRole('link', { name: topic, exact: true }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe(topic);
    await expect.poll(() => page.locator('table').textContent()).toContain('No subscriptions');

    // A policy that is not JSON is caught in the browser, on its field.
    await page.getByLabel('Queue', { exact: true }).fill(paid);
    await page.getByLabel('Filter policy (optional)').fill('{"state": [');
    await page.getByRole('button', { name: 'Subscribe', exact: true }).click();
    await expect
      .poll(() => page.getByLabel('Filter policy (optional)').getAttribute('aria-invalid'))
      .toBe('true');
    // One the service refuses shows SNS's reason.
    await page.getByLabel('Filter policy (optional)').fill('{"total": [{"numeric": ["<"]}]}');
    await page.getByRole('button', { name: 'Subscribe', exact: true }).click();
    const subscribeForm = page.locator('form', {
      has: page.getByRole('button', { name: 'Subscribe', exact: true }),
    });
    await expect
      .poll(() => subscribeForm.locator('[role="alert"]').first().textContent())
      .toContain('FilterPolicy');

    await page.getByLabel('Filter policy (optional)').fill('{"state": ["paid"]}');
    await page.getByLabel('The policy looks at').selectOption('body');
    await page.getByLabel('Raw delivery').check();
    await page.getByRole('button', { name: 'Subscribe', exact: true }).click();
    await expect.poll(() => row(paid).count()).toBe(1);
    expect(await row(paid).textContent()).toMatch(/raw.*on the body.*"state"/s);

    await page.getByLabel('Queue', { exact: true }).fill(audit);
    await page.getByRole('button', { name: 'Subscribe', exact: true }).click();
    await expect.poll(() => row(audit).count()).toBe(1);
    expect(await row(audit).textContent()).toContain('none: every message');
  });

  it('publishes a test message and marks the subscriptions it matched', async () => {
    await page.getByLabel('Message body').fill('{"state": "open"}');
    await page.getByLabel('Subject (optional)').fill('test');
    await page.getByRole('button', { name: 'Publish message' }).click();
    await expect
      .poll(() => page.locator('.result').textContent(), { timeout: 10_000 })
      .toMatch(/matched 1 subscription /);
    expect(await row(audit).textContent()).toContain('matched');
    expect(await row(paid).textContent()).not.toContain('matched');

    await page.getByLabel('Message body').fill('{"state": "paid"}');
    await page.getByLabel('Message attributes (optional)').fill('priority:Number=5\nbad line');
    await page.getByRole('button', { name: 'Publish message' }).click();
    await expect
      .poll(() => page.getByLabel('Message attributes (optional)').getAttribute('aria-invalid'))
      .toBe('true');
    await page.getByLabel('Message attributes (optional)').fill('priority:Number=5');
    await page.getByRole('button', { name: 'Publish message' }).click();
    await expect
      .poll(() => page.locator('.result').textContent(), { timeout: 10_000 })
      .toMatch(/matched 2 subscriptions/);
    expect(await row(paid).textContent()).toContain('matched');
    await expectNoAxeViolations(page, 'the topic page');
    await screenshot(page, 'topic-page-laptop');

    // What the queues got: paid only the paid order, as published; audit both, enveloped.
    const toPaid = await api('POST', `/queues/${paid}/messages/receive`, { maxMessages: 10 });
    expect(toPaid.body.messages.map((m: { body: string }) => m.body)).toEqual(['{"state": "paid"}']);
    const toAudit = await api('POST', `/queues/${audit}/messages/receive`, { maxMessages: 10 });
    const envelopes = toAudit.body.messages.map((m: { body: string }) => JSON.parse(m.body));
    expect(envelopes.map((e: { Message: string }) => e.Message).sort()).toEqual([
      '{"state": "open"}',
      '{"state": "paid"}',
    ]);
    expect(envelopes.find((e: { Subject?: string }) => e.Subject === 'test')).toBeDefined();
  });

  it('unsubscribes after confirming, and a missing topic gets a not-found page', async () => {
    await row(audit)
      .getByRole('button', { name: `Unsubscribe ${audit}` })
      .click();
    await page.getByRole('dialog').getByRole('button', { name: 'Unsubscribe' }).click();
    await expect.poll(() => row(audit).count()).toBe(0);
    const left = await api('GET', `/topics/${topic}/subscriptions`);
    expect(left.body.subscriptions).toHaveLength(1);

    await page.goto(`${url()}/console#/topics/no-such-topic`);
    await expect.poll(() => page.locator('h1').textContent()).toBe('Topic not found');
    await page.getByRole('link', { name: 'Back to the topics' }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('Topics');
    // The browser logs the refused calls (the bad policy, the missing topic) as failed loads; nothing else.
    expect(errors.filter((e) => !e.startsWith('Failed to load resource'))).toEqual([]);
  });
});
