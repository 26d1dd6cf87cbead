import { createHash } from 'node:crypto';
import { runInNewContext } from 'node:vm';
import { DOMParser } from '@xmldom/xmldom';
import { describe, expect, it } from 'vitest';
import { CODE_SECTIONS, TOTAL_LABEL, labels } from '../i18n.js';
import { PARTITION_KEYS } from '../types.js';
import { escapeHtml } from './html-escape.js';
import { renderReconciliationHtml } from './html.js';
import { CCCD, CMND, sampleReport } from './testing/sample-report.js';

const html = renderReconciliationHtml(sampleReport());

function parse(text: string) {
  const errors: string[] = [];
  const doc = new DOMParser({
    onError: (level, message) => {
      errors.push(`${level}: ${message}`);
    },
  }).parseFromString(text, 'text/html');
  return { doc, errors };
}

function between(text: string, open: string, close: string): string {
  const start = text.indexOf(open);
  const end = text.indexOf(close, start + open.length);
  if (start < 0 || end < 0) throw new Error(`no ${open}`);
  return text.slice(start + open.length, end);
}

describe('renderReconciliationHtml', () => {
  it('parses without errors and starts in Vietnamese', () => {
    const { doc, errors } = parse(html);
    expect(errors).toEqual([]);
    expect(doc.documentElement?.getAttribute('lang')).toBe('vi');
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
  });

  it('escapes a <script> in a message: the page has exactly one script, its own', () => {
    expect(html.match(/<script/gi)).toHaveLength(1);
    expect(html).toContain('&lt;script&gt;alert(&quot;xss&quot;)&lt;/script&gt;');
    const { doc } = parse(html);
    const cells = Array.from({ length: doc.getElementsByTagName('td').length }, (_, k) =>
      doc.getElementsByTagName('td').item(k),
    );
    // the text an administrator sees is the message itself, not markup
    expect(cells.some((td) => td?.textContent === '<script>alert("xss")</script>')).toBe(true);
    expect(html).toContain('Cả năm &lt;b&gt;');
  });

  it('loads nothing from outside and allows only its own style and script', () => {
    expect(html).not.toMatch(/<link|<img|<iframe|@import|url\(|src=|https?:\/\/(?!evil\.example)/i);
    const csp = between(html, 'http-equiv="Content-Security-Policy" content="', '"').replace(/&#39;/g, "'");
    const style = between(html, '<style>', '</style>');
    const script = between(html, '<script>', '</script>');
    const b64 = (s: string): string => createHash('sha256').update(s, 'utf8').digest('base64');
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain(`style-src 'sha256-${b64(style)}'`);
    expect(csp).toContain(`script-src 'sha256-${b64(script)}'`);
  });

  it('masks 12- and 9-digit numbers in messages and examples', () => {
    expect(html).not.toContain(CCCD);
    expect(html).not.toContain(CMND);
    expect(html).toContain('********1234');
    expect(html).toContain('*****6789');
  });

  it('has every total card in both languages, and the header', () => {
    const report = sampleReport();
    for (const [key, label] of Object.entries(TOTAL_LABEL)) {
      expect(html).toContain(`data-total="${key}"`);
      expect(html).toContain(escapeHtml(labels.vi[label]));
      expect(html).toContain(escapeHtml(labels.en[label]));
    }
    expect(html).toContain('<span class="l-vi" lang="vi">1.250</span><span class="l-en" lang="en">1,250</span>');
    for (const value of [report.job, report.dataset, report.unitCode, report.generatedAt]) expect(html).toContain(value);
    const headings = ['deadlinesHeading', 'missingHeading', 'mismatchedHeading', 'goneHeading', 'extraHeading', 'glossaryHeading', 'issuesHeading', ...CODE_SECTIONS.map((c) => c.heading)] as const;
    for (const key of headings) {
      expect(html).toContain(escapeHtml(labels.vi[key]));
      expect(html).toContain(escapeHtml(labels.en[key]));
    }
  });

  it('adds up: the partition cards sum to the source card, and says so', () => {
    const card = (key: string): number => {
      const m = new RegExp(`data-total="${key}"><div class="value"><span class="l-vi" lang="vi">[^<]*</span><span class="l-en" lang="en">([\\d,]+)</span>`).exec(html);
      if (!m?.[1]) throw new Error(`no card ${key}`);
      return Number(m[1].replace(/,/g, ''));
    };
    expect(PARTITION_KEYS.reduce((s, k) => s + card(k), 0)).toBe(card('source'));
    expect(html).toContain('The columns add up: 1,250 = 1,250 source records');
    expect(html).toMatch(/<p class="sum" id="partition-sum">/);
  });

  it('has a section per kind: held back at the source apart from rejected by the hub, each with its count', () => {
    const held = between(html, '<section id="codes-heldBack">', '</section>');
    const hub = between(html, '<section id="codes-rejectedByHub">', '</section>');
    expect(held).toContain('<td><code>DUPLICATE_IDBANGHI</code></td>');
    expect(held).toContain('<td><code>REQUIRED</code></td>');
    expect(held).not.toContain('WEIRD_HUB_CODE');
    expect(held).toContain('<span class="badge"><span class="l-vi" lang="vi">5</span>');
    expect(hub).toContain('<td><code>WEIRD_HUB_CODE</code></td>');
    expect(hub).not.toContain('REQUIRED');
    const warnings = between(html, '<section id="codes-warnings">', '</section>');
    expect(warnings).toContain('<td><code>DATE_RANGE</code></td>');
    expect(warnings).toContain('<code>HS030</code>');
  });

  it('lists duplicates with both source keys, mismatches with both versions and records gone from the source', () => {
    const issues = between(html, '<section id="issues-section">', '</section>');
    expect(issues).toMatch(/<code>HS020<\/code>.*<code>HS021<\/code>/s);
    const mismatched = between(html, '<section id="mismatched">', '</section>');
    expect(mismatched).toContain(escapeHtml(labels.vi.kindOlder));
    expect(mismatched).toContain('<td>3</td><td>2</td>');
    const gone = between(html, '<section id="gone">', '</section>');
    expect(gone).toContain('<code>hb-0040</code>');
    expect(gone).toContain('<code>HS040</code>');
  });

  it('explains every code in both languages in the glossary, and shows unknown codes as such', () => {
    const glossary = between(html, '<section id="glossary">', '</section>');
    for (const c of sampleReport().codes) {
      expect(glossary).toContain(`<code>${c.code}</code>`);
      expect(glossary).toContain(escapeHtml(c.vi));
      expect(glossary).toContain(escapeHtml(c.en));
    }
    expect(html).toContain('Thiếu trường bắt buộc');
    expect(html).toContain('A field the national data dictionary requires is empty.');
    expect(html).toContain('Số định danh cá nhân (CCCD) không hợp lệ'); // CCCD_CHECK through the CCCD_ family
    expect(glossary).toContain('No explanation for this code yet');
  });

  it('shows deadlines with Vietnamese dates and overdue days', () => {
    expect(html).toContain('<span class="l-vi" lang="vi">30/06/2026</span>');
    expect(html).toContain('còn 10 ngày');
    expect(html).toContain('<span class="overdue"><span class="l-vi" lang="vi">quá hạn 5 ngày</span>');
    const noDeadlines = { ...sampleReport() };
    delete noDeadlines.deadlines;
    expect(renderReconciliationHtml(noDeadlines)).not.toContain('id="deadlines"');
  });

  it('says "none" for empty tables and that all is clear for a clean report', () => {
    const report = sampleReport();
    const clean = renderReconciliationHtml({
      ...report,
      totals: { ...report.totals, accepted: 1250, pending: 0, unsent: 0, rejectedByHub: 0, dead: 0, conflicts: 0, heldBack: 0, missingAtHub: 0, mismatched: 0, goneFromSource: 0, extraAtHub: 0, warnings: 0 },
      issues: [],
      byCode: [],
      waiting: [],
      warnings: [],
      missingAtHub: [],
      mismatched: [],
      goneFromSource: [],
      extraAtHub: [],
      codes: [],
    });
    expect(clean).toContain(escapeHtml(labels.vi.allClear));
    expect(clean).not.toContain('id="issue-filter"');
    expect(parse(clean).errors).toEqual([]);
    expect(html).not.toContain(escapeHtml(labels.vi.allClear));
  });
});

/** Just enough DOM for the page's script: attributes, title, placeholder, rows and storage. */
class FakeElement {
  attrs = new Map<string, string>();
  listeners = new Map<string, () => void>();
  hidden = false;
  placeholder = '';
  value = '';
  textContent = '';
  getAttribute(name: string): string | null {
    return this.attrs.get(name) ?? null;
  }
  setAttribute(name: string, value: string): void {
    this.attrs.set(name, value);
  }
  addEventListener(type: string, fn: () => void): void {
    this.listeners.set(type, fn);
  }
  fire(type: string): void {
    this.listeners.get(type)?.();
  }
}

function runScript(store: Map<string, string>) {
  const script = between(html, '<script>', '</script>');
  const root = new FakeElement();
  root.setAttribute('lang', 'vi');
  root.setAttribute('data-title-vi', 'Báo cáo');
  root.setAttribute('data-title-en', 'Report');
  const button = new FakeElement();
  const filter = new FakeElement();
  filter.setAttribute('data-placeholder-vi', labels.vi.filterPlaceholder);
  filter.setAttribute('data-placeholder-en', labels.en.filterPlaceholder);
  const shown = new FakeElement();
  const rows = ['hb-0010 REQUIRED Thiếu họ và tên', 'hb-0012 WEIRD_HUB_CODE', 'hb-0013 VERSION_CONFLICT'].map((text) => {
    const row = new FakeElement();
    row.textContent = text;
    return row;
  });
  const byId: Record<string, FakeElement> = { 'lang-toggle': button, 'issue-filter': filter, 'issue-shown': shown };
  const document = {
    documentElement: root,
    title: 'Báo cáo',
    getElementById: (id: string) => byId[id] ?? null,
    querySelectorAll: (selector: string) => (selector === '#issues tbody tr' ? rows : []),
  };
  const localStorage = {
    getItem: (k: string) => store.get(k) ?? null,
    setItem: (k: string, v: string) => void store.set(k, v),
  };
  runInNewContext(script, { document, localStorage });
  return { root, button, filter, shown, rows, document };
}

describe('the page script', () => {
  it('switches the language, updates lang, title and placeholder, and remembers the choice', () => {
    const store = new Map<string, string>();
    const page = runScript(store);
    expect(page.root.getAttribute('lang')).toBe('vi');
    page.button.fire('click');
    expect(page.root.getAttribute('lang')).toBe('en');
    expect(page.document.title).toBe('Report');
    expect(page.filter.placeholder).toBe(labels.en.filterPlaceholder);
    expect(store.get('lienthong.report.lang')).toBe('en');

    const reopened = runScript(store);
    expect(reopened.root.getAttribute('lang')).toBe('en');
    reopened.button.fire('click');
    expect(reopened.root.getAttribute('lang')).toBe('vi');
    expect(store.get('lienthong.report.lang')).toBe('vi');
  });

  it('filters the issue rows by their text, case-insensitively', () => {
    const page = runScript(new Map());
    page.filter.value = 'weird';
    page.filter.fire('input');
    expect(page.rows.map((r) => r.hidden)).toEqual([true, false, true]);
    expect(page.shown.textContent).toBe('1');
    page.filter.value = '';
    page.filter.fire('input');
    expect(page.rows.every((r) => !r.hidden)).toBe(true);
    expect(page.shown.textContent).toBe('3');
  });

  it('still switches when localStorage refuses access (file:// in some browsers)', () => {
    const refusing = new Map<string, string>();
    refusing.get = () => {
      throw new Error('SecurityError');
    };
    refusing.set = () => {
      throw new Error('SecurityError');
    };
    const page = runScript(refusing);
    page.button.fire('click');
    expect(page.root.getAttribute('lang')).toBe('en');
  });
});
