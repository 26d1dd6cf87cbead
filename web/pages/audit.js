import { get, query } from '../api.js';
import { clear, field, h, table } from '../dom.js';
import { formatDateTime, t } from '../i18n.js';
import { announce, pageHeading, showError } from '../ui.js';

export async function render(main) {
  pageHeading(main, 'audit.title');
  const actor = h('input', { type: 'text', name: 'actor', autocomplete: 'off' });
  const action = h('input', { type: 'text', name: 'action', autocomplete: 'off' });
  const form = h('form', { class: 'card inline', method: 'get' }, field('audit-actor', t('audit.actor'), actor), field('audit-action', t('audit.action'), action), h('button', { type: 'submit' }, t('action.filter')));
  const results = h('div', {});
  async function load(before) {
    try {
      const { entries } = await get(`/audit${query({ actor: actor.value.trim(), action: action.value.trim(), before, limit: 100 })}`);
      clear(results);
      results.append(table(t('audit.caption'), [t('audit.seq'), t('audit.at'), t('audit.actor'), t('audit.action'), t('audit.subject'), t('audit.address'), t('audit.outcome'), t('audit.detail')],
        entries.map((e) => [String(e.seq), formatDateTime(e.at), e.actor, e.action, e.subject ?? '—', e.address, t(`audit.outcomes.${e.outcome}`), h('code', {}, JSON.stringify(e.detail))]), { rowHeader: true }));
      announce(t('audit.shown', { n: entries.length }));
      const last = entries[entries.length - 1];
      if (last && last.seq > 1 && entries.length === 100) results.append(h('button', { type: 'button', class: 'secondary', onclick: () => load(last.seq) }, t('action.older')));
    } catch (err) {
      showError(err);
    }
  }
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void load();
  });
  main.append(form, results);
  await load();
}
