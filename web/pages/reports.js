import { get, post } from '../api.js';
import { h, table } from '../dom.js';
import { currentLang, formatDateTime, formatNumber, t } from '../i18n.js';
import { barChart, figure, lineChart } from '../charts.js';
import { announce, can, confirmAction, jobChooser, loading, pageHeading, showError } from '../ui.js';

const TOTALS = ['source', 'accepted', 'pending', 'unsent', 'rejectedByHub', 'dead', 'conflicts', 'heldBack', 'missingAtHub', 'mismatched', 'goneFromSource', 'extraAtHub'];

/** Status over time: the stored reconciliations when there are some, else the runs' counts. */
function statusOverTime(history, runs) {
  if (history.length > 0) {
    const series = ['accepted', 'pending', 'sent', 'rejected', 'dead', 'stale'].map((key) => ({ key, label: t(`status.${key}`) }));
    const points = [...history].reverse().map((r) => ({ at: r.generatedAt, values: r.statusCounts }));
    return { series, points, source: t('reports.fromReconciliations') };
  }
  const series = ['accepted', 'rejected', 'dead', 'invalid'].map((key) => ({ key, label: t(`count.${key}`) }));
  const points = [...runs].sort((a, b) => a.startedAt.localeCompare(b.startedAt)).map((r) => ({ at: r.startedAt, values: r.counts }));
  return { series, points, source: t('reports.fromRuns') };
}

async function reconcile(job) {
  const ok = await confirmAction(t('reports.reconcileTitle', { job }), t('reports.reconcileText'), t('action.reconcile'));
  if (!ok) return;
  try {
    announce(t('reports.reconciling'));
    await post(`/reports/${encodeURIComponent(job)}/reconcile`);
    location.reload();
  } catch (err) {
    showError(err);
  }
}

const CREDENTIAL_STATES = ['published', 'missing', 'hashDiffers', 'revoked', 'cancelledUnpublished', 'wrongState'];

/** the VNeID column (src/reconcile/credentials.ts): counts, then every record not as the hub holds it */
function credentials(main, c) {
  main.append(h('h2', {}, t('reports.credentials')), h('p', {}, t('reports.credentialsTarget', { target: c.target })),
    table(t('reports.credentials'), [t('reports.credentialState'), t('run.value')], CREDENTIAL_STATES.map((s) => [t(`credential.${s}`), formatNumber(c.counts[s] ?? 0)]), { rowHeader: true, hideCaption: true }));
  if (c.unavailable) main.append(h('p', { role: 'alert' }, t('reports.credentialsUnavailable', { code: c.unavailable.code, message: c.unavailable.message })));
  if (c.withoutPersonalId) main.append(h('p', {}, t('reports.credentialsWithoutPersonalId', { n: formatNumber(c.withoutPersonalId) })));
  const off = c.entries.filter((e) => e.state !== 'published' && e.state !== 'revoked' && e.state !== 'cancelledUnpublished');
  if (off.length === 0) main.append(h('p', {}, t('reports.credentialsAllPublished')));
  else main.append(table(t('reports.credentials'), [t('field.idbanghi'), t('field.sourceKey'), t('reports.credentialState'), t('reports.credentialHubHash'), t('reports.credentialHeldHash')],
    off.map((e) => [e.idbanghi, e.sourceKey, t(`credential.${e.state}`), e.hubHash.slice(0, 12), e.heldHash ? e.heldHash.slice(0, 12) : '—'])));
}

export async function render(main) {
  pageHeading(main, 'reports.title');
  const job = await jobChooser(main);
  if (!job) return;
  if (can('operator')) main.append(h('div', { class: 'actions' }, h('button', { type: 'button', onclick: () => reconcile(job) }, t('action.reconcile'))));
  const done = loading(main);
  const { report, history, runs } = await get(`/reports/${encodeURIComponent(job)}`);
  done();
  if (!report) {
    main.append(h('p', {}, t('reports.none')));
  } else {
    main.append(h('p', {}, t('reports.generated', { at: formatDateTime(report.generatedAt), dataset: report.dataset, unit: report.unitCode })));
    main.append(h('h2', {}, t('reports.totals')),
      table(t('reports.totals'), [t('reports.total'), t('run.value')], TOTALS.map((k) => [t(`total.${k}`), formatNumber(report.totals[k] ?? 0)]), { rowHeader: true, hideCaption: true }));
    if (report.credentials) credentials(main, report.credentials);
  }
  main.append(h('h2', {}, t('reports.statusOverTime')));
  const over = statusOverTime(history, runs);
  if (over.points.length === 0) {
    main.append(h('p', {}, t('reports.noHistory')));
  } else {
    main.append(figure(lineChart(over.points, over.series, `${t('reports.statusOverTime')} (${over.source})`, formatDateTime), `${t('reports.statusOverTime')} (${over.source})`,
      h('details', {}, h('summary', {}, t('reports.data')),
        table(t('reports.statusOverTime'), [t('reports.when'), ...over.series.map((x) => x.label)], over.points.map((p) => [formatDateTime(p.at), ...over.series.map((x) => formatNumber(p.values[x.key] ?? 0))]), { rowHeader: true }))));
  }
  main.append(h('h2', {}, t('reports.byCode')));
  const groups = report?.byCode ?? [];
  if (groups.length === 0) {
    main.append(h('p', {}, t('reports.noCodes')));
  } else {
    const explanations = new Map((report.codes ?? []).map((c) => [c.code, c]));
    main.append(figure(barChart(groups.map((g) => ({ label: g.code, value: g.records })), t('reports.byCode')), t('reports.byCode'),
      table(t('reports.byCode'), [t('field.code'), t('reports.category'), t('run.records'), t('reports.meaning')],
        groups.map((g) => [g.code, t(`category.${g.category}`), formatNumber(g.records), explanations.get(g.code)?.[currentLang()] ?? '—']), { rowHeader: true, hideCaption: true })));
  }
  if (report?.deadlines?.length) {
    main.append(h('h2', {}, t('dashboard.deadlineBoard')),
      table(t('dashboard.deadlineBoard'), [t('deadline.name'), t('deadline.date'), t('deadline.daysLeft'), t('deadline.accepted'), t('deadline.pending'), t('deadline.failed'), t('deadline.heldBack')],
        report.deadlines.map((d) => [d.name, d.date, d.daysLeft < 0 ? t('deadline.passed', { n: -d.daysLeft }) : t('deadline.days', { n: d.daysLeft }), formatNumber(d.accepted), formatNumber(d.waiting), formatNumber(d.failed), formatNumber(d.heldBack)]), { rowHeader: true, hideCaption: true }));
  }
}
