/**
 * The graduates of the "alien" university databases the real-source tests run on: clean, valid
 * people (names, birth places and CCCD numbers from the sample generator, so every one of them
 * maps), one diploma each, with change times of our own choosing. The same seed always gives the
 * same graduates. Each database module writes them in a schema of its own design; the tests then
 * make chosen rows dirty with plain SQL, so that every dirty row is known by id.
 */
import { SeededRandom } from '../../../src/core/seeded-random.js';
import { PROGRAMMES, type Programme } from '../../../src/sample/uis-catalog.js';
import { generateDecisions, UisRowFactory, type UisDecision } from '../../../src/sample/uis-rows.js';

export interface Graduate {
  id: number;
  studentCode: string;
  fullName: string;
  /** YYYY-MM-DD */
  birthDate: string;
  gender: string;
  ethnicity: string;
  nationalId: string;
  birthPlace: string;
  provinceCode: string;
  wardCode: string;
  programme: Programme;
  decision: UisDecision;
  serialNo: string;
  registerNo: string;
  classification: string;
  graduationYear: number;
  /** YYYY-MM-DD */
  issueDate: string;
  diplomaUuid: string;
  /** the source's own words: 'Đã cấp' (issued) or 'Hủy' (cancelled) */
  statusText: 'Đã cấp' | 'Hủy';
  /** the change time as an instant (epoch ms) and its microseconds within the millisecond */
  changedAtMs: number;
  changedAtMicros: number;
}

export interface AlienSchoolData {
  graduates: Graduate[];
  decisions: UisDecision[];
  programmes: readonly Programme[];
}

/** Every diploma was issued before this (Vietnam time 2026-08-31 17:00)… */
export const ALIEN_NOW = '2026-08-31T17:00:00';
/** …and moved into this system from 2026-09-01 08:00:00 +07 on, one every few minutes */
const FIRST_CHANGE_MS = Date.UTC(2026, 8, 1, 1, 0, 0);

export function generateAlienGraduates(count: number, seed: number): AlienSchoolData {
  const rng = new SeededRandom(seed);
  const decisions = generateDecisions(new SeededRandom(seed ^ 0x5eed), ALIEN_NOW);
  // clean rows only: dirt is put in by the tests themselves, where they can name it
  const factory = new UisRowFactory(rng, { decisions, now: ALIEN_NOW, dirtyRate: 0, legacyRate: 0, cccdOffset: seed % 500_000 });
  const byDecision = new Map(decisions.map((d) => [d.decisionId, d]));
  const byProgramme = new Map(PROGRAMMES.map((p) => [p.programmeId, p]));
  const graduates: Graduate[] = [];
  let changedAtMs = FIRST_CHANGE_MS;
  for (let id = 1; id <= count; id++) {
    const { student, diploma } = factory.next(id);
    // student: id, code, name, birth, gender, ethnicity, cccd, place, province, ward, nationality, programme
    // diploma: id, student, decision, serial, register, classification, year, issue, uuid, status, updated
    // a change every few minutes; every tenth row shares its change time with the one before (ties
    // are common in real systems: a batch of diplomas entered in one statement)
    if (id % 10 !== 0) changedAtMs += rng.int(60, 900) * 1000 + rng.int(0, 999);
    graduates.push({
      id,
      studentCode: `SV${String(student[1])}`,
      fullName: String(student[2]),
      birthDate: String(student[3]),
      gender: String(student[4]),
      ethnicity: String(student[5]),
      nationalId: String(student[6]),
      birthPlace: String(student[7]),
      provinceCode: String(student[8]),
      wardCode: String(student[9]),
      programme: byProgramme.get(Number(student[11])) as Programme,
      decision: byDecision.get(Number(diploma[2])) as UisDecision,
      serialNo: String(diploma[3]),
      registerNo: String(diploma[4]),
      classification: String(diploma[5]),
      graduationYear: Number(diploma[6]),
      issueDate: String(diploma[7]),
      diplomaUuid: String(diploma[8]),
      statusText: rng.chance(0.05) ? 'Hủy' : 'Đã cấp',
      changedAtMs,
      changedAtMicros: id % 10 === 0 ? (graduates[graduates.length - 1]?.changedAtMicros ?? 0) : rng.int(0, 999),
    });
  }
  return { graduates, decisions, programmes: PROGRAMMES };
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** `YYYY-MM-DD HH:mm:ss.ffffff+07` (PostgreSQL timestamptz input, Vietnam offset, microseconds) */
export function vietnamTimestamptz(ms: number, micros: number): string {
  return `${vietnamLocal(ms, micros)}+07`;
}

/** `YYYY-MM-DD HH:mm:ss.ffffff` in Vietnam wall-clock time (MariaDB DATETIME(6)) */
export function vietnamLocal(ms: number, micros: number): string {
  const t = new Date(ms + 7 * 3_600_000);
  const fraction = `${pad(t.getUTCMilliseconds(), 3)}${pad(micros, 3)}`;
  return `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())} ${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}:${pad(t.getUTCSeconds())}.${fraction}`;
}

/** YYYY-MM-DD → DD/MM/YYYY, as many Vietnamese systems keep dates in text columns */
export function ddmmyyyy(iso: string): string {
  const [y, m, d] = iso.split('-');
  return `${d}/${m}/${y}`;
}
