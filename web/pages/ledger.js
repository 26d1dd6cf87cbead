import { post } from '../api.js';
import { clear, field, h, table } from '../dom.js';
import { formatDateTime, t } from '../i18n.js';
import { announce, clearError, jobChooser, pageHeading, showError } from '../ui.js';

const STATUSES = ['pending', 'sent', 'accepted', 'stale', 'rejected', 'dead'];

/**
 * The search goes by POST so that a personal id is never in an address, the browser's history or
 * a server log; the box is emptied once the answer is in, so the id is not left on the screen.
 */
export async function render(main) {
  pageHeading(main, 'ledger.title');
  const job = await jobChooser(main);
  if (!job) return;
  const q = h('input', { type: 'search', name: 'q', autocomplete: 'off', spellcheck: 'false', inputmode: 'text' });
  const status = h('select', { name: 'status' }, h('option', { value: '' }, t('ledger.anyStatus')), STATUSES.map((s) => h('option', { value: s }, t(`status.${s}`))));
  const results = h('div', { id: 'ledger-results' });
  const form = h('form', { class: 'card search', method: 'post', role: 'search', 'aria-label': t('ledger.title') },
    field('ledger-q', t('ledger.query'), q, t('ledger.queryHint')),
    field('ledger-status', t('field.status'), status),
    h('button', { type: 'submit' }, t('action.search')));
  let lastQuery = null;
  async function search(after) {
    clearError();
    const body = { job, ...(lastQuery.q ? { q: lastQuery.q } : {}), ...(lastQuery.status ? { status: lastQuery.status } : {}), ...(after ? { after } : {}), limit: 50 };
    try {
      const answer = await post('/ledger/search', body);
      showResults(answer);
    } catch (err) {
      showError(err);
    }
  }
  function showResults(answer) {
    clear(results);
    const how = answer.matchedBy ? t(`ledger.matchedBy.${answer.matchedBy}`) : t('ledger.page');
    results.append(h('h2', {}, t('ledger.results', { n: answer.entries.length })), h('p', {}, how));
    announce(`${t('ledger.results', { n: answer.entries.length })}. ${how}`);
    if (answer.entries.length > 0) {
      results.append(table(t('ledger.caption'), [t('field.idbanghi'), t('field.sourceKey'), t('field.target'), t('field.status'), t('field.phienban'), t('field.attempts'), t('field.lastError'), t('field.updatedAt')],
        answer.entries.map((e) => [
          h('a', { href: `/jobs/${encodeURIComponent(answer.job)}/records/${encodeURIComponent(e.idbanghi)}` }, e.idbanghi),
          e.sourceKey, e.target, t(`status.${e.status}`), String(e.phienban), String(e.attempts), e.lastError?.code ?? '—', formatDateTime(e.updatedAt),
        ]), { rowHeader: true }));
    }
    if (answer.next) results.append(h('button', { type: 'button', class: 'secondary', onclick: () => search(answer.next) }, t('action.nextPage')));
  }
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    lastQuery = { q: q.value.trim(), status: status.value ? [status.value] : null };
    q.value = '';
    void search(null);
  });
  main.append(form, h('div', { role: 'region', 'aria-live': 'polite', 'aria-label': t('ledger.resultsRegion') }, results));
}
