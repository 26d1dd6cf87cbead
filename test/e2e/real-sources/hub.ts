/**
 * The bundled hub simulator for the real-source tests, kept in a file so that it can be stopped
 * (an outage) and started again on the same port with what it had accepted, and so that a test
 * can read what the hub holds for a record (its data, version and change time).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { diplomaRecordId } from '../../../mappings/vanbangchungchi/2025/transforms.js';
import { HubSimulator, type HubStats } from '../../../connectors/ministry-hub/simulator/index.js';
import { CLIENT_ID, CLIENT_SECRET, UNIT } from '../support.js';

export interface HeldRecord {
  phienban: number;
  sukien: string;
  thoigiancapnhat: string;
  data: Record<string, unknown>;
}

export class RealHub {
  private hub: HubSimulator | undefined;
  readonly dbPath = join(mkdtempSync(join(tmpdir(), 'lt-e2e-hub-')), 'hub.db');
  private port = 0;
  url = '';

  async start(): Promise<void> {
    const hub = new HubSimulator();
    const { url } = await hub.start({
      port: this.port,
      host: '127.0.0.1',
      dbPath: this.dbPath,
      clients: [{ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, unitCodes: [UNIT] }],
      seed: 1,
      rateLimit: false,
    });
    this.hub = hub;
    this.url = url;
    this.port = Number(new URL(url).port);
  }

  async stop(): Promise<void> {
    await this.hub?.stop();
    this.hub = undefined;
  }

  /** stops it for good and removes its file */
  async dispose(): Promise<void> {
    await this.stop();
    rmSync(dirname(this.dbPath), { recursive: true, force: true });
  }

  get sim(): HubSimulator {
    if (!this.hub) throw new Error('the hub is stopped');
    return this.hub;
  }

  stats(): HubStats {
    return this.sim.stats();
  }

  /** what the hub holds for the diploma with this serial number, if anything */
  record(serialNo: string): HeldRecord | undefined {
    const db = new Database(this.dbPath, { readonly: true, fileMustExist: true });
    try {
      const row = db
        .prepare('SELECT phienban, sukien, thoigiancapnhat, data FROM records WHERE dataset = ? AND idbanghi = ?')
        .get('vanbangchungchi', diplomaRecordId(UNIT, serialNo)) as { phienban: number; sukien: string; thoigiancapnhat: string; data: string } | undefined;
      return row && { phienban: row.phienban, sukien: row.sukien, thoigiancapnhat: row.thoigiancapnhat, data: JSON.parse(row.data) as Record<string, unknown> };
    } finally {
      db.close();
    }
  }

  /** how many records the hub holds for the unit */
  count(): number {
    const db = new Database(this.dbPath, { readonly: true, fileMustExist: true });
    try {
      return (db.prepare('SELECT count(*) AS n FROM records WHERE dataset = ?').get('vanbangchungchi') as { n: number }).n;
    } finally {
      db.close();
    }
  }
}
