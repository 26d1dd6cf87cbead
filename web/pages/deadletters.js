import { get, post, query } from '../api.js';
import { clear, field, h, table } from '../dom.js';
import { t } from '../i18n.js';
import { announce, can, confirmAction, jobChooser, loading, pageHeading, showError } from '../ui.js';

async function requeue(job, selection, title, text, list) {
  const ok = await confirmAction(title, text, t('action.requeue'));
  if (!ok) return;
  try {
    const result = await post(`/jobs/${encodeURIComponent(job)}/deadletters/requeue`, selection);
    const message = t('deadletters.requeued', { n: result.requeued, skipped: result.notRequeued.length });
    await load(job, list, message, result.notRequeued);
    announce(message);
  } catch (err) {
    showError(err);
  }
}

async function load(job, list, message, notRequeued = [], after = null) {
  clear(list);
  const done = loading(list);
  const { deadLetters, next } = await get(`/jobs/${encodeURIComponent(job)}/deadletters${query({ after })}`);
  done();
  // a page of the dead letters: a count is "at least" when more pages follow
  const total = next ? `${deadLetters.length}+` : deadLetters.length;
  if (message) list.append(h('p', { class: 'notice' }, message));
  if (notRequeued.length > 0) {
    list.append(table(t('deadletters.notRequeued'), [t('field.idbanghi'), t('field.reason')], notRequeued.map((n) => [n.idbanghi, n.reason]), { rowHeader: true }));
  }
  if (deadLetters.length === 0) {
    list.append(h('p', {}, t('deadletters.none')));
    return;
  }
  const operator = can('operator');
  if (operator) {
    const codes = [...new Set(deadLetters.map((d) => d.error?.code).filter(Boolean))].sort();
    const codeSelect = h('select', { name: 'code' }, codes.map((c) => h('option', { value: c }, c)));
    const byCode = h('form', { class: 'inline', method: 'post' }, field('requeue-code', t('deadletters.byCode'), codeSelect), h('button', { type: 'submit' }, t('deadletters.requeueCode')));
    byCode.addEventListener('submit', (event) => {
      event.preventDefault();
      const code = codeSelect.value;
      void requeue(job, { code }, t('deadletters.confirmCodeTitle', { code }), t('deadletters.confirmCodeText', { code, n: `${deadLetters.filter((d) => d.error?.code === code).length}${next ? '+' : ''}` }), list);
    });
    list.append(h('div', { class: 'card actions' }, codes.length > 0 ? byCode : null,
      h('button', { type: 'button', class: 'warning', onclick: () => requeue(job, { all: true }, t('deadletters.confirmAllTitle'), t('deadletters.confirmAllText', { n: total }), list) }, t('deadletters.requeueAll', { n: total }))));
  }
  const headers = [t('field.idbanghi'), t('field.sourceKey'), t('field.target'), t('field.kind'), t('field.phienban'), t('field.attempts'), t('field.reason')];
  if (operator) headers.push(t('field.action'));
  list.append(table(t('deadletters.caption', { job }), headers, deadLetters.map((d) => {
    const row = [
      h('a', { href: `/jobs/${encodeURIComponent(job)}/records/${encodeURIComponent(d.idbanghi)}` }, d.idbanghi),
      d.sourceKey, d.target, t(`deadletters.status.${d.status}`), String(d.phienban), String(d.attempts),
      d.error ? `${d.error.code}: ${d.error.message}` : '—',
    ];
    if (operator) {
      row.push(h('button', { type: 'button', class: 'small requeue-one', 'aria-label': t('deadletters.requeueOneLabel', { id: d.idbanghi }),
        onclick: () => requeue(job, { idbanghi: [d.idbanghi] }, t('deadletters.confirmOneTitle'), t('deadletters.confirmOneText', { id: d.idbanghi }), list) }, t('action.requeue')));
    }
    return row;
  }), { rowHeader: true }));
  if (next) list.append(h('button', { type: 'button', class: 'secondary', onclick: () => load(job, list, null, [], next) }, t('action.nextPage')));
}

export async function render(main) {
  pageHeading(main, 'deadletters.title');
  const job = await jobChooser(main);
  if (!job) return;
  main.append(h('p', {}, t('deadletters.explain')));
  const list = h('div', { id: 'deadletters' });
  main.append(list);
  await load(job, list);
}
