import { get } from '../api.js';
import { h, table } from '../dom.js';
import { formatDateTime, formatNumber, t } from '../i18n.js';
import { loading, outcomeBadge, pageHeading } from '../ui.js';
import { liveProgress } from '../progress.js';

export async function render(main, { job }) {
  pageHeading(main, 'runs.title', { job });
  const done = loading(main);
  const [{ runs }, { jobs }] = await Promise.all([get(`/runs?job=${encodeURIComponent(job)}&limit=50`), get('/jobs')]);
  done();
  const summary = jobs.find((j) => j.name === job);
  if (summary?.running) main.append(liveProgress(job, () => location.reload()));
  if (runs.length === 0) {
    main.append(h('p', {}, t('runs.none')));
    return;
  }
  main.append(table(t('runs.caption', { job }), [t('run.started'), t('run.outcome'), t('run.trigger'), t('count.read'), t('count.accepted'), t('count.rejected'), t('count.dead'), t('run.finished')],
    runs.map((r) => [
      h('a', { href: `/runs/${encodeURIComponent(r.id)}` }, formatDateTime(r.startedAt)),
      outcomeBadge(r.outcome), r.trigger,
      formatNumber(r.counts.read), formatNumber(r.counts.accepted), formatNumber(r.counts.rejected), formatNumber(r.counts.dead),
      formatDateTime(r.finishedAt),
    ]), { rowHeader: true }));
}
