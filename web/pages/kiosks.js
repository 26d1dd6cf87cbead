// CIM kiosks: each kiosk's health as the last run left it (online or offline since when, last
// seen, last sync) and the changes waiting for it in the state store.
import { get } from '../api.js';
import { h, table } from '../dom.js';
import { t } from '../i18n.js';
import { loading, pageHeading } from '../ui.js';

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
}
