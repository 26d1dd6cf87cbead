/**
 * The source columns the diploma mapping reads (Mapping.columns), made from the field table so the
 * list cannot drift from what is read. A column is required when the record cannot be sent without
 * it: its national field is required by the data dictionary, or it makes the envelope (update
 * time, status). The others are optional: left out, their fields are left out.
 */
import { getDictionaryTable } from '../../../src/domain/dictionary/index.js';
import { ACCEPTED_NOT_SENT, BIRTH_PLACE_COLUMNS, FIELD_TABLE, LIFECYCLE_COLUMNS, STATUS_COLUMN, UPDATED_AT_COLUMN } from './fields.js';

export function declaredColumns(): { required: string[]; optional: string[] } {
  const requiredFields = new Set(getDictionaryTable('VanBangChungChi').fields.filter((f) => f.required).map((f) => f.name));
  const required = new Set<string>([UPDATED_AT_COLUMN, STATUS_COLUMN]);
  const optional = new Set<string>();
  for (const rule of FIELD_TABLE) {
    if (typeof rule.from !== 'object' || !('column' in rule.from)) continue;
    (requiredFields.has(rule.to) ? required : optional).add(rule.from.column);
  }
  for (const c of [BIRTH_PLACE_COLUMNS.province, BIRTH_PLACE_COLUMNS.ward, ...ACCEPTED_NOT_SENT, ...LIFECYCLE_COLUMNS]) optional.add(c);
  for (const c of required) optional.delete(c);
  return { required: [...required], optional: [...optional] };
}
