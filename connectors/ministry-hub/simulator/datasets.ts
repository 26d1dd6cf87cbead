import { getDictionaryTable, validateAgainstTable } from '../../../src/domain/dictionary/index.js';
import { validateEnvelope } from './envelope.js';
import { hocBaThcsThptValidator } from './hocba-validator.js';
import { inVietnamese } from './messages-vi.js';
import type { DatasetValidator } from './dataset-validator.js';

export type { DatasetValidator };

/** What the default validators need from the simulator's options. */
export interface DatasetValidatorOptions {
  /** PEM certificates of the CAs whose certificates may sign a học bạ; none: every học bạ is rejected */
  trustedCaPems?: readonly string[];
  /** the hub's clock (certificates must be valid at this time); default Date.now */
  now?: () => number;
}

/** Diplomas: the envelope (idbanghi ≤ 36 as in the dictionary) and `data` against `VanBangChungChi`. */
export const vanBangChungChiValidator: DatasetValidator = {
  schemaVersions: ['VanBangChungChi/2025'],
  validate(record) {
    const errors = validateEnvelope(record, 36);
    const data = record.data;
    if (data !== null && typeof data === 'object' && !Array.isArray(data)) {
      // A CANCEL (revoked or cancelled diploma) may carry only the fields that say so.
      errors.push(
        ...validateAgainstTable(getDictionaryTable('VanBangChungChi'), data, { skipRequired: record.sukien === 'CANCEL' }).map(
          inVietnamese,
        ),
      );
    }
    return errors;
  },
};

export function defaultDatasetValidators(options: DatasetValidatorOptions = {}): Map<string, DatasetValidator> {
  return new Map<string, DatasetValidator>([
    ['vanbangchungchi', vanBangChungChiValidator],
    ['hocbaso-thcsthpt', hocBaThcsThptValidator({ trustedCaPems: options.trustedCaPems ?? [], ...(options.now ? { now: options.now } : {}) })],
  ]);
}
