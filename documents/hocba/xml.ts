import { DOMImplementation, XMLSerializer, type Document, type Element } from '@xmldom/xmldom';
import { DataError } from '../../src/core/errors.js';
import { childElements, isNamed, parseXmlStrict, textOf } from './dom.js';
import {
  BANGDIEM_FIELDS,
  CHUNGCHI_FIELDS,
  ENVELOPE_FIELDS,
  HOCBA_FIELDS,
  QUATRINHHOCTAP_FIELDS,
  type BangDiemMon,
  type ChungChi,
  type FieldSpec,
  type HocBaThcsThpt,
  type QuaTrinhHocTap,
} from './fields.js';

/** Namespace of the secondary school record document, version 1 (docs/formats/hocba.md#the-xml-document). */
export const HOCBA_NS = 'urn:vn:moet:hocbaso:thcsthpt:1';
const DATASET = 'thongtinsohocbasothcsthpt';

/** The fixed `Id`s of the document; signatures reference these. */
export const HOCBA_IDS = {
  dulieu: 'dulieu',
  ketqua: 'ketqua',
  gvbm: 'cks-gvbm',
  gvcn: 'cks-gvcn',
  hieuTruong: 'cks-ht',
  donVi: 'cks-dv',
} as const;

/** The signature roles in signing order, with the element of DSCKS each one's signatures go in. */
export const SIGNATURE_ROLES = [
  { role: 'gvbm', element: 'GVBM', id: HOCBA_IDS.gvbm },
  { role: 'gvcn', element: 'GVCN', id: HOCBA_IDS.gvcn },
  { role: 'hieutruong', element: 'HieuTruong', id: HOCBA_IDS.hieuTruong },
  { role: 'donvi', element: 'DonVi', id: HOCBA_IDS.donVi },
] as const;
export type SignatureRole = (typeof SIGNATURE_ROLES)[number]['role'];

export function subjectElementId(mamonhoc: string): string {
  return `mon-${mamonhoc}`;
}

type FieldValue = string | number | boolean | null | undefined;
type LooseRecord = Record<string, unknown>;

/**
 * Renders a school record as the học bạ XML document (unsigned: the DSCKS role elements are empty).
 * Element order follows the field tables; empty values are left out. A field the dictionary does not
 * know is a data error (silently dropping it would sign less than the source holds).
 */
export function buildHocBaXml(data: HocBaThcsThpt): string {
  const record = data as unknown as LooseRecord;
  const recordKey = typeof record['idbanghi'] === 'string' ? record['idbanghi'] : undefined;
  const known = new Set<string>([...HOCBA_FIELDS.map((f) => f.name), 'bangdiem', 'quatrinhhoctap', 'chungchi']);
  rejectUnknownFields(record, known, '', recordKey);

  const doc = new DOMImplementation().createDocument(HOCBA_NS, 'HocBa', null);
  const root = doc.documentElement;
  if (!root) throw new DataError('HOCBA_BUILD', 'could not create the document root', { dataset: DATASET });
  const writer = new Writer(doc);

  const duLieu = writer.child(root, 'DuLieuHocBa', 1);
  duLieu.setAttribute('Id', HOCBA_IDS.dulieu);
  writer.fields(duLieu, HOCBA_FIELDS.filter((f) => !('part' in f)), record, 2, '', recordKey);

  const subjects = asArray(record['bangdiem'], 'bangdiem', recordKey);
  if (subjects.length === 0) {
    throw new DataError('HOCBA_NO_SUBJECT', 'the record has no subject (bangdiem is empty)', { dataset: DATASET, record: recordKey, field: 'bangdiem' });
  }
  const seen = new Set<string>();
  subjects.forEach((subject, i) => {
    const path = `bangdiem[${i}].`;
    rejectUnknownFields(subject, new Set(BANGDIEM_FIELDS.map((f) => f.name)), path, recordKey);
    const mamonhoc = subject['mamonhoc'];
    if (typeof mamonhoc !== 'string' || mamonhoc === '') {
      throw new DataError('HOCBA_FIELD_REQUIRED', `${path}mamonhoc is required`, { dataset: DATASET, record: recordKey, field: `${path}mamonhoc` });
    }
    if (seen.has(mamonhoc)) {
      throw new DataError('HOCBA_DUPLICATE_SUBJECT', `subject ${mamonhoc} appears twice`, { dataset: DATASET, record: recordKey, field: `${path}mamonhoc` });
    }
    seen.add(mamonhoc);
    const el = writer.child(duLieu, 'BangDiem', 2);
    el.setAttribute('Id', subjectElementId(mamonhoc));
    writer.fields(el, BANGDIEM_FIELDS, subject, 3, path, recordKey);
    writer.close(el, 2);
  });

  const ketQua = writer.child(duLieu, 'KetQua', 2);
  ketQua.setAttribute('Id', HOCBA_IDS.ketqua);
  writer.fields(ketQua, HOCBA_FIELDS.filter((f) => 'part' in f && f.part === 'ketqua'), record, 3, '', recordKey);
  writer.close(ketQua, 2);

  for (const [list, element, specs] of [
    ['quatrinhhoctap', 'QuaTrinhHocTap', QUATRINHHOCTAP_FIELDS],
    ['chungchi', 'ChungChi', CHUNGCHI_FIELDS],
  ] as const) {
    asArray(record[list], list, recordKey).forEach((row, i) => {
      const path = `${list}[${i}].`;
      rejectUnknownFields(row, new Set(specs.map((f) => f.name)), path, recordKey);
      const el = writer.child(duLieu, element, 2);
      writer.fields(el, specs, row, 3, path, recordKey);
      writer.close(el, 2);
    });
  }
  writer.close(duLieu, 1);

  const dscks = writer.child(root, 'DSCKS', 1);
  for (const role of SIGNATURE_ROLES) {
    const el = writer.child(dscks, role.element, 2);
    el.setAttribute('Id', role.id);
  }
  writer.close(dscks, 1);
  writer.close(root, 0);

  return `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(doc)}\n`;
}

/** Appends elements with line breaks and indentation, so that people can read the document. */
class Writer {
  constructor(private readonly doc: Document) {}

  child(parent: Element, name: string, depth: number): Element {
    parent.appendChild(this.doc.createTextNode(`\n${'  '.repeat(depth)}`));
    const el = this.doc.createElementNS(HOCBA_NS, name);
    parent.appendChild(el);
    return el;
  }

  close(el: Element, depth: number): void {
    el.appendChild(this.doc.createTextNode(`\n${'  '.repeat(depth)}`));
  }

  fields(parent: Element, specs: readonly FieldSpec[], row: LooseRecord, depth: number, path: string, recordKey: string | undefined): void {
    for (const spec of specs) {
      const text = fieldText(row[spec.name], spec, path, recordKey);
      if (text === undefined) continue;
      const el = this.child(parent, spec.name, depth);
      el.appendChild(this.doc.createTextNode(text));
    }
  }
}

function fieldText(value: unknown, spec: FieldSpec, path: string, recordKey: string | undefined): string | undefined {
  const v = value as FieldValue;
  if (v === undefined || v === null || v === '') return undefined;
  if (spec.type === 'boolean') {
    if (v === 0 || v === 1 || v === '0' || v === '1') return String(v);
    if (typeof v === 'boolean') return v ? '1' : '0';
  } else if (typeof v === 'string') {
    return v;
  } else if (typeof v === 'number' && Number.isFinite(v)) {
    return String(v);
  }
  throw new DataError('HOCBA_FIELD_TYPE', `${path}${spec.name} has a value of the wrong type for ${spec.type}`, {
    dataset: DATASET,
    record: recordKey,
    field: `${path}${spec.name}`,
  });
}

function rejectUnknownFields(row: LooseRecord, known: ReadonlySet<string>, path: string, recordKey: string | undefined): void {
  for (const key of Object.keys(row)) {
    if (known.has(key) || ENVELOPE_FIELDS.has(key)) continue;
    throw new DataError('HOCBA_UNKNOWN_FIELD', `${path}${key} is not a field of ${DATASET}`, { dataset: DATASET, record: recordKey, field: `${path}${key}` });
  }
}

function asArray(value: unknown, field: string, recordKey: string | undefined): LooseRecord[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || !value.every((row) => typeof row === 'object' && row !== null && !Array.isArray(row))) {
    throw new DataError('HOCBA_FIELD_TYPE', `${field} must be a list of rows`, { dataset: DATASET, record: recordKey, field });
  }
  return value as LooseRecord[];
}

/**
 * Reads the data of a học bạ document WITHOUT checking any signature. Only for documents this process
 * built itself (round trips, data-match checks before signing); a received document goes through
 * `verifyHocBa`, which returns the data of the verified element only.
 */
export function readUnverifiedHocBaXml(xml: string): HocBaThcsThpt {
  const doc = parseXmlStrict(xml, 'học bạ document');
  const root = doc.documentElement;
  if (!root || !isNamed(root, HOCBA_NS, 'HocBa')) {
    throw new DataError('HOCBA_STRUCTURE', `the root element is not HocBa in ${HOCBA_NS}`, { dataset: DATASET });
  }
  const duLieu = childElements(root).find((el) => isNamed(el, HOCBA_NS, 'DuLieuHocBa'));
  if (!duLieu) throw new DataError('HOCBA_STRUCTURE', 'the document has no DuLieuHocBa', { dataset: DATASET });
  return hocBaDataFromElement(duLieu);
}

/** Turns a DuLieuHocBa element back into the record it renders. Unknown elements are an error. */
export function hocBaDataFromElement(duLieu: Element): HocBaThcsThpt {
  const record: LooseRecord = { bangdiem: [], quatrinhhoctap: [], chungchi: [] };
  const bangdiem: LooseRecord[] = [];
  const quatrinhhoctap: LooseRecord[] = [];
  const chungchi: LooseRecord[] = [];
  const topFields = new Map<string, FieldSpec>(HOCBA_FIELDS.filter((f) => !('part' in f)).map((f) => [f.name, f]));
  const ketQuaFields = new Map<string, FieldSpec>(HOCBA_FIELDS.filter((f) => 'part' in f).map((f) => [f.name, f]));

  for (const el of childElements(duLieu)) {
    if (el.namespaceURI !== HOCBA_NS) throw structure(`an element outside the ${HOCBA_NS} namespace in DuLieuHocBa`);
    const name = el.localName ?? '';
    const spec = topFields.get(name);
    if (spec) {
      record[name] = valueFromText(textOf(el), spec);
    } else if (name === 'BangDiem') {
      bangdiem.push(rowFromElement(el, BANGDIEM_FIELDS));
    } else if (name === 'KetQua') {
      Object.assign(record, rowFromElement(el, [...ketQuaFields.values()]));
    } else if (name === 'QuaTrinhHocTap') {
      quatrinhhoctap.push(rowFromElement(el, QUATRINHHOCTAP_FIELDS));
    } else if (name === 'ChungChi') {
      chungchi.push(rowFromElement(el, CHUNGCHI_FIELDS));
    } else {
      throw structure(`unknown element ${name} in DuLieuHocBa`);
    }
  }
  record['bangdiem'] = bangdiem;
  record['quatrinhhoctap'] = quatrinhhoctap;
  record['chungchi'] = chungchi;
  return record as unknown as HocBaThcsThpt;
}

function rowFromElement(parent: Element, specs: readonly FieldSpec[]): LooseRecord {
  const byName = new Map(specs.map((s) => [s.name, s]));
  const row: LooseRecord = {};
  for (const el of childElements(parent)) {
    const spec = el.namespaceURI === HOCBA_NS ? byName.get(el.localName ?? '') : undefined;
    if (!spec) throw structure(`unknown element ${el.localName ?? '?'} in ${parent.localName ?? '?'}`);
    row[spec.name] = valueFromText(textOf(el), spec);
  }
  return row;
}

function valueFromText(text: string, spec: FieldSpec): string | number {
  if (spec.type === 'boolean' || spec.type === 'int' || spec.type === 'double') {
    const n = Number(text);
    if (text.trim() === '' || !Number.isFinite(n)) throw structure(`${spec.name} is not a number`);
    return n;
  }
  return text;
}

function structure(message: string): DataError {
  return new DataError('HOCBA_STRUCTURE', message, { dataset: DATASET });
}

export type { BangDiemMon, ChungChi, HocBaThcsThpt, QuaTrinhHocTap };
