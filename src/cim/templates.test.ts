import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../core/package-root.js';
import { kioskTemplatePayload, loadTemplateRegistry } from './templates.js';

const dir = mkdtempSync(join(tmpdir(), 'lienthong-templates-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function folder(name: string, files: Record<string, string>): string {
  const path = join(dir, name);
  mkdirSync(path);
  for (const [file, text] of Object.entries(files)) writeFileSync(join(path, file), text);
  return path;
}

const UNIT = 'version: 1\nunit: { code: KCNTT, name: { vi: Khoa CNTT, en: Faculty of IT } }\n';
const TEMPLATE = (code: string, extra = ''): string =>
  `  - code: ${code}\n    title: { vi: Tiêu đề, en: Title }\n    languages: [vi]\n    feeVnd: 0\n    layoutVersion: 1\n    layout: { kind: letter, heading: { vi: TIÊU ĐỀ }, signerTitle: { vi: TRƯỞNG KHOA }${extra} }\n`;

describe('the certificate template registry', () => {
  it('ships the four templates of the contract, with fees, languages and owner units', () => {
    const registry = loadTemplateRegistry(join(packageRoot(), 'config/templates/cim'));
    expect(registry.templates.map((t) => t.code)).toEqual(['BANG_DIEM_TAM_THOI_EN', 'BANG_DIEM_TAM_THOI_VI', 'CN_TOT_NGHIEP_TAM_THOI', 'XAC_NHAN_SINH_VIEN']);
    expect(registry.get('BANG_DIEM_TAM_THOI_VI')?.languages).toEqual(['vi']);
    expect(registry.get('BANG_DIEM_TAM_THOI_EN')?.languages).toEqual(['en']);
    expect(registry.get('XAC_NHAN_SINH_VIEN')?.feeVnd).toBe(0);
    expect(registry.get('CN_TOT_NGHIEP_TAM_THOI')?.ownerUnit.code).toBe('PDT');
    const status = registry.get('XAC_NHAN_SINH_VIEN');
    expect(status && kioskTemplatePayload(status)).toEqual({
      templateCode: 'XAC_NHAN_SINH_VIEN',
      title: { vi: 'Giấy xác nhận sinh viên', en: 'Student status confirmation' },
      ownerUnit: 'CTSV',
      languages: ['vi', 'en'],
      feeVnd: 0,
      layoutVersion: 1,
      active: true,
    });
    expect(status?.contentHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('changes the content hash when what a kiosk gets changes, and only then', () => {
    const a = loadTemplateRegistry(folder('a', { 'u.yaml': `${UNIT}templates:\n${TEMPLATE('GIAY_A')}` })).get('GIAY_A');
    const b = loadTemplateRegistry(folder('b', { 'u.yaml': `${UNIT}templates:\n${TEMPLATE('GIAY_A').replace('feeVnd: 0', 'feeVnd: 5000')}` })).get('GIAY_A');
    const c = loadTemplateRegistry(folder('c', { 'other.yml': `# a comment\n${UNIT}templates:\n${TEMPLATE('GIAY_A')}` })).get('GIAY_A');
    expect(a?.contentHash).not.toBe(b?.contentHash);
    expect(a?.contentHash).toBe(c?.contentHash);
  });

  it('names the file and the field of a bad template', () => {
    const bad = folder('bad', { 'u.yaml': `${UNIT}templates:\n${TEMPLATE('GIAY_A').replace('feeVnd: 0', 'feeVnd: -1')}` });
    expect(() => loadTemplateRegistry(bad)).toThrow(/u\.yaml: templates\.0\.feeVnd: /);
    const lang = folder('lang', { 'u.yaml': `${UNIT}templates:\n${TEMPLATE('GIAY_A').replace('[vi]', '[vi, en]')}` });
    expect(() => loadTemplateRegistry(lang)).toThrow(/templates\.0\.layout\.heading\.en: missing: the template is offered in "en"/);
    const placeholder = folder('ph', { 'u.yaml': `${UNIT}templates:\n${TEMPLATE('GIAY_A', ', body: { vi: "Họ tên {hoTen}" }')}` });
    expect(() => loadTemplateRegistry(placeholder)).toThrow(/templates\.0\.layout\.body\.vi: unknown placeholder \{hoTen\}/);
    const unknown = folder('unk', { 'u.yaml': `${UNIT}templates:\n${TEMPLATE('GIAY_A')}    colour: red\n` });
    expect(() => loadTemplateRegistry(unknown)).toThrow(/templates\.0: unknown option "colour": accepted here: code, title/);
  });

  it('refuses a code defined twice, and an empty or missing folder', () => {
    const twice = folder('twice', { '1.yaml': `${UNIT}templates:\n${TEMPLATE('GIAY_A')}`, '2.yaml': `${UNIT}templates:\n${TEMPLATE('GIAY_A')}` });
    expect(() => loadTemplateRegistry(twice)).toThrow(/2\.yaml: template GIAY_A is already defined in 1\.yaml/);
    expect(() => loadTemplateRegistry(folder('empty', {}))).toThrow(expect.objectContaining({ code: 'CIM_TEMPLATES_MISSING' }));
    expect(() => loadTemplateRegistry(join(dir, 'nowhere'))).toThrow(expect.objectContaining({ code: 'CIM_TEMPLATES_MISSING' }));
  });
});
