export { DICTIONARY_TABLE, EVENT_BY_STATUS, vanBangChungChiMapping } from './mapping.js';
export { ACCEPTED_NOT_SENT, BIRTH_PLACE_COLUMNS, FIELD_TABLE, STATUS_COLUMN, UPDATED_AT_COLUMN } from './fields.js';
export { STATUS_KINDS, STATUS_TABLE, statusKey } from './status.js';
export type { StatusEntry, StatusKind } from './status.js';
export { DEFAULT_MAX_GRADUATION_AGE, DEFAULT_MIN_GRADUATION_AGE, checkDiplomaDates } from './rules.js';
export { declaredColumns } from './columns.js';
export type { FieldRule, Source } from './fields.js';
export { CLASSIFICATIONS, VBCC_ID_NAMESPACE, diplomaRecordId } from './transforms.js';
