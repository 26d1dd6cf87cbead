import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSigningFixture, SIGNER_PASSWORD, SIGNING_JOB, type SigningFixture } from '../../src/server/routes/testing/signing-fixture.js';
import { drawn, expectAccessible, launchBrowser, newPage, screenshot, skipReason } from './support.js';

/**
 * The review before signing in Debian's Chromium against the real console: the school-record job
 * with remote signing in review, the remote signing simulator in manual policy. A subject teacher
 * approves their class's subject ("Ký", after the confirmation dialog) and the request reaches the
 * signing service; the principal reads the class summary with its anomalies, returns ONE pupil's
 * record with a reason and signs the rest of the class; an operator asks the returned record again.
 * Each page without console errors or serious axe-core violations.
 */
const skip = skipReason();
let f: SigningFixture;
let base: string;
let browser: Browser;

beforeAll(async () => {
  if (skip) return;
  // two pupils a class: a principal can return one of them and sign the other
  f = await openSigningFixture(8);
  base = await f.app.listen({ host: '127.0.0.1', port: 0 });
  browser = await launchBrowser();
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await f?.close();
});

async function signIn(page: Page, username: string): Promise<void> {
  await page.goto(`${base}/login`);
  await page.getByLabel('Tên đăng nhập').fill(username);
  await page.getByLabel('Mật khẩu').fill(SIGNER_PASSWORD);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  // a signer's console is the review: the dashboard's address takes them there
  await page.waitForURL(`${base}/signing`);
  await drawn(page);
}

describe.skipIf(skip !== null)('review before signing in the browser', () => {
  it("a subject teacher sees only the review, reads their subject's scores per pupil and approves after the confirmation", async () => {
    const { context, page, errors } = await newPage(browser);
    try {
      await signIn(page, 'gv.toan');
      expect(await page.locator('h1').textContent()).toBe('Ký duyệt học bạ');
      expect(await page.locator('#nav a').allTextContents()).toEqual(['Ký duyệt học bạ']);
      const mine = (await f.store.signingRequests(SIGNING_JOB, { state: ['review'], signerId: f.ids.teacher }));
      expect(mine.length).toBeGreaterThan(0);
      expect(await page.locator('#signing-list a').count()).toBe(mine.length);
      await expectAccessible(page, 'the signing list');
      await screenshot(page, 'signing-list-1366');

      await page.locator('#signing-list a').first().click();
      await drawn(page);
      const id = decodeURIComponent(new URL(page.url()).pathname.split('/').pop() ?? '');
      const request = mine.find((r) => r.id === id);
      expect(request).toBeDefined();
      expect(await page.locator('h1').textContent()).toMatch(/^Ký duyệt: Môn \S+, lớp /);
      expect(await page.locator('table tbody tr').count()).toBe(request?.items);
      expect(await page.locator('main').textContent()).not.toMatch(/\d{12}/);
      await expectAccessible(page, 'a subject request');

      // cancelled: nothing sent
      const before = f.signing.pending().length;
      await page.getByRole('button', { name: 'Ký', exact: true }).click();
      await expect.poll(() => page.locator('#confirm').getAttribute('open')).not.toBeNull();
      await page.locator('#confirm-cancel').click();
      expect((await f.store.getSigningRequest(id))?.state).toBe('review');
      await page.getByRole('button', { name: 'Ký', exact: true }).click();
      await page.locator('#confirm-ok').click();
      await page.locator('.notice').waitFor();
      expect(await page.locator('.notice').textContent()).toBe('Đã gửi yêu cầu ký tới điện thoại của bạn.');
      expect((await f.store.getSigningRequest(id))?.state).toBe('requested');
      expect(f.signing.pending().length).toBe(before + 1);
      expect(f.signing.pending().at(-1)?.personalId).toBe(f.ids.teacher);
      expect(await page.getByRole('button', { name: 'Ký', exact: true }).count()).toBe(0);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it("the principal reads the class summary with its anomalies, returns one pupil's record with a required reason, and signs the rest", async () => {
    const principal = await f.advanceTo('principal', 2);
    const items = await f.store.signingItemsOf(principal.id);
    const [item] = items;
    await f.store.recordWarnings([{ job: SIGNING_JOB, sourceKey: 'k-anomaly', idbanghi: item?.idbanghi ?? null, warnings: [{ field: 'data.bangdiem', code: 'REGULAR_TEST_COUNT_MISMATCH', message: 'TOA: 3 regular tests, 4 expected' }], runId: 'r', updatedAt: new Date().toISOString() }]);
    const { context, page, errors } = await newPage(browser, { width: 390, height: 844 });
    try {
      await signIn(page, 'hieutruong');
      await page.locator(`#signing-list a[href="/signing/${encodeURIComponent(principal.id)}"]`).click();
      await drawn(page);
      expect(await page.locator('h1').textContent()).toMatch(/^Ký duyệt: Hiệu trưởng, lớp /);
      expect(await page.getByRole('heading', { name: 'Tóm tắt lớp' }).count()).toBe(1);
      expect(await page.getByRole('heading', { name: /^Điểm bất thường \(\d+\)$/ }).textContent()).not.toBe('Điểm bất thường (0)');
      expect(await page.locator('main').textContent()).toContain('REGULAR_TEST_COUNT_MISMATCH');
      const pupilRows = page.getByRole('region', { name: /^Kết quả cả năm, lớp / }).locator('tbody tr');
      expect(await pupilRows.count()).toBe(principal.items);
      await expectAccessible(page, 'a principal request');
      await screenshot(page, 'signing-principal-390');
      // on a phone nothing is wider than the screen but the tables' own scrolling
      expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);

      // one pupil of the class, by name: the reason is required, an empty one sends nothing
      const options = await page.getByLabel('Trả lại', { exact: true }).locator('option').allTextContents();
      expect(options).toEqual([`Cả yêu cầu (${principal.items} học sinh)`, ...options.slice(1)]);
      expect(options).toHaveLength(principal.items + 1);
      const pupil = (options[1] ?? '').replace(/^Chỉ học bạ của /, '');
      await page.getByLabel('Trả lại', { exact: true }).selectOption({ label: options[1] ?? '' });
      await page.getByRole('button', { name: 'Trả lại', exact: true }).click();
      expect((await f.store.getSigningRequest(principal.id))?.items).toBe(principal.items);
      await page.getByLabel('Lý do trả lại').fill('Kiểm tra lại số bài kiểm tra thường xuyên môn Toán của em này');
      await page.getByRole('button', { name: 'Trả lại', exact: true }).click();
      await page.locator('.notice').waitFor();
      expect(await page.locator('.notice').textContent()).toBe(`Đã trả lại học bạ của ${pupil} kèm lý do; các học bạ còn lại của yêu cầu vẫn chờ duyệt ký.`);

      // exactly one record went back: the request is still in review with the others, and so is the page
      const after = await f.store.getSigningRequest(principal.id);
      expect(after).toMatchObject({ state: 'review', items: principal.items - 1 });
      const returned = await f.store.signingDocuments(SIGNING_JOB, ['returned']);
      const mine = returned.filter((d) => items.some((i) => i.idbanghi === d.idbanghi));
      expect(mine.map((d) => d.reason)).toEqual(['Kiểm tra lại số bài kiểm tra thường xuyên môn Toán của em này']);
      const left = await f.store.signingItemsOf(principal.id);
      expect(left.map((i) => i.idbanghi).sort()).toEqual(items.map((i) => i.idbanghi).filter((id) => id !== mine[0]?.idbanghi).sort());
      expect(await pupilRows.count()).toBe(principal.items - 1);
      expect(await page.getByRole('region', { name: /^Kết quả cả năm, lớp / }).textContent()).not.toContain(pupil);
      const audit = (await f.store.auditEntries({ action: 'signing.return', limit: 10 })).filter((e) => e.subject === principal.id);
      expect(audit).toMatchObject([{ actor: 'hieutruong', outcome: 'ok', detail: { record: mine[0]?.idbanghi, items: 1, left: principal.items - 1 } }]);

      // the rest of the class is signed: one request to the phone, without the returned record's hash
      const before = f.signing.pending().length;
      await page.getByRole('button', { name: 'Ký', exact: true }).click();
      await page.locator('#confirm-ok').click();
      await page.locator('.notice').waitFor();
      await expect.poll(async () => (await f.store.getSigningRequest(principal.id))?.state).toBe('requested');
      expect(f.signing.pending()).toHaveLength(before + 1);
      expect(f.signing.pending().at(-1)?.hashes).toHaveLength(principal.items - 1);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 120_000);

  it('an operator sees the returned record with its reason and asks it again', async () => {
    const [returned] = await f.store.signingDocuments(SIGNING_JOB, ['returned']);
    expect(returned).toBeDefined();
    const { context, page, errors } = await newPage(browser);
    try {
      await page.goto(`${base}/login`);
      await page.getByLabel('Tên đăng nhập').fill('operator');
      await page.getByLabel('Mật khẩu').fill(SIGNER_PASSWORD);
      await page.getByRole('button', { name: 'Đăng nhập' }).click();
      await page.waitForURL((url) => url.pathname !== '/login');
      await page.goto(`${base}/signing`);
      await drawn(page);
      const part = page.locator('#signing-returned');
      await part.getByRole('heading', { name: /^Học bạ bị trả lại \(\d+\)$/ }).waitFor();
      expect(await part.textContent()).toContain('Kiểm tra lại số bài kiểm tra thường xuyên môn Toán của em này');
      await expectAccessible(page, 'the signing list with returned records');
      const rows = part.locator('tbody tr');
      const count = await rows.count();
      await rows.filter({ hasText: 'Kiểm tra lại số bài kiểm tra thường xuyên môn Toán của em này' }).getByRole('button', { name: /^Gửi ký lại/ }).click();
      await expect.poll(async () => (await f.store.getSigningDocument(SIGNING_JOB, returned!.idbanghi))?.state).toBe('awaiting');
      await expect.poll(() => part.locator('tbody tr').count()).toBe(count - 1);
      expect((await f.store.auditEntries({ action: 'signing.retry', limit: 5 })).at(0)).toMatchObject({ actor: 'operator', detail: { record: returned!.idbanghi } });
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
