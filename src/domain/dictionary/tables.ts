import { ConfigError } from '../../core/errors.js';
import { DICTIONARY_TABLES } from './national-dictionary.generated.js';
import type { DictionaryField, DictionaryTable } from './types.js';

const byName = new Map<string, DictionaryTable>(DICTIONARY_TABLES.map((t) => [t.name, t]));
// Case-insensitive lookup only where it is unambiguous: the dictionary has both `TTChungHocVien`
// (flat form) and `ttchunghocvien` (nested form), which are different tables.
const byLowerName = new Map<string, DictionaryTable | null>();
for (const t of DICTIONARY_TABLES) {
  const k = t.name.toLowerCase();
  byLowerName.set(k, byLowerName.has(k) ? null : t);
}

/** The table by its exact name, or case-insensitively when only one table has that name. */
export function findDictionaryTable(name: string): DictionaryTable | undefined {
  return byName.get(name) ?? byLowerName.get(name.toLowerCase()) ?? undefined;
}

/** The table by name; throws ConfigError DICTIONARY_TABLE_UNKNOWN when the dictionary lacks it. */
export function getDictionaryTable(name: string): DictionaryTable {
  const table = findDictionaryTable(name);
  if (table === undefined) {
    throw new ConfigError('DICTIONARY_TABLE_UNKNOWN', `table ${name} is not in the national data dictionary`, {
      dataset: name,
    });
  }
  return table;
}

export function listDictionaryTables(): string[] {
  return DICTIONARY_TABLES.map((t) => t.name);
}

export function getDictionaryField(table: DictionaryTable, name: string): DictionaryField | undefined {
  return table.fields.find((f) => f.name === name);
}
