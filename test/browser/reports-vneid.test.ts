import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportDir } from '../../src/reconcile/configured-job.js';
import type { ReconciliationReport } from '../../src/reconcile/types.js';
import { drawn, expectAccessible, launchBrowser, login, newPage, skipReason, startTestConsole, type TestConsole } from './support.js';

/**
 * The reconciliation page shows the report's VNeID column when the job publishes credentials after
 * the hub: the counts, and every record not published as the hub holds it.
 */
const reason = skipReason();

describe.skipIf(reason !== null)(`the report page's VNeID column in chromium${reason ? ` (skipped: ${reason})` : ''}`, () => {
  let browser: Browser;
  let app: TestConsole;

  beforeAll(async () => {
    [app, browser] = await Promise.all([startTestConsole(), launchBrowser()]);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('shows the counts and the records that are not published as the hub holds them', async () => {
    const dir = reportDir(app.ctx.loaded, 'diplomas');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'reconciliation.json');
    const report = JSON.parse(readFileSync(file, 'utf8')) as ReconciliationReport;
    report.credentials = {
      target: 'vneid/vneid-vanbang',
      counts: { published: 7, missing: 1, hashDiffers: 1, revoked: 2, wrongState: 0 },
      entries: [
        { idbanghi: 'id-missing', sourceKey: '11', state: 'missing', hubHash: 'a'.repeat(64) },
        { idbanghi: 'id-old', sourceKey: '12', state: 'hashDiffers', hubHash: 'b'.repeat(64), heldHash: 'c'.repeat(64) },
        { idbanghi: 'id-revoked', sourceKey: '13', state: 'revoked', hubHash: 'd'.repeat(64), heldHash: 'e'.repeat(64) },
      ],
    };
    writeFileSync(file, JSON.stringify(report));
    const { context, page, errors } = await newPage(browser);
    await login(page, app.url, 'viewer');
    await page.goto(`${app.url}/reports?job=diplomas`);
    await drawn(page);
    await expect.poll(() => page.getByRole('heading', { name: 'Chứng thư VNeID của các bản ghi trục đang giữ' }).count(), { timeout: 10_000 }).toBe(1);
    const text = (await page.locator('main').textContent()) ?? '';
    expect(text).toContain('Tra cứu tại vneid/vneid-vanbang bằng QueryCredentials.');
    expect(text).toMatch(/Đã công bố\s*7/);
    expect(text).toMatch(/Đã thu hồi\s*2/);
    // the records to look at: missing and hash differs (a revoked one is as the hub holds it)
    expect(text).toContain('id-missing');
    expect(text).toContain('id-old');
    expect(text).not.toContain('id-revoked');
    await expectAccessible(page, 'report with the VNeID column');
    expect(errors).toEqual([]);
    await context.close();
  }, 60_000);
});
