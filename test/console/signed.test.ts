import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newAccessKey } from '../../functions/dialects/sqs/new-access-key';
import type { AccessKey } from '../../functions/queue/ports/access-key-store';
import { useLocalService } from '../support/local-service';
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
 * The console against a service that requires signatures (locally: once an access key exists, as
 * API Gateway's IAM authorizer does deployed): it asks for credentials, refuses wrong ones with
 * the API's reason, and signs every call (reads, writes with bodies, queries) once given good ones.
 */
const { service, url } = useLocalService();

explainSkip();
const suite = haveChromium || mustRun ? describe : describe.skip;

suite('web console with signed requests', () => {
  let browser: Browser;
  let page: Page;
  let errors: string[];
  let key: AccessKey;

  beforeAll(async () => {
    const { runtime } = service();
    key = newAccessKey({ accountId: runtime.account, now: Date.now(), description: 'console test' });
    await runtime.accessKeys.createKey(key);
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

  it('serves the page unsigned, then asks for credentials when the API refuses', async () => {
    expect((await fetch(`${url()}/queues`)).status).toBe(401);
    await page.goto(`${url()}/console`);
    await expect.poll(() => page.locator('h1').textContent(), { timeout: 10_000 }).toBe('Sign in');
    expect(await page.locator('.notice').textContent()).toContain('MissingAuthenticationToken');
    expect(await page.getByLabel('Region').inputValue()).toBe('us-east-1');
    await screenshot(page, 'sign-in-laptop');
    await expectNoAxeViolations(page, 'the sign-in form');
  });

  it('refuses a wrong secret with the API reason', async () => {
    await page.getByLabel('Access key id').fill(key.accessKeyId);
    await page.getByLabel('Secret access key').fill(`${key.secretAccessKey}x`);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect
      .poll(() => page.locator('form [role="alert"]').textContent())
      .toContain('SignatureDoesNotMatch');
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
  });

  it('signs every call once signed in: list, create, send, peek, dead letters', async () => {
    await page.getByLabel('Secret access key').fill(key.secretAccessKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.locator('h1').textContent(), { timeout: 10_000 }).toBe('Queues');
    expect(await page.locator('#account').textContent()).toContain(key.accessKeyId);

    await page.getByLabel('Queue name').fill('signed-jobs');
    await page.getByRole('button', { name: 'Create queue' }).click();
    await page.getByRole('link', { name: 'signed-jobs' }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('signed-jobs');
    await page.getByLabel('Message body').fill('signed hello');
    await page.getByRole('button', { name: 'Send message' }).click();
    await expect.poll(() => page.locator('.result').textContent()).toMatch(/^Sent message /);
    await page.getByRole('button', { name: 'Peek at messages' }).click();
    await expect.poll(() => page.locator('.messages .message').count()).toBe(1);
    await expect.poll(() => page.locator('.tile-value').first().textContent(), { timeout: 10_000 }).toBe('1');

    await page.goto(`${url()}/console#/queues/signed-jobs/dead-letters`);
    await expect.poll(() => page.locator('li.empty').count(), { timeout: 10_000 }).toBe(1);
  });

  it('forgets the credentials on sign-out', async () => {
    await page.goto(`${url()}/console#/`);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect.poll(() => page.locator('h1').textContent(), { timeout: 10_000 }).toBe('Sign in');
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
  });

  it('logged nothing but the refusals it provoked', () => {
    expect(errors.filter((error) => !/status of 40[13]/.test(error))).toEqual([]);
  });
}, 90_000);
