export { DICTIONARY_TABLE, hocBaThcsThptMapping, sourceEncodingOption } from './mapping.js';
export { ADDRESS_RULES, FIELD_TABLE, HISTORY_COLUMN, NAME_FIELDS, SOURCE_COLUMNS, STORED_RESULT_COLUMNS, SUBJECTS_COLUMN, UPDATED_AT_COLUMN } from './fields.js';
export type { FieldRule, Source } from './fields.js';
export { HOCBA_THCSTHPT_ID_NAMESPACE, hocBaRecordId } from './transforms.js';
export { SubjectItemSchema, mapSubjects, type SubjectsOutcome } from './subjects.js';
export { HistoryItemSchema, mapHistory } from './history.js';
