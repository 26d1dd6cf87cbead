import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/load.js';
import { openStateStore } from '../../stores/sqlite/worker-store.js';
import type { StateStore } from '../store/store.js';
import { runCli } from './testing/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'lt-kiosk-dl-cli-'));
const configFile = join(dir, 'config', 'lienthong.yaml');

const cli = (...args: string[]): Promise<{ out: string; code: number }> => runCli(configFile, ...args);

async function withStore<T>(f: (s: StateStore) => Promise<T>): Promise<T> {
  const s = openStateStore(loadConfig(configFile).storePath, { thread: 'current' });
  try {
    return await f(s);
  } finally {
    await s.close();
  }
}

/** a change queued for a kiosk, then refused for good with the given message */
async function refuse(s: StateStore, connection: string, kioskId: string, key: string, message: string): Promise<void> {
  await s.kioskEnqueue([{ connection, kioskId, kind: 'student', key, op: 'put', body: `{"studentId":"${key}"}`, contentHash: `h-${key}` }]);
  const item = (await s.kioskQueuePage(connection, kioskId, 0, 100)).find((i) => i.key === key);
  await s.kioskAttemptFailed(connection, kioskId, item!.seq, { code: 'KIOSK_REFUSED', message }, true);
}

beforeAll(async () => {
  mkdirSync(join(dir, 'config'), { recursive: true });
  mkdirSync(join(dir, 'jobs'), { recursive: true });
  const kiosk = (id: string): string => `      - { id: ${id}, url: "https://${id}.example.edu.vn", token: "env:KIOSK_TOKEN" }\n`;
  writeFileSync(
    configFile,
    `dataDir: ../data\njobsDir: ../jobs\nconnections:\n  hanh-lang:\n    type: cim-kiosk\n    kiosks:\n${kiosk('kiosk-a1')}${kiosk('kiosk-b2')}  thu-vien:\n    type: cim-kiosk\n    kiosks:\n${kiosk('kiosk-b2')}`,
  );
  await withStore(async (s) => {
    await refuse(s, 'hanh-lang', 'kiosk-a1', 'SV2201', '422 INVALID: birthDate "31/02/2004" is not a date');
    await s.kioskEnqueue([{ connection: 'hanh-lang', kioskId: 'kiosk-a1', kind: 'student', key: 'SV2202', op: 'put', body: '{}', contentHash: 'h2' }]);
    await refuse(s, 'hanh-lang', 'kiosk-a1', 'SV2203', '422 INVALID: the holder 001204012345 is unknown');
    await refuse(s, 'thu-vien', 'kiosk-b2', 'SV2201', '400 BAD_REQUEST');
  });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('lienthong kiosks dead-letters / requeue', () => {
  it('lists every kiosk dead letter with kiosk, kind, key, code, message and when; a personal id in a message is masked', async () => {
    const r = await cli('kiosks', 'dead-letters');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/hanh-lang\/kiosk-a1 {2}student SV2201 \(put\) {2}KIOSK_REFUSED: 422 INVALID: birthDate "31\/02\/2004" is not a date {2}queued \d{4}-\d\d-\d\dT/);
    expect(r.out).toContain('thu-vien/kiosk-b2  student SV2201');
    expect(r.out).toContain('3 dead letter(s)');
    expect(r.out).toContain('lienthong kiosks requeue --kiosk ID --all');
    expect(r.out).not.toContain('001204012345');
    expect(r.out).not.toContain('SV2202'); // queued, not dead

    const json = await cli('kiosks', 'dead-letters', '--connection', 'hanh-lang', '--kiosk', 'kiosk-a1', '--json');
    const rows = json.out.trim().split('\n').map((l) => JSON.parse(l) as { kioskId: string; key: string; code: string });
    expect(rows.map((d) => [d.kioskId, d.key, d.code])).toEqual([
      ['kiosk-a1', 'SV2201', 'KIOSK_REFUSED'],
      ['kiosk-a1', 'SV2203', 'KIOSK_REFUSED'],
    ]);
    expect((await cli('kiosks', 'dead-letters', '--connection', 'nope')).code).toBe(2);
  });

  it('requeue --key puts one back, --all the rest, in lane order; audited; usage errors exit 2', async () => {
    expect((await cli('kiosks', 'requeue', '--kiosk', 'kiosk-a1')).code).toBe(2); // neither --key nor --all
    expect((await cli('kiosks', 'requeue', '--kiosk', 'kiosk-a1', '--key', 'X', '--all')).code).toBe(2);
    const ambiguous = await cli('kiosks', 'requeue', '--kiosk', 'kiosk-b2', '--all');
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.out).toContain('--connection');
    const missing = await cli('kiosks', 'requeue', '--kiosk', 'kiosk-a1', '--key', 'SV9999');
    expect(missing.code).toBe(2);
    expect(missing.out).toContain('has no dead letter with key SV9999');

    const one = await cli('kiosks', 'requeue', '--kiosk', 'kiosk-a1', '--key', 'SV2203');
    expect(one.code).toBe(0);
    expect(one.out).toContain('1 change(s) queued again for kiosk kiosk-a1 of hanh-lang');
    const rest = await cli('kiosks', 'requeue', '--kiosk', 'kiosk-a1', '--all');
    expect(rest.out).toContain('queued again: student SV2201');
    await withStore(async (s) => {
      expect((await s.kioskQueuePage('hanh-lang', 'kiosk-a1', 0, 10)).map((i) => i.key)).toEqual(['SV2201', 'SV2202', 'SV2203']);
      expect((await s.kioskDeadLetters({})).map((d) => `${d.connection}/${d.kioskId}`)).toEqual(['thu-vien/kiosk-b2']);
      const audit = await s.auditEntries({ action: 'kiosks.requeue' });
      expect(audit.map((e) => [e.subject, e.address, e.detail])).toEqual(
        expect.arrayContaining([
          ['hanh-lang/kiosk-a1', 'cli', { selection: 'key', key: 'SV2203', requeued: 1 }],
          ['hanh-lang/kiosk-a1', 'cli', { selection: 'all', requeued: 1 }],
        ]),
      );
    });
    expect((await cli('kiosks', 'requeue', '--connection', 'thu-vien', '--kiosk', 'kiosk-b2', '--all')).code).toBe(0);
    expect((await cli('kiosks', 'dead-letters')).out).toContain('0 dead letter(s)');
  });

  it('kiosks token is still there, next to the new subcommands', async () => {
    const help = await cli('kiosks', '--help');
    expect(help.out).toMatch(/token/);
    expect(help.out).toMatch(/dead-letters/);
    expect(help.out).toMatch(/requeue/);
  });
});
