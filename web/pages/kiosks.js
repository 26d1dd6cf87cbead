// CIM kiosks: each kiosk's health as the last run left it (online or offline since when, last
// seen, last sync), the changes waiting for it in the state store, and the changes it refused for
// good, with a button (operators) to queue them again (audited kiosks.requeue).
import { get, post } from '../api.js';
import { h, table } from '../dom.js';
import { t } from '../i18n.js';
import { announce, can, confirmAction, loading, pageHeading, showError } from '../ui.js';

function stateOf(k) {
  if (k.online === null) return t('kiosks.state.never');
  if (k.online) return t('kiosks.state.online');
  return k.offlineSince ? t('kiosks.state.offlineSince', { since: k.offlineSince }) : t('kiosks.state.offline');
}

export async function render(main) {
  pageHeading(main, 'kiosks.title');
  main.append(h('p', {}, t('kiosks.explain')));
  const done = loading(main);
  const { kiosks } = await get('/kiosks');
  done();
  if (kiosks.length === 0) {
    main.append(h('p', {}, t('kiosks.none')));
    return;
  }
  const headers = [t('kiosks.kiosk'), t('kiosks.connection'), t('field.status'), t('kiosks.lastSeen'), t('kiosks.lastSync'), t('kiosks.queue'), t('kiosks.refused'), t('field.lastError')];
  main.append(table(t('kiosks.title'), headers, kiosks.map((k) => [
    k.kioskId,
    k.connection,
    h('span', { class: k.online === false ? 'late' : '' }, stateOf(k)),
    k.lastSeenAt ?? t('kiosks.never'),
    k.lastSyncAt ?? t('kiosks.never'),
    k.queueDepth > 0 && k.oldestQueuedAt ? t('kiosks.queueSince', { n: k.queueDepth, since: k.oldestQueuedAt }) : String(k.queueDepth),
    String(k.dead),
    k.lastErrorCode ? `${k.lastErrorCode}: ${k.lastError ?? ''}` : '—',
  ]), { rowHeader: true }));
  if (kiosks.some((k) => k.queueDepth > 0)) main.append(h('p', {}, t('kiosks.whatNext')));
  if (kiosks.some((k) => k.dead > 0)) {
    const section = h('section', {});
    main.append(section);
    await renderDeadLetters(section);
  }
}

async function requeue(section, d, body, text) {
  if (!(await confirmAction(t('kiosks.deadLetters'), text, t('action.requeue')))) return;
  try {
    const result = await post(`/kiosks/${encodeURIComponent(d.connection)}/${encodeURIComponent(d.kioskId)}/requeue`, body);
    const message = t('kiosks.requeued', { n: result.requeued.length, kiosk: d.kioskId });
    await renderDeadLetters(section, message);
    announce(message);
  } catch (err) {
    showError(err);
  }
}

async function renderDeadLetters(section, message) {
  section.replaceChildren(h('h2', {}, t('kiosks.deadLetters')), h('p', {}, t('kiosks.deadExplain')));
  if (message) section.append(h('p', { class: 'notice' }, message));
  const { deadLetters } = await get('/kiosks/deadletters');
  const operator = can('operator');
  const headers = [t('kiosks.kiosk'), t('kiosks.kind'), t('kiosks.key'), t('field.lastError'), t('kiosks.queuedAt')];
  if (operator) headers.push(t('action.requeue'));
  section.append(table(t('kiosks.deadLetters'), headers, deadLetters.map((d) => {
    const row = [`${d.connection}/${d.kioskId}`, d.kind, d.key, `${d.code ?? '?'}: ${d.message ?? ''}`, d.enqueuedAt];
    if (operator) {
      const one = h('button', { type: 'button', 'aria-label': `${t('action.requeue')} ${d.kioskId} ${d.key}` }, t('action.requeue'));
      one.addEventListener('click', () => requeue(section, d, { key: d.key }, t('kiosks.requeueOneConfirm', { key: d.key, kiosk: d.kioskId })));
      row.push(one);
    }
    return row;
  }), { rowHeader: true }));
  if (!operator) return;
  // one button per kiosk for all its dead letters
  const byKiosk = new Map();
  for (const d of deadLetters) byKiosk.set(`${d.connection}/${d.kioskId}`, [...(byKiosk.get(`${d.connection}/${d.kioskId}`) ?? []), d]);
  for (const letters of byKiosk.values()) {
    const first = letters[0];
    const all = h('button', { type: 'button' }, t('kiosks.requeueAll', { kiosk: first.kioskId }));
    all.addEventListener('click', () => requeue(section, first, { all: true }, t('kiosks.requeueConfirm', { n: letters.length, kiosk: first.kioskId })));
    section.append(h('p', {}, all));
  }
}
