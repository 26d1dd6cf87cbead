// Apart from datasets.ts so that a validator (hocba-validator.ts) and the list of them
// (datasets.ts) do not import each other.
import type { FieldError, JsonObject } from '../../../src/core/records.js';

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
