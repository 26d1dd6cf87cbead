/**
 * The diploma status table: which source values mean which national `trangthai`, and which event
 * (`sukien`) the hub gets. Sources write the status as the national code (1..4), as words in
 * Vietnamese ('Đã cấp', 'Hủy') or in English ('issued', 'revoked'). Matching ignores case,
 * accents and spaces ('HUỶ', 'huy', ' Hủy ' are one value).
 *
 * A value the table does not know stops that record (STATUS_UNKNOWN): sending it as anything would
 * risk leaving a revoked diploma valid at the hub. To teach the mapping a source's own words, add
 * them in the job's `mapping.options.statusValues`, e.g.
 *
 *   statusValues:
 *     issued: ["Đang lưu hành"]
 *     cancelled: ["Huỷ do cấp sai"]
 *
 * They are added to the defaults below; a value listed under two statuses is a configuration error.
 */
import { ConfigError } from '../../../src/core/errors.js';
import type { RecordEvent } from '../../../src/core/records.js';

export const STATUS_KINDS = ['issued', 'revoked', 'cancelled', 'corrected'] as const;
export type StatusKind = (typeof STATUS_KINDS)[number];

export interface StatusEntry {
  /** the national code (VanBangChungChi.trangthai) */
  trangthai: string;
  sukien: RecordEvent;
  /** source values that mean this status (case, accents and spaces do not matter) */
  values: readonly string[];
}

/** trangthai 1 valid, 2 revoked, 3 cancelled, 4 corrected (docs/formats/diploma.md#the-record). */
export const STATUS_TABLE: Readonly<Record<StatusKind, StatusEntry>> = {
  // revoking or cancelling is a soft delete; a correction is an update
  issued: { trangthai: '1', sukien: 'NEW', values: ['1', 'Có hiệu lực', 'Hiệu lực', 'Đã cấp', 'Cấp mới', 'issued', 'valid', 'active'] },
  revoked: { trangthai: '2', sukien: 'CANCEL', values: ['2', 'Thu hồi', 'Bị thu hồi', 'Đã thu hồi', 'revoked'] },
  cancelled: { trangthai: '3', sukien: 'CANCEL', values: ['3', 'Hủy', 'Hủy bỏ', 'Đã hủy', 'Bị hủy', 'cancelled', 'canceled'] },
  corrected: { trangthai: '4', sukien: 'UPDATE', values: ['4', 'Đã chỉnh sửa', 'Chỉnh sửa', 'Hiệu chỉnh', 'Đã hiệu chỉnh', 'corrected', 'amended'] },
};

/** The matching key: no accents (đ → d), lower case, single spaces; a number without leading zeros. */
export function statusKey(value: string | number): string {
  const t = String(value)
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
  return /^\d+$/.test(t) ? String(Number(t)) : t;
}

export type StatusLookup = ReadonlyMap<string, StatusEntry>;

function build(extra: unknown): StatusLookup {
  const path = 'mapping.options.statusValues';
  if (extra !== undefined && extra !== null && (typeof extra !== 'object' || Array.isArray(extra))) {
    throw new ConfigError('MAPPING_OPTION_INVALID', `${path} must map ${STATUS_KINDS.join(', ')} to lists of values`, { path });
  }
  const added = (extra ?? {}) as Record<string, unknown>;
  for (const kind of Object.keys(added)) {
    if (!(STATUS_KINDS as readonly string[]).includes(kind)) {
      throw new ConfigError('MAPPING_OPTION_INVALID', `${path}.${kind}: unknown status (known: ${STATUS_KINDS.join(', ')})`, { path: `${path}.${kind}` });
    }
  }
  const lookup = new Map<string, StatusEntry>();
  const owner = new Map<string, StatusKind>();
  const add = (kind: StatusKind, value: string | number): void => {
    const key = statusKey(value);
    const before = owner.get(key);
    if (before !== undefined && before !== kind) {
      throw new ConfigError('MAPPING_OPTION_INVALID', `${path}.${kind}: "${String(value)}" already means ${before}`, { path: `${path}.${kind}` });
    }
    owner.set(key, kind);
    lookup.set(key, STATUS_TABLE[kind]);
  };
  // the defaults first, so that a clash is reported on the job's own entry
  for (const kind of STATUS_KINDS) for (const value of STATUS_TABLE[kind].values) add(kind, value);
  for (const kind of STATUS_KINDS) {
    const more = added[kind] ?? [];
    if (!Array.isArray(more) || !more.every((v) => typeof v === 'string' || typeof v === 'number')) {
      throw new ConfigError('MAPPING_OPTION_INVALID', `${path}.${kind} must be a list of texts or numbers`, { path: `${path}.${kind}` });
    }
    for (const value of more as (string | number)[]) add(kind, value);
  }
  return lookup;
}

const DEFAULT_LOOKUP = build(undefined);
// one table per job options object, not one per record
const lookups = new WeakMap<object, StatusLookup>();

/** The status table of a job: the defaults plus its `statusValues` option. */
export function statusLookup(options: Record<string, unknown>): StatusLookup {
  const extra = options.statusValues;
  if (extra === undefined || extra === null) return DEFAULT_LOOKUP;
  if (typeof extra !== 'object') return build(extra);
  let lookup = lookups.get(extra);
  if (lookup === undefined) {
    lookup = build(extra);
    lookups.set(extra, lookup);
  }
  return lookup;
}

/** trangthai → sukien, for readers of the national code alone. */
export const EVENT_BY_STATUS: Readonly<Record<string, RecordEvent>> = Object.fromEntries(
  STATUS_KINDS.map((k) => [STATUS_TABLE[k].trangthai, STATUS_TABLE[k].sukien]),
);
