/**
 * reconciliation.html: one self-contained page an administrator opens from disk or an intranet
 * share. No external resources: CSS and a small script are inline, and a Content-Security-Policy
 * allows only those two blocks (by hash), so even a message that slipped past escaping could not
 * run or load anything.
 *
 * Both languages are in the page: every label is a pair of spans (`.l-vi`, `.l-en`) and CSS shows
 * the one matching `<html lang>`. Vietnamese is the default and works without script; the button
 * switches `lang` and remembers the choice in localStorage.
 */
import { createHash } from 'node:crypto';
import {
  CATEGORY_LABEL,
  CODE_SECTIONS,
  CREDENTIAL_STATE_LABEL,
  LEDGER_STATUS_ORDER,
  MISMATCH_KIND_LABEL,
  STATUS_LABEL,
  TOTAL_LABEL,
  describeDaysLeft,
  fillLabel,
  formatDate,
  labels,
  type LabelKey,
} from '../i18n.js';
import { CREDENTIAL_STATES, HUB_CHECK_KEYS, PARTITION_KEYS, partitionSum, type ReconciliationReport, type ReconciliationTotals } from '../types.js';
import { escapeHtml as esc } from './html-escape.js';
import { maskReport } from './mask.js';
import { reportIsClear } from './summary.js';

/** A label in both languages. */
function t(key: LabelKey): string {
  return both(labels.vi[key], labels.en[key]);
}

/** Any text in both languages, escaped. */
function both(vi: string, en: string): string {
  return `<span class="l-vi" lang="vi">${esc(vi)}</span><span class="l-en" lang="en">${esc(en)}</span>`;
}

const NUMBER_VI = new Intl.NumberFormat('vi-VN');
const NUMBER_EN = new Intl.NumberFormat('en-US');

function num(n: number): string {
  return both(NUMBER_VI.format(n), NUMBER_EN.format(n));
}

function date(isoDate: string): string {
  return both(formatDate(isoDate, 'vi'), formatDate(isoDate, 'en'));
}

function code(text: string | undefined): string {
  return text === undefined || text === '' ? '' : `<code>${esc(text)}</code>`;
}

function hash(h: string): string {
  const short = h.length > 12 ? `${h.slice(0, 12)}…` : h;
  return `<code title="${esc(h)}">${esc(short)}</code>`;
}

function table(headers: string[], rows: string[][], attrs = ''): string {
  if (rows.length === 0) return `<p class="none">${t('none')}</p>`;
  const head = headers.map((h) => `<th scope="col">${h}</th>`).join('');
  const body = rows.map((cells) => `<tr>${cells.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('\n');
  return `<div class="scroll"><table${attrs}><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table></div>`;
}

function section(id: string, heading: string, body: string, count?: number): string {
  const badge = count === undefined ? '' : ` <span class="badge">${num(count)}</span>`;
  return `<section id="${id}"><h2>${heading}${badge}</h2>\n${body}\n</section>`;
}

/** Totals that mean something needs attention when they are not zero. */
const ATTENTION: ReadonlySet<keyof ReconciliationTotals> = new Set<keyof ReconciliationTotals>([
  'rejectedByHub',
  'dead',
  'conflicts',
  'heldBack',
  'missingAtHub',
  'mismatched',
  'goneFromSource',
  'extraAtHub',
]);

function totalsCards(totals: ReconciliationTotals, keys: readonly (keyof ReconciliationTotals)[]): string {
  const cards = keys.map((key) => {
    const value = totals[key];
    const cls = ATTENTION.has(key) && value > 0 ? 'card attention' : key === 'accepted' ? 'card good' : 'card';
    return `<div class="${cls}" data-total="${key}"><div class="value">${num(value)}</div><div class="label">${t(TOTAL_LABEL[key])}</div></div>`;
  });
  return `<div class="cards">\n${cards.join('\n')}\n</div>`;
}

/** The partition's cards, then a line that says whether they add up to the source count. */
function partitionBlock(totals: ReconciliationTotals): string {
  const sum = partitionSum(totals);
  const key: LabelKey = sum === totals.source ? 'addsUp' : 'doesNotAddUp';
  const values = (lang: 'vi' | 'en'): Record<string, string> => {
    const f = lang === 'vi' ? NUMBER_VI : NUMBER_EN;
    return { sum: f.format(sum), source: f.format(totals.source) };
  };
  const line = both(fillLabel(labels.vi[key], values('vi')), fillLabel(labels.en[key], values('en')));
  return `<h3>${t('partitionHeading')}</h3>\n${totalsCards(totals, ['source', ...PARTITION_KEYS])}\n<p class="${sum === totals.source ? 'sum' : 'overdue'}" id="partition-sum">${line}</p>`;
}

const STYLE = `
:root{color-scheme:light;--fg:#1d2733;--muted:#5b6775;--line:#d9dee5;--bg:#f6f8fa;--card:#fff;--accent:#0b5cad;--bad:#b42318;--good:#1a7f37}
*{box-sizing:border-box}
html[lang="vi"] .l-en,html[lang="en"] .l-vi{display:none}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;color:var(--fg);background:var(--bg)}
header{background:var(--card);border-bottom:1px solid var(--line);padding:16px 24px;display:flex;flex-wrap:wrap;gap:12px 32px;align-items:flex-start;justify-content:space-between}
h1{margin:0 0 8px;font-size:22px}
h2{font-size:18px;margin:0 0 12px}
h3{font-size:15px;margin:12px 0 8px}
.sum{color:var(--muted)}
dl.meta{display:grid;grid-template-columns:auto 1fr;gap:2px 12px;margin:0}
dl.meta dt{color:var(--muted)}
dl.meta dd{margin:0;font-weight:600}
main{padding:16px 24px;max-width:1400px}
section{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:16px;margin:0 0 16px}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(150px,1fr));gap:12px}
.card{border:1px solid var(--line);border-radius:8px;padding:12px;background:var(--card)}
.card .value{font-size:26px;font-weight:700}
.card .label{color:var(--muted)}
.card.attention{border-color:var(--bad)}
.card.attention .value{color:var(--bad)}
.card.good .value{color:var(--good)}
.badge{display:inline-block;min-width:24px;padding:0 8px;border-radius:12px;background:var(--bg);border:1px solid var(--line);font-size:13px;font-weight:600;text-align:center}
.scroll{overflow-x:auto}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;vertical-align:top;padding:6px 8px;border-bottom:1px solid var(--line)}
th{background:var(--bg);position:sticky;top:0}
td.n,th.n{text-align:right}
tbody tr:nth-child(even){background:#fafbfc}
tr[hidden]{display:none}
code{font:13px ui-monospace,SFMono-Regular,Consolas,monospace;word-break:break-all}
.none,.note,footer{color:var(--muted)}
.overdue{color:var(--bad);font-weight:600}
.clear{color:var(--good);font-weight:600}
button{font:inherit;padding:6px 14px;border:1px solid var(--accent);border-radius:6px;background:var(--card);color:var(--accent);cursor:pointer}
button:hover{background:var(--accent);color:#fff}
input[type="search"]{font:inherit;padding:6px 10px;width:min(480px,100%);border:1px solid var(--line);border-radius:6px;margin:0 12px 12px 0}
details summary{cursor:pointer;color:var(--accent)}
details ul{margin:6px 0 0;padding-left:20px}
footer{padding:0 24px 24px;font-size:13px}
@media print{button,input[type="search"]{display:none}section{break-inside:avoid}th{position:static}}
`;

/* The script holds no report data: it only switches the language and filters the issue table. */
const SCRIPT = `
(function(){
var root=document.documentElement,KEY='lienthong.report.lang';
var filter=document.getElementById('issue-filter');
function setLang(lang,save){
root.setAttribute('lang',lang);
document.title=root.getAttribute('data-title-'+lang)||document.title;
if(filter){filter.placeholder=filter.getAttribute('data-placeholder-'+lang)||'';}
if(save){try{localStorage.setItem(KEY,lang);}catch(e){}}
}
var saved=null;try{saved=localStorage.getItem(KEY);}catch(e){}
if(saved==='vi'||saved==='en'){setLang(saved,false);}
document.getElementById('lang-toggle').addEventListener('click',function(){
setLang(root.getAttribute('lang')==='en'?'vi':'en',true);
});
if(filter){
var rows=document.querySelectorAll('#issues tbody tr');
var shown=document.getElementById('issue-shown');
filter.addEventListener('input',function(){
var q=filter.value.trim().toLowerCase(),n=0;
for(var i=0;i<rows.length;i++){
var hit=!q||rows[i].textContent.toLowerCase().indexOf(q)!==-1;
rows[i].hidden=!hit;if(hit){n++;}
}
if(shown){shown.textContent=String(n);}
});
}
})();
`;

function cspHash(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

const CSP = [
  "default-src 'none'",
  `style-src ${cspHash(STYLE)}`,
  `script-src ${cspHash(SCRIPT)}`,
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

export function renderReconciliationHtml(report: ReconciliationReport): string {
  const r = maskReport(report);
  const parts: string[] = [];
  const titleVi = `${labels.vi.title} — ${r.job}`;
  const titleEn = `${labels.en.title} — ${r.job}`;

  parts.push(`<!DOCTYPE html>
<html lang="vi" data-title-vi="${esc(titleVi)}" data-title-en="${esc(titleEn)}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${esc(CSP)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="lienthong">
<title>${esc(titleVi)}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<div>
<h1>${t('title')}</h1>
<dl class="meta">
<dt>${t('job')}</dt><dd>${code(r.job)}</dd>
<dt>${t('dataset')}</dt><dd>${code(r.dataset)}</dd>
<dt>${t('unit')}</dt><dd>${code(r.unitCode)}</dd>
<dt>${t('generatedAt')}</dt><dd>${esc(r.generatedAt)}</dd>
</dl>
</div>
<button id="lang-toggle" type="button">${t('switchLanguage')}</button>
</header>
<main>`);

  const codes = new Map(r.codes.map((c) => [c.code, c]));
  const explain = (c: string): string => {
    const e = codes.get(c);
    return e ? both(e.vi, e.en) : esc(c);
  };
  parts.push(
    section(
      'totals',
      t('totalsHeading'),
      partitionBlock(r.totals) +
        `\n<h3>${t('hubChecksHeading')}</h3>\n` +
        totalsCards(r.totals, [...HUB_CHECK_KEYS, 'warnings']) +
        (reportIsClear(r) ? `\n<p class="clear">${t('allClear')}</p>` : ''),
    ),
  );

  if (r.deadlines !== undefined && r.deadlines.length > 0) {
    const rows = r.deadlines.map((d) => [
      esc(d.name),
      date(d.date),
      `<span${d.daysLeft < 0 ? ' class="overdue"' : ''}>${both(describeDaysLeft(d.daysLeft, 'vi'), describeDaysLeft(d.daysLeft, 'en'))}</span>`,
      num(d.accepted),
      num(d.waiting),
      num(d.failed),
      num(d.heldBack),
    ]);
    parts.push(
      section(
        'deadlines',
        t('deadlinesHeading'),
        table(
          [t('deadlineName'), t('deadlineDate'), t('daysLeft'), t('totalAccepted'), t('deadlineWaiting'), t('deadlineFailed'), t('totalHeldBack')],
          rows,
        ),
      ),
    );
  }

  // one section per kind of problem: held back at the source and refused by the hub are never mixed
  for (const { category, heading } of CODE_SECTIONS) {
    const groups = r.byCode.filter((g) => g.category === category);
    const rows = groups.map((g) => {
      const examples =
        g.examples.length === 0
          ? ''
          : `<details><summary>${t('examples')} (${num(g.examples.length)})</summary><ul>${g.examples.map((e) => `<li>${code(e)}</li>`).join('')}</ul></details>`;
      return [code(g.code), num(g.records), explain(g.code) + examples];
    });
    parts.push(
      section(
        `codes-${category}`,
        t(heading),
        table([t('code'), t('records'), t('explanation')], rows) + (rows.length > 0 ? `\n<p class="note">${t('examplesNote')}</p>` : ''),
        r.totals[category],
      ),
    );
  }

  parts.push(
    section(
      'missing',
      t('missingHeading'),
      table(
        [t('idbanghi'), t('sourceKey'), t('ledgerPhienban')],
        r.missingAtHub.map((m) => [code(m.idbanghi), code(m.sourceKey), esc(String(m.ledgerPhienban))]),
      ),
      r.missingAtHub.length,
    ),
  );

  parts.push(
    section(
      'mismatched',
      t('mismatchedHeading'),
      table(
        [t('idbanghi'), t('sourceKey'), t('mismatchKind'), t('ledgerPhienban'), t('hubPhienban'), t('ledgerHash'), t('hubHash')],
        r.mismatched.map((m) => [
          code(m.idbanghi),
          code(m.sourceKey),
          t(MISMATCH_KIND_LABEL[m.kind]),
          esc(String(m.ledgerPhienban)),
          esc(String(m.hubPhienban)),
          hash(m.ledgerHash),
          hash(m.hubHash),
        ]),
      ),
      r.mismatched.length,
    ),
  );

  parts.push(
    section(
      'gone',
      t('goneHeading'),
      table(
        [t('idbanghi'), t('sourceKey'), t('ledgerStatus'), t('hubPhienban')],
        r.goneFromSource.map((g) => [code(g.idbanghi), code(g.sourceKey), t(STATUS_LABEL[g.ledgerStatus]), esc(String(g.hubPhienban))]),
      ),
      r.goneFromSource.length,
    ),
  );

  parts.push(
    section(
      'extra',
      t('extraHeading'),
      table(
        [t('idbanghi'), t('hubPhienban')],
        r.extraAtHub.map((e) => [code(e.idbanghi), esc(String(e.phienban))]),
      ),
      r.extraAtHub.length,
    ),
  );

  if (r.credentials) {
    // the credential column (VNeID): every record the hub holds, as the credential service holds it
    const c = r.credentials;
    const heading = both(fillLabel(labels.vi.credentialsHeading, { target: c.target }), fillLabel(labels.en.credentialsHeading, { target: c.target }));
    const counts = table(
      CREDENTIAL_STATES.map((s) => t(CREDENTIAL_STATE_LABEL[s])),
      [CREDENTIAL_STATES.map((s) => esc(String(c.counts[s])))],
      ' id="credential-counts"',
    );
    const unavailable = c.unavailable === undefined ? '' : `\n<p class="overdue">${both(fillLabel(labels.vi.credentialUnavailable, { code: c.unavailable.code, message: c.unavailable.message }), fillLabel(labels.en.credentialUnavailable, { code: c.unavailable.code, message: c.unavailable.message }))}</p>`;
    const without = c.withoutPersonalId === undefined ? '' : `\n<p class="note">${both(fillLabel(labels.vi.credentialWithoutPersonalId, { n: c.withoutPersonalId }), fillLabel(labels.en.credentialWithoutPersonalId, { n: c.withoutPersonalId }))}</p>`;
    const list = table(
      [t('idbanghi'), t('sourceKey'), t('credentialState'), t('hubHash'), t('credentialHeldHash')],
      c.entries.filter((e) => e.state !== 'published').map((e) => [code(e.idbanghi), code(e.sourceKey), t(CREDENTIAL_STATE_LABEL[e.state]), hash(e.hubHash), e.heldHash === undefined ? '' : hash(e.heldHash)]),
    );
    parts.push(section('credentials', heading, `${counts}${unavailable}${without}\n${list}`, c.entries.length));
  }

  parts.push(
    section(
      'glossary',
      t('glossaryHeading'),
      table([t('code'), t('explanation')], r.codes.map((c) => [code(c.code), both(c.vi, c.en)])),
      r.codes.length,
    ),
  );

  const issueRows = [
    ...r.issues.map((i) => [
      t(CATEGORY_LABEL[i.category]),
      code(i.idbanghi),
      code(i.sourceKey),
      code(i.code),
      code(i.field),
      esc(i.message) + (i.otherSourceKeys ? `<br>${t('otherSourceKeys')}: ${i.otherSourceKeys.map((k) => code(k)).join(' ')}` : ''),
      i.hubPhienban === undefined ? '' : esc(String(i.hubPhienban)),
    ]),
    ...r.warnings.map((w) => [t('totalWarnings'), code(w.idbanghi), code(w.sourceKey), code(w.code), code(w.field), esc(w.message), '']),
  ];
  const filterBox =
    issueRows.length === 0
      ? ''
      : `<input type="search" id="issue-filter" aria-label="${esc(labels.vi.filterPlaceholder)}" placeholder="${esc(labels.vi.filterPlaceholder)}" data-placeholder-vi="${esc(labels.vi.filterPlaceholder)}" data-placeholder-en="${esc(labels.en.filterPlaceholder)}"><span class="note">${t('shown')}: <span id="issue-shown">${issueRows.length}</span> / ${issueRows.length}</span>\n`;
  parts.push(
    section(
      'issues-section',
      t('issuesHeading'),
      filterBox +
        table([t('category'), t('idbanghi'), t('sourceKey'), t('code'), t('field'), t('message'), t('hubPhienban')], issueRows, ' id="issues"'),
      issueRows.length,
    ),
  );

  parts.push(
    section(
      'status-counts',
      t('statusCountsHeading'),
      table(
        [t('ledgerStatus'), t('count')],
        LEDGER_STATUS_ORDER.map((s) => [`${t(STATUS_LABEL[s])} <code>${esc(s)}</code>`, num(r.statusCounts[s] ?? 0)]),
      ),
    ),
  );

  parts.push(`</main>
<footer>${t('footer')}</footer>
<script>${SCRIPT}</script>
</body>
</html>
`);
  return parts.join('\n');
}
