import type { Browser } from 'playwright-core';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportDir } from '../../src/reconcile/configured-job.js';
import type { ReconciliationReport } from '../../src/reconcile/types.js';
import { DIPLOMAS_TARGET, PASSWORDS, drawn, expectAccessible, launchBrowser, login, newPage, screenshot, skipReason, startTestConsole, type TestConsole } from './support.js';

/**
 * The console in a real browser (Debian's chromium through playwright-core) against the real
 * server, API and pages over the demo's data: signing in, the dashboard, requeueing a dead letter
 * after a confirmation, what a viewer may not do, the language toggle, the ledger search by
 * personal id, and on every page no console error and no serious axe-core violation.
 */
const reason = skipReason();

/** expect.poll with room for a loaded machine (its default waits one second) */
function poll<T>(read: () => T | Promise<T>): ReturnType<typeof expect.poll<T>> {
  return expect.poll(read, { timeout: 10_000 });
}


describe.skipIf(reason !== null)(`the web console in chromium${reason ? ` (skipped: ${reason})` : ''}`, () => {
  let browser: Browser;
  let app: TestConsole;

  beforeAll(async () => {
    [app, browser] = await Promise.all([startTestConsole(), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('signs an operator in and shows the demo jobs with their schedules, counts and deadlines', async () => {
    const { context, page, errors } = await newPage(browser);
    await login(page, app.url, 'operator');
    await poll(() => page.locator('main h2').allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining('diplomas'), expect.stringContaining('hocba-thcsthpt')]));
    const hocba = page.getByRole('region', { name: 'hocba-thcsthpt', exact: true });
    await poll(() => hocba.getByRole('table', { name: 'Hạn nộp của hocba-thcsthpt' }).count()).toBe(1);
    expect(await hocba.getByRole('table', { name: 'Hạn nộp của hocba-thcsthpt' }).locator('tbody tr').count()).toBe(2);
    expect(await page.getByRole('button', { name: 'Chạy ngay' }).count()).toBe(2);
    expect(await page.locator('html').getAttribute('lang')).toBe('vi');
    // served by buildConsole itself, under its CSP: the pages work with no inline script or style
    const csp = (await context.request.get(`${app.url}/`)).headers()['content-security-policy'] ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    await expectAccessible(page, 'dashboard');
    await screenshot(page, 'dashboard-1366x768');
    await page.setViewportSize({ width: 390, height: 844 });
    await expectAccessible(page, 'dashboard on a phone');
    await screenshot(page, 'dashboard-390x844');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('shows a viewer no requeue, run or unmask button, and the API refuses the viewer both (403)', async () => {
    const { context, page, errors } = await newPage(browser);
    await login(page, app.url, 'viewer');
    expect(await page.getByRole('button', { name: 'Chạy ngay' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /Tạm dừng|Tiếp tục/ }).count()).toBe(0);
    await page.goto(`${app.url}/deadletters?job=diplomas`);
    const [first] = app.deadLetters;
    await poll(() => page.getByRole('link', { name: first.idbanghi }).count()).toBe(1);
    expect(await page.getByRole('button', { name: /Gửi lại/ }).count()).toBe(0);
    // the API holds the line even when the page is bypassed: the viewer's own session and CSRF token
    const session = await (await context.request.get(`${app.url}/api/v1/session`)).json() as { role: string; csrfToken: string };
    expect(session.role).toBe('viewer');
    const refused = await context.request.post(`${app.url}/api/v1/jobs/diplomas/deadletters/requeue`, { headers: { 'X-CSRF-Token': session.csrfToken }, data: { idbanghi: [first.idbanghi] } });
    expect(refused.status()).toBe(403);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('FORBIDDEN');
    expect((await app.ctx.store.getLedgerEntries(DIPLOMAS_TARGET, [first.idbanghi])).get(first.idbanghi)?.status).toBe('dead');
    await expectAccessible(page, 'dead letters (viewer)');
    // a record: masked, with no way to unmask it on the page, and none through the API
    await page.goto(`${app.url}/jobs/diplomas/records/${first.idbanghi}`);
    await drawn(page);
    expect(await page.getByText('Dữ liệu cá nhân đã được che.').count()).toBe(1);
    expect(await page.getByRole('button', { name: 'Xem dữ liệu không che' }).count()).toBe(0);
    expect((await context.request.get(`${app.url}/api/v1/jobs/diplomas/records/${first.idbanghi}?unmask=true`)).status()).toBe(403);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('requeues one dead letter only after the confirmation dialog says yes', async () => {
    const { context, page, errors } = await newPage(browser);
    await login(page, app.url, 'operator');
    await page.goto(`${app.url}/deadletters?job=diplomas`);
    const [first, second] = app.deadLetters;
    const requeueFirst = page.getByRole('button', { name: `Gửi lại ${first.idbanghi}` });
    await requeueFirst.click();
    const dialog = page.getByRole('dialog', { name: 'Gửi lại bản ghi này?' });
    await poll(() => dialog.isVisible()).toBe(true);
    await expectAccessible(page, 'the confirmation dialog');
    await screenshot(page, 'deadletters-confirm-1366x768');
    await dialog.getByRole('button', { name: 'Huỷ' }).click();
    await poll(() => dialog.isVisible()).toBe(false);
    expect((await app.ctx.store.getLedgerEntries(DIPLOMAS_TARGET, [first.idbanghi])).get(first.idbanghi)?.status).toBe('dead');
    // keyboard only: the button is focused again after the dialog, Enter opens it, the confirm button takes the focus by Tab
    await requeueFirst.focus();
    await page.keyboard.press('Enter');
    await poll(() => dialog.isVisible()).toBe(true);
    await dialog.getByRole('button', { name: 'Gửi lại' }).click();
    await poll(() => page.locator('.notice').textContent()).toContain('Đã đưa lại 1 bản ghi');
    const after = await app.ctx.store.getLedgerEntries(DIPLOMAS_TARGET, [first.idbanghi, second.idbanghi]);
    expect(after.get(first.idbanghi)?.status).toBe('pending');
    expect(after.get(second.idbanghi)?.status).toBe('dead');
    expect(await page.getByRole('link', { name: first.idbanghi }).count()).toBe(0);
    expect(await page.getByRole('link', { name: second.idbanghi }).count()).toBe(1);
    const audit = await app.ctx.store.auditEntries({ actor: 'operator' });
    expect(audit.map((e) => e.action)).toContain('deadletters.requeue');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('pauses and resumes a schedule, and runs a job now with its live progress until it ends', async () => {
    const { context, page, errors } = await newPage(browser);
    await login(page, app.url, 'operator');
    const diplomas = page.getByRole('region', { name: 'diplomas', exact: true });
    await diplomas.getByRole('button', { name: 'Tạm dừng lịch' }).click();
    await poll(() => diplomas.getByRole('button', { name: 'Tiếp tục lịch' }).count()).toBe(1);
    expect(await diplomas.getByText('Đã tạm dừng').count()).toBeGreaterThan(0);
    expect((await app.ctx.store.pausedJobs()).map((p) => p.job)).toEqual(['diplomas']);
    await diplomas.getByRole('button', { name: 'Tiếp tục lịch' }).click();
    await poll(() => diplomas.getByRole('button', { name: 'Tạm dừng lịch' }).count()).toBe(1);
    expect(await app.ctx.store.pausedJobs()).toEqual([]);

    // the hub answers slowly, so the run is still going when its page opens, even on a loaded
    // machine (at 1.5 s a request the run had now and then ended before its page had drawn)
    app.hub.setFaults({ latencyMs: 5000 });
    try {
      await diplomas.getByRole('button', { name: 'Chạy ngay' }).click();
      const dialog = page.getByRole('dialog', { name: 'Chạy diplomas ngay?' });
      await dialog.getByRole('button', { name: 'Chạy ngay' }).click();
      await page.waitForURL(/\/runs\/[^/]+$/);
      const runId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop() ?? '');
      await poll(() => page.getByRole('heading', { name: 'Tiến độ đang chạy' }).count()).toBe(1);
      // the stream's end reloads the page, which then shows how the run ended
      await expect.poll(async () => (await app.ctx.store.getRun(runId))?.outcome, { timeout: 60_000 }).not.toBe('running');
      await poll(() => page.getByRole('heading', { name: 'Tiến độ đang chạy' }).count()).toBe(0);
      const outcome = (await app.ctx.store.getRun(runId))?.outcome ?? 'none';
      const label = { succeeded: 'thành công', partial: 'một phần', failed: 'thất bại', interrupted: 'bị ngắt' }[outcome as string];
      expect(await page.locator('.facts .badge').first().textContent()).toBe(label);
      expect((await app.ctx.store.auditEntries({ actor: 'operator' })).map((e) => e.action)).toEqual(expect.arrayContaining(['job.pause', 'job.resume', 'job.run']));
    } finally {
      app.hub.setFaults({ latencyMs: 0 });
    }
    await expectAccessible(page, 'run detail');
    expect(errors).toEqual([]);
    await context.close();
  });

  it("reconciles a job now and checks a connection for an operator, and draws the report's charts", async () => {
    const { context, page, errors } = await newPage(browser);
    await login(page, app.url, 'operator');
    await page.goto(`${app.url}/reports?job=diplomas`);
    await drawn(page);
    const before = (await app.ctx.store.reconciliations('diplomas', 10)).length;
    await page.getByRole('button', { name: 'Đối soát ngay' }).click();
    await page.getByRole('dialog', { name: 'Đối soát diplomas ngay?' }).getByRole('button', { name: 'Đối soát ngay' }).click();
    await expect.poll(async () => (await app.ctx.store.reconciliations('diplomas', 10)).length, { timeout: 20_000 }).toBe(before + 1);
    await poll(() => page.getByText('(theo các lần đối soát)').count()).toBeGreaterThan(0);
    expect(await page.locator('svg.chart[role="img"]').count()).toBeGreaterThan(0);
    await expectAccessible(page, 'report after a reconciliation');
    await screenshot(page, 'report-reconciled-1366x768');

    await page.goto(`${app.url}/connections`);
    await drawn(page);
    await page.getByRole('button', { name: 'Kiểm tra kết nối uis' }).click();
    await poll(() => page.getByRole('row', { name: /uis/ }).textContent()).toMatch(/tốt: /);
    const actions = (await app.ctx.store.auditEntries({ actor: 'operator' })).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['job.reconcile', 'connection.check']));
    expect(errors).toEqual([]);
    await context.close();
  });

  it('says why a sign-in failed, works from the keyboard alone, and signs out', async () => {
    const { context, page, errors } = await newPage(browser);
    await page.goto(`${app.url}/login`);
    await drawn(page);
    // the sign-in page starts in its first field
    expect(await page.evaluate('document.activeElement.id')).toBe('login-username');
    await page.keyboard.type('viewer');
    await page.getByLabel('Mật khẩu').fill('not-the-password');
    await page.keyboard.press('Enter');
    await poll(() => page.getByRole('alert').textContent()).toContain('Tên đăng nhập hoặc mật khẩu không đúng.');
    expect(await page.getByLabel('Mật khẩu').inputValue()).toBe('');
    await page.getByLabel('Mật khẩu').fill(PASSWORDS.viewer);
    await page.keyboard.press('Enter');
    await page.waitForURL(`${app.url}/`);
    await drawn(page);
    // the first Tab reaches the skip link, which takes the focus past the navigation to the content
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement.className')).toBe('skip-link');
    await page.keyboard.press('Enter');
    expect(await page.evaluate('document.activeElement.id')).toBe('main');
    await page.getByRole('button', { name: 'Đăng xuất' }).click();
    await page.waitForURL(`${app.url}/login`);
    expect((await context.request.get(`${app.url}/api/v1/session`)).status()).toBe(401);
    // a page of the console without a session sends the browser to the sign-in page
    await page.goto(`${app.url}/deadletters`);
    await page.waitForURL(`${app.url}/login`);
    // the failed sign-in's 401 is the one console error: the browser logs every failed request
    expect(errors.filter((e) => !e.includes('401'))).toEqual([]);
    await context.close();
  });

  it('switches the language to English and back, texts and <html lang> alike, and keeps the choice', async () => {
    const { context, page, errors } = await newPage(browser);
    await login(page, app.url, 'admin');
    await page.getByRole('button', { name: 'English' }).click();
    await poll(() => page.locator('html').getAttribute('lang')).toBe('en');
    expect(await page.locator('h1').textContent()).toBe('Jobs overview');
    expect(await page.getByRole('navigation').getByRole('link', { name: 'Dead letters' }).count()).toBe(1);
    await page.reload();
    await poll(() => page.locator('h1').textContent()).toBe('Jobs overview');
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    await expectAccessible(page, 'dashboard in English');
    await screenshot(page, 'dashboard-en-1366x768');
    await page.getByRole('button', { name: 'Tiếng Việt' }).click();
    await poll(() => page.locator('html').getAttribute('lang')).toBe('vi');
    expect(await page.locator('h1').textContent()).toBe('Tổng quan các tác vụ');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('finds a record by personal id through a POST, never puts the id in an address, and clears the box', async () => {
    const { context, page, errors } = await newPage(browser);
    const urls: string[] = [];
    page.on('request', (r) => urls.push(r.url()));
    await login(page, app.url, 'admin');
    await page.goto(`${app.url}/ledger?job=diplomas`);
    const box = page.getByLabel('Khoá nguồn, idbanghi hoặc số định danh cá nhân');
    await box.fill(app.personalId);
    await box.press('Enter');
    await poll(() => page.getByText('Tìm theo số định danh cá nhân (không hiển thị).', { exact: true }).count()).toBe(1);
    expect(await box.inputValue()).toBe('');
    expect(await page.locator('#ledger-results tbody tr').count()).toBeGreaterThan(0);
    expect(urls.filter((u) => u.includes(app.personalId))).toEqual([]);
    expect(await page.content()).not.toContain(app.personalId);
    await expectAccessible(page, 'ledger search');
    // the record: masked, and the admin is told an unmasked view is audited
    await page.locator('#ledger-results tbody a').first().click();
    await poll(() => page.getByText('Dữ liệu cá nhân đã được che.').count()).toBe(1);
    await expectAccessible(page, 'record detail');
    // a dead letter's envelope: masked first, unmasked for the admin after saying it is audited
    await page.goto(`${app.url}/jobs/diplomas/records/${app.deadLetters[1].idbanghi}`);
    await drawn(page);
    expect(await page.locator('pre.json').textContent()).not.toContain('Nguyễn Văn Thử');
    await page.getByRole('button', { name: 'Xem dữ liệu không che' }).click();
    const dialog = page.getByRole('dialog', { name: 'Xem dữ liệu không che' });
    expect(await dialog.textContent()).toContain('nhật ký kiểm toán');
    await dialog.getByRole('button', { name: 'Xem dữ liệu không che' }).click();
    await poll(() => page.locator('pre.json').textContent()).toContain('Nguyễn Văn Thử');
    expect(await page.getByRole('button', { name: 'Xem dữ liệu không che' }).count()).toBe(0);
    const unmasked = (await app.ctx.store.auditEntries({ actor: 'admin', action: 'record.unmask' }))[0];
    expect(unmasked?.subject).toContain(app.deadLetters[1].idbanghi);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('lists the changes a kiosk refused and requeues them after the confirmation (audited)', async () => {
    const { context, page, errors } = await newPage(browser);
    await login(page, app.url, 'operator');
    app.ctx.loaded.config.connections['kiosks-refused'] = { type: 'cim-kiosk', kiosks: [{ id: 'kiosk-b2', url: 'https://b2.test', token: 'env:B2' }] } as never;
    await app.ctx.store.kioskSetHealth('kiosks-refused', 'kiosk-b2', { url: 'https://b2.test', online: true });
    await app.ctx.store.kioskEnqueue([{ connection: 'kiosks-refused', kioskId: 'kiosk-b2', kind: 'student', key: 'SV2201', op: 'put', body: '{}', contentHash: 'h' }]);
    const [refused] = await app.ctx.store.kioskQueuePage('kiosks-refused', 'kiosk-b2', 0, 1);
    await app.ctx.store.kioskAttemptFailed('kiosks-refused', 'kiosk-b2', refused!.seq, { code: 'KIOSK_REFUSED', message: '422 INVALID: birthDate' }, true);
    await page.goto(`${app.url}/kiosks`);
    await drawn(page);
    await poll(() => page.getByRole('row', { name: /kiosks-refused\/kiosk-b2.*SV2201/ }).textContent()).toMatch(/KIOSK_REFUSED: 422 INVALID: birthDate/);
    await expectAccessible(page, '/kiosks with dead letters');
    await page.getByRole('button', { name: 'Gửi lại tất cả của kiosk-b2' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Gửi lại' }).click();
    await poll(() => page.locator('.notice').textContent()).toMatch(/Đã đưa 1 thay đổi trở lại hàng đợi của ki-ốt kiosk-b2/);
    expect((await app.ctx.store.kioskQueuePage('kiosks-refused', 'kiosk-b2', 0, 10)).map((i) => i.key)).toEqual(['SV2201']);
    expect((await app.ctx.store.auditEntries({ action: 'kiosks.requeue' })).map((e) => e.subject)).toContain('kiosks-refused/kiosk-b2');
    delete app.ctx.loaded.config.connections['kiosks-refused'];
    expect(errors).toEqual([]);
    await context.close();
  });

  it('draws every page with no console error and no serious accessibility violation, and fits a phone', async () => {
    const lastRun = (await app.ctx.store.lastRuns('diplomas', 1))[0];
    const pages: [string, string][] = [
      ['login', '/login'], ['dashboard', '/'], ['runs', '/jobs/diplomas/runs'], ['run', `/runs/${lastRun?.id}`], ['ledger', '/ledger?job=diplomas'],
      ['record', `/jobs/diplomas/records/${app.deadLetters[1].idbanghi}`], ['deadletters', '/deadletters?job=diplomas'], ['report-hocba', '/reports?job=hocba-thcsthpt'],
      ['report-diplomas', '/reports?job=diplomas'], ['connections', '/connections'], ['kiosks', '/kiosks'], ['config', '/config'], ['audit', '/audit'], ['certificates', '/certificates'],
    ];
    const { context, page, errors } = await newPage(browser);
    await login(page, app.url, 'admin');
    for (const [name, path] of pages) {
      await page.goto(`${app.url}${path}`);
      await drawn(page);
      expect(await page.locator('h1').count(), path).toBe(1);
      expect(await page.locator('.loading').count(), path).toBe(0);
      expect(await page.locator('#errors').textContent(), path).toBe('');
      await expectAccessible(page, path);
      await screenshot(page, `page-${name}-1366x768`);
      if (name === 'config') expect(await page.getByRole('table', { name: 'Tài khoản' }).locator('tbody tr').count()).toBe(3);
      // on a phone: the same page, nothing wider than the screen but the tables' own scrolling
      await page.setViewportSize({ width: 390, height: 844 });
      expect(await page.evaluate('document.documentElement.scrollWidth'), `${path} on a phone`).toBeLessThanOrEqual(390);
      await screenshot(page, `page-${name}-390x844`);
      await page.setViewportSize({ width: 1366, height: 768 });
    }
    // the kiosks page with a kiosk offline and one never tried (a cim-kiosk connection as a configuration declares it)
    app.ctx.loaded.config.connections['kiosks-test'] = { type: 'cim-kiosk', kiosks: [{ id: 'kiosk-a1', url: 'https://a1.test', token: 'env:A1' }, { id: 'kiosk-b2', url: 'https://b2.test', token: 'env:B2' }] } as never;
    await app.ctx.store.kioskEnqueue([{ connection: 'kiosks-test', kioskId: 'kiosk-a1', kind: 'template', key: 'XAC_NHAN_SINH_VIEN', op: 'put', body: '{}', contentHash: 'h' }]);
    await app.ctx.store.kioskSetHealth('kiosks-test', 'kiosk-a1', { url: 'https://a1.test', online: false, offlineSince: '2026-10-01T01:00:00.000Z', lastErrorCode: 'KIOSK_OFFLINE', lastError: 'kiosk kiosk-a1 cannot be reached (ECONNREFUSED)' });
    await page.goto(`${app.url}/kiosks`);
    await drawn(page);
    await poll(() => page.getByRole('row', { name: /kiosk-a1.*kiosks-test/ }).textContent()).toMatch(/mất kết nối từ 2026-10-01T01:00:00.000Z/);
    expect(await page.getByRole('row', { name: /kiosk-b2.*kiosks-test/ }).textContent()).toMatch(/chưa thử/);
    await expectAccessible(page, '/kiosks with kiosks');
    delete app.ctx.loaded.config.connections['kiosks-test'];
    // the reports draw their charts as inline SVG
    await page.goto(`${app.url}/reports?job=diplomas`);
    await poll(() => page.locator('svg.chart').count()).toBeGreaterThan(0);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("shows the report's VNeID column: its counts and the records not published as the hub holds them", async () => {
    const dir = reportDir(app.ctx.loaded, 'diplomas');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'reconciliation.json');
    const report = JSON.parse(readFileSync(file, 'utf8')) as ReconciliationReport;
    report.credentials = {
      target: 'vneid/vneid-vanbang',
      counts: { published: 7, missing: 1, hashDiffers: 1, revoked: 2, cancelledUnpublished: 0, wrongState: 0 },
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
  });
});
