import { get, post } from '../api.js';
import { clear, h, table } from '../dom.js';
import { t } from '../i18n.js';
import { announce, can, loading, pageHeading, showError } from '../ui.js';

function findingText(f) {
  if (f.type === 'unused') return t('connections.unused');
  if (f.type === 'connection') return `${f.ok ? t('connections.ok') : t('connections.failed')}: ${f.message}`;
  return `${t('connections.query', { job: f.job })} — ${f.ok ? t('connections.ok') : t('connections.failed')}${f.message ? `: ${f.message}` : ''}${f.notes?.length ? ` (${f.notes.join('; ')})` : ''}`;
}

async function check(name, cell, button) {
  button.disabled = true;
  clear(cell).append(t('connections.checking'));
  try {
    const report = await post(`/connections/${encodeURIComponent(name)}/check`);
    clear(cell).append(h('ul', {}, report.findings.map((f) => h('li', { class: f.ok === false ? 'late' : '' }, findingText(f)))));
    announce(t('connections.checked', { name, outcome: t(`connections.outcome.${report.outcome}`) }));
  } catch (err) {
    clear(cell).append('—');
    showError(err);
  } finally {
    button.disabled = false;
  }
}

export async function render(main) {
  pageHeading(main, 'connections.title');
  const done = loading(main);
  const { connections } = await get('/connections');
  done();
  const operator = can('operator');
  const headers = [t('field.name'), t('field.type'), t('field.kind'), t('connections.options'), t('connections.result')];
  if (operator) headers.push(t('field.action'));
  main.append(table(t('connections.title'), headers, connections.map((c) => {
    const result = h('div', { 'aria-live': 'polite' }, '—');
    const row = [c.name, c.type, t(`connections.kind.${c.kind}`), h('pre', { class: 'json small', tabindex: '0', 'aria-label': t('connections.optionsOf', { name: c.name }) }, JSON.stringify(c.options, null, 1)), result];
    if (operator) {
      const button = h('button', { type: 'button', class: 'small', 'aria-label': t('connections.checkLabel', { name: c.name }) }, t('action.check'));
      button.addEventListener('click', () => check(c.name, result, button));
      row.push(button);
    }
    return row;
  }), { rowHeader: true }));
}
