export { DICTIONARY_TABLE, EVENT_BY_STATUS, vanBangChungChiMapping } from './mapping.js';
export { BIRTH_PLACE_COLUMNS, FIELD_TABLE, UPDATED_AT_COLUMN } from './fields.js';
export type { FieldRule, Source } from './fields.js';
export { CLASSIFICATIONS, VBCC_ID_NAMESPACE, diplomaRecordId } from './transforms.js';
