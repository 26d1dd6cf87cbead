import type { LoadedConfig } from '../config/load.js';
import type { SourceConnector } from '../core/connector.js';
import type { SourceRecord } from '../core/records.js';
import { LienthongError } from '../core/errors.js';
import type { ConnectionOverrides } from '../engine/assemble.js';
import type { CertificatesConfig } from '../config/certificates.js';
import type { StudentRecord } from './content.js';
import { studentRecordOf } from './student-record.js';

/** Reads one student's certificate data; null when the UIS has no such student. */
export interface StudentDataReader {
  read(studentId: string): Promise<StudentRecord | null>;
  close(): Promise<void>;
}

const STUDENTS = 'cim-students';
const RESULTS = 'cim-results';

/**
 * The UIS through the configured source connection (a `sql` connection): the two SELECTs of
 * `certificates.uis` become streams keyed by `student_id`, read with `readKeys` (the student's
 * rows only, whatever the SELECT's own filter). A failure to reach the UIS is a TransientError
 * from the connector: the caller then falls back to the last data read.
 */
export async function createUisReader(loaded: LoadedConfig, config: CertificatesConfig, overrides?: ConnectionOverrides): Promise<StudentDataReader> {
  const { buildStreamSource } = await import('../engine/assemble.js');
  const source: SourceConnector = buildStreamSource(
    loaded,
    config.uis.connection,
    [
      { name: STUDENTS, query: config.uis.students, keyFields: ['student_id'] },
      { name: RESULTS, query: config.uis.results, keyFields: ['student_id'] },
    ],
    overrides,
  );
  const readKeys = source.readKeys?.bind(source);
  if (readKeys === undefined) {
    const { ConfigError } = await import('../core/errors.js');
    throw new ConfigError('CIM_SOURCE_UNSUITABLE', `certificates.uis.connection: the ${source.type} connection cannot read given keys; use a sql connection`, { path: 'certificates.uis.connection' });
  }
  const rows = async (stream: string, studentId: string): Promise<Record<string, unknown>[]> => {
    const out: Record<string, unknown>[] = [];
    for await (const record of readKeys(stream, [studentId]) as AsyncIterable<SourceRecord>) out.push(record.data as Record<string, unknown>);
    return out;
  };
  return {
    async read(studentId: string): Promise<StudentRecord | null> {
      const students = await rows(STUDENTS, studentId);
      const student = students[0];
      if (student === undefined) return null;
      return studentRecordOf(student, await rows(RESULTS, studentId), config.uis.scale);
    },
    close: () => source.close(),
  };
}

/** True when an error means the UIS could not be reached (as opposed to a wrong query or bad data). */
export function isUisUnreachable(err: unknown): boolean {
  return err instanceof LienthongError && err.kind === 'transient';
}
