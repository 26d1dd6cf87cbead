import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { getJob } from '../config/load.js';
import { packageRoot } from '../core/package-root.js';
import { reconcileConfiguredJob, runConfiguredJob } from '../engine/jobs.js';
import { renderReconciliationSummary } from '../reconcile/writers/index.js';
import { generateUisDatabase } from '../sample/uis.js';
import { HubSimulator } from '../simulator/hub/index.js';
import { openContext } from './context.js';
import { createProgressDisplay } from './progress.js';
import { EXIT } from './main.js';

export interface DemoOptions {
  records: number;
  seed: number;
  dataDir: string;
  hubUrl?: string;
  lang: 'vi' | 'en';
  /** print nothing (tests) */
  quiet?: boolean;
}

export const DEMO_UNIT_CODE = 'LTU01';
export const DEMO_CLIENT_ID = 'lienthong-demo';

function demoConfig(): string {
  const jobsDir = join(packageRoot(), 'jobs').replaceAll('\\', '/');
  return `# Written by "lienthong demo": the sample UIS and the bundled hub simulator.
version: 1
dataDir: ..
jobsDir: ${JSON.stringify(jobsDir)}
log: { level: info, file: logs/lienthong.log }
connections:
  uis: { type: sql, driver: sqlite, url: ../uis.db }
  hub:
    type: ministry-hub
    baseUrl: http://127.0.0.1:8787   # the demo points this at the simulator it starts
    unitCode: ${DEMO_UNIT_CODE}
    clientId: ${DEMO_CLIENT_ID}
    clientSecret: file:../secrets/hub-client-secret
`;
}

/**
 * `lienthong demo`: a sample university (seeded, with about 2% dirty rows), the bundled ministry
 * hub simulator, the diploma job run to the end, and a reconciliation report. Run again on the
 * same folder it resumes and adds nothing new at the hub.
 */
export async function runDemo(o: DemoOptions): Promise<number> {
  const say = (line: string): void => {
    if (!o.quiet) process.stdout.write(line + '\n');
  };
  mkdirSync(join(o.dataDir, 'config'), { recursive: true });
  mkdirSync(join(o.dataDir, 'secrets'), { recursive: true });

  const uisPath = join(o.dataDir, 'uis.db');
  if (existsSync(uisPath)) {
    say(`dùng lại CSDL mẫu / reusing the sample UIS: ${uisPath}`);
  } else {
    const manifest = await generateUisDatabase({ driver: 'sqlite', path: uisPath }, { records: o.records, seed: o.seed });
    say(`đã tạo CSDL mẫu / created the sample UIS: ${manifest.total} diplomas, ${manifest.dirty.length} with dirty data (${uisPath})`);
  }
  const secretFile = join(o.dataDir, 'secrets', 'hub-client-secret');
  if (!existsSync(secretFile)) writeFileSync(secretFile, randomBytes(24).toString('hex') + '\n', { mode: 0o600 });
  const configFile = join(o.dataDir, 'config', 'lienthong.yaml');
  if (!existsSync(configFile)) writeFileSync(configFile, demoConfig());

  const ctx = openContext(configFile);
  let simulator: HubSimulator | undefined;
  try {
    let hubUrl = o.hubUrl;
    if (!hubUrl) {
      const secret = readFileSync(secretFile, 'utf8').trim();
      simulator = new HubSimulator();
      const started = await simulator.start({
        port: 0,
        host: '127.0.0.1',
        dbPath: join(o.dataDir, 'hub-simulator.db'),
        clients: [{ clientId: DEMO_CLIENT_ID, clientSecret: secret, unitCodes: [DEMO_UNIT_CODE] }],
      });
      hubUrl = started.url;
      say(`trục dữ liệu mô phỏng / hub simulator: ${hubUrl}`);
    }
    const env = { ...ctx, overrides: { hub: { baseUrl: hubUrl } } };
    const job = getJob(ctx.loaded, 'diplomas');
    const display = o.quiet ? undefined : createProgressDisplay(process.stderr);
    const summary = await runConfiguredJob(env, job, { trigger: 'demo', onProgress: display ? (p) => display.update(p) : undefined });
    display?.stop();
    const c = summary.counts;
    say(`lần chạy / run ${summary.runId}: ${summary.outcome}; read ${c.read}, valid ${c.mapped}, invalid ${c.invalid}, unchanged ${c.unchanged}, sent ${c.staged}, accepted ${c.accepted}, rejected ${c.rejected}, dead ${c.dead}, retries ${c.retried}`);
    if (summary.error) say(`stopped: ${summary.error.code}: ${summary.error.message}`);

    const { report, paths } = await reconcileConfiguredJob(env, job);
    say('');
    say(renderReconciliationSummary(report, o.lang));
    say(`báo cáo / report: ${paths.htmlPath}`);
    if (summary.outcome === 'failed') return EXIT.failed;
    return report.totals.pending === 0 ? EXIT.ok : EXIT.partial;
  } finally {
    await ctx.close();
    await simulator?.stop();
  }
}
