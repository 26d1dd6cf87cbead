import type { FieldError, JsonObject } from '../../core/records.js';
import { getDictionaryTable, validateAgainstTable } from '../../domain/dictionary/index.js';
import { validateEnvelope } from './envelope.js';
import { hocBaThcsThptValidator } from './hocba-validator.js';
import { inVietnamese } from './messages-vi.js';

/**
 * How the hub checks the records of one dataset. Datasets are pluggable: the simulator serves the
 * datasets of the map it is given, so `hocbaso-thcsthpt` (XSD, signatures, hash, data match) is
 * added by registering one more validator.
 */
export interface DatasetValidator {
  /** the schemaVersion values a batch of this dataset may declare */
  readonly schemaVersions: readonly string[];
  /**
   * field errors of one record (envelope and data); empty when it is valid. May be async (XSD and
   * signature checks): the batch awaits every record's check before it opens its transaction.
   */
  validate(record: JsonObject): FieldError[] | Promise<FieldError[]>;
}

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
