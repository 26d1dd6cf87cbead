import { ConfigError } from '../src/core/errors.js';
import type { Mapping } from '../src/core/mapping.js';
import { cimStudentSnapshotMapping } from './cim-student-snapshot/1/index.js';
import { hocBaThcsThptMapping } from './hocba-thcsthpt/2025/index.js';
import { hocBaThcsThptSignedMapping } from './hocba-thcsthpt-signed/2025/index.js';
import { vanBangChungChiMapping } from './vanbangchungchi/2025/index.js';

/**
 * The mappings a job can name (`mapping.name`), each versioned by the national format it
 * produces. A new version of a format is a new folder and a new entry; old ones stay so that a
 * job can move when the ministry says so.
 */
export const MAPPINGS: Readonly<Record<string, Mapping>> = {
  'vanbangchungchi/2025': vanBangChungChiMapping,
  'hocba-thcsthpt/2025': hocBaThcsThptMapping,
  'hocba-thcsthpt-signed/2025': hocBaThcsThptSignedMapping,
  'cim-student-snapshot/1': cimStudentSnapshotMapping,
};

export function getMapping(name: string): Mapping {
  const m = MAPPINGS[name];
  if (!m) throw new ConfigError('UNKNOWN_MAPPING', `no mapping named "${name}" (known: ${Object.keys(MAPPINGS).join(', ')})`, { path: 'mapping.name' });
  return m;
}
