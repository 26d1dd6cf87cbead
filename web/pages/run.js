import { get } from '../api.js';
import { h, table } from '../dom.js';
import { formatDateTime, formatDuration, formatNumber, t } from '../i18n.js';
import { barChart, figure } from '../charts.js';
import { loading, outcomeBadge, pageHeading } from '../ui.js';
import { liveProgress } from '../progress.js';

const COUNTS = ['read', 'mapped', 'invalid', 'unchanged', 'staged', 'sent', 'accepted', 'conflicts', 'rejected', 'dead', 'retried', 'deferred', 'warnings'];

export async function render(main, { id }) {
  pageHeading(main, 'run.title');
  const done = loading(main);
  const { run, rate, durationMs, rejectionsByCode } = await get(`/runs/${encodeURIComponent(id)}`);
  done();
  main.append(h('dl', { class: 'facts card' },
    h('dt', {}, t('field.job')), h('dd', {}, h('a', { href: `/jobs/${encodeURIComponent(run.job)}/runs` }, run.job)),
    h('dt', {}, t('run.id')), h('dd', { class: 'mono' }, run.id),
    h('dt', {}, t('run.outcome')), h('dd', {}, outcomeBadge(run.outcome)),
    h('dt', {}, t('run.trigger')), h('dd', {}, run.trigger),
    h('dt', {}, t('run.started')), h('dd', {}, formatDateTime(run.startedAt)),
    h('dt', {}, t('run.finished')), h('dd', {}, formatDateTime(run.finishedAt)),
    h('dt', {}, t('run.duration')), h('dd', {}, formatDuration(durationMs)),
    h('dt', {}, t('run.rate')), h('dd', {}, rate === null ? '—' : t('run.perSecond', { n: formatNumber(rate) })),
    run.error ? [h('dt', {}, t('run.error')), h('dd', {}, `${run.error.code}: ${run.error.message}`)] : null,
  ));
  if (run.outcome === 'running') main.append(liveProgress(run.job, () => location.reload()));
  main.append(h('h2', {}, t('run.counts')),
    table(t('run.counts'), [t('run.count'), t('run.value')], COUNTS.map((c) => [t(`count.${c}`), formatNumber(run.counts[c] ?? 0)]), { rowHeader: true, hideCaption: true }));
  main.append(h('h2', {}, t('run.rejections')));
  if (rejectionsByCode.length === 0) {
    main.append(h('p', {}, t('run.noRejections')));
  } else {
    const items = rejectionsByCode.map((r) => ({ label: r.code, value: r.count }));
    main.append(figure(barChart(items, t('run.rejectionsChart')), t('run.rejectionsChart'),
      table(t('run.rejections'), [t('field.code'), t('run.records')], rejectionsByCode.map((r) => [r.code, formatNumber(r.count)]), { rowHeader: true })));
  }
}
