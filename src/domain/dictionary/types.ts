/** One field of a national data dictionary table, as the dictionary states it. */
export type DictionaryFieldType =
  | 'varchar'
  | 'date'
  | 'timestamp'
  | 'int'
  | 'boolean'
  | 'decimal'
  | 'double'
  | 'float'
  | 'object'
  | 'array'
  | string;

/** A format the field's meaning column names ("Định dạng …"). */
export type DictionaryFormat = 'YYYY-MM-DDTHH:mm:ss' | 'YYYY-MM-DD' | 'YYYY-YYYY' | 'YYYY-MM' | 'YYYY';

export interface DictionaryField {
  name: string;
  type: DictionaryFieldType;
  /** maximum length in characters (varchar) or digits (int); null when the dictionary gives none */
  length: number | null;
  /** true for 'x', '1', '1..n': the field must be present and non-empty */
  required: boolean;
  /** the dictionary's own required column, e.g. 'x', '0..1', '1 (Chỉ lựa chọn 1)' */
  requiredRaw: string;
  key: 'PK' | 'FK' | null | string;
  meaning: string;
  format?: DictionaryFormat | string;
}

export interface DictionaryTable {
  name: string;
  /**
   * true for the tables written in the nested JSON form (object/array rows, repeated field names):
   * only their top-level leaf fields are checked.
   */
  nested: boolean;
  fields: readonly DictionaryField[];
}

export interface ValidateOptions {
  /** path prefix of the reported field, default `data` (errors read `data.<field>`) */
  path?: string;
  /** accept fields the table does not define (default false: reported as DICT_UNKNOWN_FIELD) */
  allowUnknownFields?: boolean;
  /** skip the required check (e.g. a CANCEL that carries only a few fields) */
  skipRequired?: boolean;
  /** allow line breaks (\n, \r\n, \t) in free-text fields; other control characters stay errors */
  allowLineBreaks?: boolean;
  /**
   * data keys holding child-table rows (object or array of objects) → child table name.
   * Defaults per parent table are in DEFAULT_CHILD_TABLES.
   */
  children?: Record<string, string>;
  /** also check the envelope fields (idbanghi, sukien, …) if they appear in `data` */
  includeEnvelope?: boolean;
}
