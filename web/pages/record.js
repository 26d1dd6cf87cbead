import { get } from '../api.js';
import { clear, h, table } from '../dom.js';
import { formatDateTime, t } from '../i18n.js';
import { announce, can, confirmAction, loading, pageHeading, showError } from '../ui.js';

function errorsList(errors) {
  if (!errors || errors.length === 0) return '—';
  return h('ul', {}, errors.map((e) => h('li', {}, `${e.code}${e.field ? ` (${e.field})` : ''}: ${e.message ?? ''}`)));
}

function show(container, detail, job, idbanghi) {
  clear(container);
  const { record, envelope, masked } = detail;
  container.append(h('p', {}, masked ? t('record.masked') : t('record.unmasked')));
  container.append(h('h2', {}, t('record.ledger')),
    table(t('record.ledger'), [t('field.target'), t('field.sourceKey'), t('field.status'), t('field.phienban'), t('field.attempts'), t('field.lastError'), t('field.receipt'), t('field.updatedAt'), t('field.acceptedAt')],
      record.ledger.map((e) => [e.target, e.sourceKey, t(`status.${e.status}`), String(e.phienban), String(e.attempts),
        e.lastError ? [`${e.lastError.code}: ${e.lastError.message}`, e.lastError.errors?.length ? errorsList(e.lastError.errors) : null] : '—', e.receiptId ?? '—', formatDateTime(e.updatedAt), formatDateTime(e.acceptedAt)]), { rowHeader: true, hideCaption: true }));
  if (record.heldBack.length > 0) {
    container.append(h('h2', {}, t('record.heldBack')),
      table(t('record.heldBack'), [t('field.sourceKey'), t('field.errors'), t('field.updatedAt')], record.heldBack.map((r) => [r.sourceKey, errorsList(r.errors), formatDateTime(r.updatedAt)]), { rowHeader: true, hideCaption: true }));
  }
  if (record.warnings.length > 0) {
    container.append(h('h2', {}, t('record.warnings')),
      table(t('record.warnings'), [t('field.sourceKey'), t('field.errors'), t('field.updatedAt')], record.warnings.map((r) => [r.sourceKey, errorsList(r.warnings), formatDateTime(r.updatedAt)]), { rowHeader: true, hideCaption: true }));
  }
  container.append(h('h2', {}, t('record.envelope')));
  container.append(envelope === null ? h('p', {}, t('record.noEnvelope'))
    : h('pre', { class: 'json', tabindex: '0', 'aria-label': t('record.envelope') }, JSON.stringify(envelope, null, 2)));
  if (masked && can('admin')) {
    container.append(h('div', { class: 'actions' },
      h('button', { type: 'button', class: 'warning', 'aria-describedby': 'unmask-note', onclick: () => unmask(container, job, idbanghi) }, t('record.showUnmasked')),
      h('p', { id: 'unmask-note', class: 'hint' }, t('record.unmaskAudited'))));
  }
}

async function unmask(container, job, idbanghi) {
  const ok = await confirmAction(t('record.showUnmasked'), t('record.unmaskAudited'), t('record.showUnmasked'));
  if (!ok) return;
  try {
    const detail = await get(`/jobs/${encodeURIComponent(job)}/records/${encodeURIComponent(idbanghi)}?unmask=true`);
    show(container, detail, job, idbanghi);
    announce(t('record.unmasked'));
  } catch (err) {
    showError(err);
  }
}

export async function render(main, { job, idbanghi }) {
  pageHeading(main, 'record.title', { idbanghi });
  main.append(h('p', {}, h('a', { href: `/ledger?job=${encodeURIComponent(job)}` }, t('record.back'))));
  const done = loading(main);
  const detail = await get(`/jobs/${encodeURIComponent(job)}/records/${encodeURIComponent(idbanghi)}`);
  done();
  const container = h('div', {});
  main.append(container);
  show(container, detail, job, idbanghi);
}
