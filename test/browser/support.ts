/**
 * The browser tests' console: the demo's data (both jobs run against the bundled hub simulator and
 * reconciled), three accounts, two dead letters, and the real console (server, API routes, pages)
 * listening on an ephemeral port; and Debian's chromium driven by playwright-core.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { HubSimulator } from '../../connectors/ministry-hub/simulator/index.js';
import { DEMO_CLIENT_ID, DEMO_SCHOOL_CLIENT_ID, DEMO_UNIT_CODE, runDemo } from '../../src/cli/demo.js';
import { startDemoVneid } from '../../src/cli/demo-vneid.js';
import { openContext, type CliContext } from '../../src/cli/context.js';
import { Scheduler } from '../../src/engine/scheduler.js';
import { buildConsole } from '../../src/server/app.js';
import { consoleJobRunner } from '../../src/server/listen.js';
import { RunProgressHub } from '../../src/server/progress.js';
import { addUser } from '../../src/services/users.js';
import type { LedgerEntry } from '../../src/store/store.js';

export const CHROMIUM = '/usr/bin/chromium';
export const ARTIFACTS = fileURLToPath(new URL('./artifacts/', import.meta.url));

/**
 * Why the browser tests do not run here, or null when they do. Without chromium they are skipped
 * on a developer's machine and fail in CI (CI=true), where .ci/run installs it.
 */
export function skipReason(): string | null {
  if (existsSync(CHROMIUM) || process.env.CI) return null;
  return `no ${CHROMIUM} (apt-get install chromium): the browser tests run in CI, which installs it`;
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-gpu', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

export const PASSWORDS = { admin: 'admin-pass-9f3k2', operator: 'operator-pass-7d1q', viewer: 'viewer-pass-4m8z' } as const;
export const DIPLOMAS_TARGET = 'hub/vanbangchungchi';

export interface TestConsole {
  url: string;
  ctx: CliContext;
  /** the two diplomas records made dead letters for the tests */
  deadLetters: [LedgerEntry, LedgerEntry];
  /** a student's national id whose diploma the ledger holds */
  personalId: string;
  /** the hub the console's runs deliver to (the demo's, started again on its data) */
  hub: HubSimulator;
  close(): Promise<void>;
}

/**
 * Two accepted diplomas made dead letters through the store, as delivery does: a new version is
 * staged (its envelope in the outbox) and the hub's answer marks it dead.
 */
async function makeDeadLetters(ctx: CliContext): Promise<[LedgerEntry, LedgerEntry]> {
  const picked: LedgerEntry[] = [];
  for await (const e of ctx.store.ledger(DIPLOMAS_TARGET, { status: ['accepted'] })) {
    picked.push(e);
    if (picked.length === 2) break;
  }
  const [a, b] = picked;
  if (!a || !b) throw new Error(`the demo left ${picked.length} accepted diplomas; the tests need 2`);
  await ctx.store.stage(picked.map((e) => ({
    target: e.target, job: e.job, idbanghi: e.idbanghi, sourceKey: e.sourceKey, phienban: e.phienban + 1, contentHash: `${e.contentHash}-changed`,
    envelopeJson: JSON.stringify({ idbanghi: e.idbanghi, phienban: e.phienban + 1, data: { hoten: 'Nguyễn Văn Thử', ngaysinh: '2000-01-02' } }),
  })));
  await ctx.store.applyOutcomes(DIPLOMAS_TARGET, picked.map((e) => ({ idbanghi: e.idbanghi, phienban: e.phienban + 1, status: 'dead' as const, code: 'HUB_REFUSED_TEST', message: 'the hub refused the batch for good (test)' })));
  return [a, b];
}

/** The demo's hub simulator again, on the demo's data, with its clients and CA: what "run now" delivers to. */
async function startDemoHub(dir: string): Promise<{ hub: HubSimulator; url: string }> {
  const school = new Database(join(dir, 'school.db'), { readonly: true });
  const schoolCode = (school.prepare('SELECT ma_truong AS code FROM dm_truong').get() as { code: string }).code;
  school.close();
  const secret = (name: string): string => readFileSync(join(dir, 'secrets', name), 'utf8').trim();
  const hub = new HubSimulator();
  const { url } = await hub.start({
    port: 0, host: '127.0.0.1', dbPath: join(dir, 'hub-simulator.db'), trustedCaPems: [readFileSync(join(dir, 'pki', 'ca.crt'), 'utf8')],
    clients: [
      { clientId: DEMO_CLIENT_ID, clientSecret: secret('hub-client-secret'), unitCodes: [DEMO_UNIT_CODE] },
      { clientId: DEMO_SCHOOL_CLIENT_ID, clientSecret: secret('hub-school-client-secret'), unitCodes: [schoolCode] },
    ],
  });
  return { hub, url };
}

function somePersonalId(dir: string): string {
  const db = new Database(join(dir, 'uis.db'), { readonly: true });
  try {
    const row = db.prepare("SELECT s.national_id AS id FROM students s JOIN diplomas d ON d.student_id = s.student_id WHERE length(s.national_id) = 12 ORDER BY d.diploma_id LIMIT 1").get() as { id: string };
    return row.id;
  } finally {
    db.close();
  }
}

export async function startTestConsole(): Promise<TestConsole> {
  const dir = mkdtempSync(join(tmpdir(), 'lt-browser-'));
  await runDemo({ records: 30, pupils: 1, seed: 5, dataDir: dir, lang: 'vi', quiet: true });
  const ctx = openContext(join(dir, 'config', 'lienthong.yaml'));
  for (const role of ['admin', 'operator', 'viewer'] as const) await addUser(ctx.store, role, role, PASSWORDS[role]);
  const deadLetters = await makeDeadLetters(ctx);
  const { hub, url: hubUrl } = await startDemoHub(dir);
  // the demo's jobs publish to VNeID after the hub: its simulator again, on the demo's state file,
  // as `demo --serve` does (without it a "run now" retries an address nobody answers for an hour)
  const vneid = await startDemoVneid({ dataDir: dir, configFile: join(dir, 'config', 'lienthong.yaml'), unitCode: DEMO_UNIT_CODE });
  const env = { ...ctx, overrides: { hub: { baseUrl: hubUrl }, 'hub-school': { baseUrl: hubUrl }, vneid: { endpoint: vneid.url } } };
  const progress = new RunProgressHub();
  // not started: nothing fires on a schedule during the tests, but "run now" runs through it
  const scheduler = new Scheduler([...ctx.loaded.jobs.values()], consoleJobRunner(env, progress), ctx.store, ctx.logger);
  const deps = { env, scheduler, progress, metrics: null, tls: false };
  const app = await buildConsole(deps);
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    url,
    ctx,
    deadLetters,
    personalId: somePersonalId(dir),
    hub,
    async close() {
      await app.close();
      await scheduler.stop();
      await hub.stop();
      await vneid.stop();
      await ctx.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Every console error and uncaught exception of a page, to be found empty at the end. */
export function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()} (${page.url()})`);
  });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message} (${page.url()})`));
  return errors;
}

export async function newPage(browser: Browser, viewport = { width: 1366, height: 768 }): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport, locale: 'vi-VN' });
  const page = await context.newPage();
  return { context, page, errors: collectErrors(page) };
}

export async function login(page: Page, base: string, username: keyof typeof PASSWORDS): Promise<void> {
  await page.goto(`${base}/login`);
  await page.getByLabel('Tên đăng nhập').fill(username);
  await page.getByLabel('Mật khẩu').fill(PASSWORDS[username]);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.waitForURL(`${base}/`);
  await drawn(page);
  expect(await page.locator('h1').textContent()).toBe('Tổng quan các tác vụ');
}

/** Waits until the page's module has drawn it (web/app.js marks the body). */
export async function drawn(page: Page): Promise<void> {
  await page.locator('body[data-ready="true"]').waitFor({ state: 'attached' });
}

let axeSource: string | undefined;

/**
 * axe-core over the page as it is: no serious or critical violation. The script is evaluated
 * through the debugging protocol, not added as a <script> tag (page.addScriptTag inlines it,
 * which the console's CSP rightly refuses).
 */
export async function expectAccessible(page: Page, what: string): Promise<void> {
  axeSource ??= (await import('node:fs')).readFileSync(fileURLToPath(import.meta.resolve('axe-core/axe.min.js')), 'utf8');
  await page.evaluate(axeSource);
  // a string: this runs in the page, whose globals (axe, document) the test's types do not know
  const violations = (await page.evaluate(
    'axe.run(document).then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 3).map((n) => String(n.target)) })))',
  )) as { id: string; impact: string | null; help: string; targets: string[] }[];
  expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical'), `${what}: ${JSON.stringify(violations)}`).toEqual([]);
}

/** Screenshots kept as the test's artifacts (gitignored). */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

export function writeArtifact(name: string, text: string): void {
  mkdirSync(ARTIFACTS, { recursive: true });
  writeFileSync(join(ARTIFACTS, name), text);
}
