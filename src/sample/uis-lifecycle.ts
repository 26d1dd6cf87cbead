/**
 * A diploma's later life in the sample UIS: the decision of each corrected diploma, a correction,
 * a revocation and the reissue of a lost diploma made on a database already written (what an
 * incremental run then picks up). The decisions live in their own tables (`diploma_corrections`,
 * `diploma_reissues`), which the diploma SELECT joins (uis-schema.ts).
 */
import type { UisDb, UisTarget } from './uis-db.js';
import { openUisDb } from './uis-db.js';
import type { UisDecision } from './uis-rows.js';

type SqlValue = string | number | null;

/** the correction decision of a diploma corrected on `updatedAt`, signed by the head of `by` */
export function correctionRow(diplomaId: number, updatedAt: string, by: UisDecision, sequence = 1): SqlValue[] {
  return [diplomaId, `${diplomaId}-${sequence}/QĐ-HC`, updatedAt.slice(0, 10), by.signerName, by.signerNationalId, by.signerTitle, 'Hiệu chỉnh thông tin người học theo giấy khai sinh'];
}

/** The correction decisions of the corrected diplomas (status 4) among freshly generated rows. */
export function correctionRowsOf(diplomas: readonly SqlValue[][], decisions: readonly UisDecision[]): SqlValue[][] {
  const byId = new Map(decisions.map((d) => [d.decisionId, d]));
  // diploma row: [diploma_id, student_id, decision_id, …, status (9), updated_at (10)]
  return diplomas.filter((d) => Number(d[9]) === 4).map((d) => correctionRow(Number(d[0]), String(d[10]), byId.get(Number(d[2])) as UisDecision));
}

/** What `changeDiplomaLife` does to one diploma. */
export type DiplomaLifeChange =
  /** a correction decision (a new one replaces the last): status 4; `withoutDecision` leaves the decision out */
  | { kind: 'correct'; sequence?: number; withoutDecision?: boolean }
  /** revoked (status 2) */
  | { kind: 'revoke' }
  /** the paper diploma was lost: a new serial and register number, the original serial kept */
  | { kind: 'reissue'; serialNo: string; registerNo: string; issueDate: string };

/**
 * Changes one diploma's life at the source and moves its updated_at to `updatedAt` (later than any
 * before, so that an incremental run reads it again).
 */
export async function changeDiplomaLife(target: UisTarget, diplomaId: number, change: DiplomaLifeChange, updatedAt: string): Promise<void> {
  const db = await openUisDb(target);
  try {
    await db.begin();
    await applyChange(db, diplomaId, change, updatedAt);
    await db.commit();
  } finally {
    await db.close();
  }
}

async function applyChange(db: UisDb, diplomaId: number, change: DiplomaLifeChange, updatedAt: string): Promise<void> {
  const t = db.tables;
  switch (change.kind) {
    case 'correct': {
      await db.run(`DELETE FROM ${t.diploma_corrections} WHERE diploma_id = ?`, [diplomaId]);
      if (!change.withoutDecision) {
        const [by] = await db.query<{ signer_name: string; signer_national_id: string; signer_title: string; decision_id: number }>(
          `SELECT g.decision_id, g.signer_name, g.signer_national_id, g.signer_title FROM ${t.graduation_decisions} g JOIN ${t.diplomas} d ON d.decision_id = g.decision_id WHERE d.diploma_id = ?`,
          [diplomaId],
        );
        if (!by) throw new RangeError(`no diploma ${diplomaId} in the sample UIS`);
        const decision: UisDecision = { decisionId: by.decision_id, decisionNo: '', decisionDate: '', signerName: by.signer_name, signerNationalId: by.signer_national_id, signerTitle: by.signer_title };
        await db.insert(t.diploma_corrections, ['diploma_id', 'decision_no', 'decision_date', 'signer_name', 'signer_national_id', 'signer_title', 'reason'], [correctionRow(diplomaId, updatedAt, decision, change.sequence ?? 1)]);
      }
      await db.run(`UPDATE ${t.diplomas} SET status = 4, updated_at = ? WHERE diploma_id = ?`, [updatedAt, diplomaId]);
      return;
    }
    case 'revoke':
      await db.run(`UPDATE ${t.diplomas} SET status = 2, updated_at = ? WHERE diploma_id = ?`, [updatedAt, diplomaId]);
      return;
    case 'reissue': {
      const [row] = await db.query<{ serial_no: string }>(`SELECT serial_no FROM ${t.diplomas} WHERE diploma_id = ?`, [diplomaId]);
      if (!row) throw new RangeError(`no diploma ${diplomaId} in the sample UIS`);
      // a second reissue still names the very first serial: the national record keeps its id
      const [earlier] = await db.query<{ original_serial_no: string }>(`SELECT original_serial_no FROM ${t.diploma_reissues} WHERE diploma_id = ?`, [diplomaId]);
      if (!earlier) await db.insert(t.diploma_reissues, ['diploma_id', 'original_serial_no', 'reason'], [[diplomaId, row.serial_no, 'Cấp lại do mất bản chính']]);
      await db.run(`UPDATE ${t.diplomas} SET serial_no = ?, register_no = ?, issue_date = ?, updated_at = ? WHERE diploma_id = ?`, [change.serialNo, change.registerNo, change.issueDate, updatedAt, diplomaId]);
      return;
    }
  }
}
