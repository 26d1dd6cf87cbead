import { get, post } from '../api.js';
import { h, table } from '../dom.js';
import { formatDateTime, formatNumber, t } from '../i18n.js';
import { announce, badge, can, confirmAction, loading, outcomeBadge, pageHeading, showError } from '../ui.js';

const STATUSES = ['pending', 'sent', 'accepted', 'stale', 'rejected', 'dead'];

function deadlineBoard(job) {
  if (job.deadlines.length === 0) return h('p', {}, t('dashboard.noDeadlines'));
  return table(t('dashboard.deadlines', { job: job.name }), [t('deadline.name'), t('deadline.date'), t('deadline.daysLeft'), t('deadline.accepted'), t('deadline.pending'), t('deadline.rejected'), t('deadline.heldBack')],
    job.deadlines.map((d) => [
      d.name,
      d.date,
      h('span', { class: d.daysLeft < 0 ? 'late' : d.daysLeft <= 7 ? 'soon' : '' }, d.daysLeft < 0 ? t('deadline.passed', { n: -d.daysLeft }) : t('deadline.days', { n: d.daysLeft })),
      formatNumber(d.accepted), formatNumber(d.pending), formatNumber(d.rejectedByHub), formatNumber(d.heldBack),
    ]), { rowHeader: true });
}

function countsTable(job) {
  return table(t('dashboard.ledgerCounts', { job: job.name }), [t('field.target'), ...STATUSES.map((s) => t(`status.${s}`))],
    job.targets.map((x) => [x.target, ...STATUSES.map((s) => formatNumber(x.counts[s] ?? 0))]), { rowHeader: true });
}

async function act(job, action) {
  try {
    if (action === 'run') {
      const ok = await confirmAction(t('confirm.runTitle', { job: job.name }), t('confirm.runText'), t('action.runNow'));
      if (!ok) return;
      const { runId } = await post(`/jobs/${encodeURIComponent(job.name)}/runs`);
      announce(t('dashboard.runStarted', { job: job.name }));
      location.assign(`/runs/${encodeURIComponent(runId)}`);
      return;
    }
    await post(`/jobs/${encodeURIComponent(job.name)}/${action}`);
    announce(t(action === 'pause' ? 'dashboard.paused' : 'dashboard.resumed', { job: job.name }));
    location.reload();
  } catch (err) {
    showError(err);
  }
}

function jobCard(job) {
  const headingId = `job-${job.name}`;
  const buttons = can('operator')
    ? h('div', { class: 'actions' },
      h('button', { type: 'button', disabled: job.running, onclick: () => act(job, 'run') }, t('action.runNow')),
      job.schedule ? h('button', { type: 'button', class: 'secondary', onclick: () => act(job, job.paused ? 'resume' : 'pause') }, t(job.paused ? 'action.resume' : 'action.pause')) : null)
    : null;
  const last = job.lastRun;
  return h('section', { class: 'card job', 'aria-labelledby': headingId },
    h('h2', { id: headingId }, job.name),
    job.paused || job.running ? h('p', { class: 'state' }, job.paused ? badge('paused', t('state.paused')) : null, ' ', job.running ? badge('running', t('outcome.running')) : null) : null,
    job.description ? h('p', {}, job.description) : null,
    h('dl', { class: 'facts' },
      h('dt', {}, t('job.schedule')), h('dd', {}, job.schedule ? `${job.schedule.cron} (${job.schedule.timezone})` : t('job.manual')),
      h('dt', {}, t('job.nextRun')), h('dd', {}, job.paused ? t('state.paused') : formatDateTime(job.schedule?.nextRunAt)),
      h('dt', {}, t('job.lastRun')), h('dd', {}, last ? [formatDateTime(last.startedAt), ' ', outcomeBadge(last.outcome), ' ', h('a', { href: `/runs/${encodeURIComponent(last.id)}` }, t('job.runDetail'))] : t('job.neverRun')),
      h('dt', {}, t('job.heldBack')), h('dd', {}, formatNumber(job.invalid)),
      job.awaitingSignature > 0 ? [h('dt', {}, t('job.awaitingSignature')), h('dd', {}, formatNumber(job.awaitingSignature))] : null,
    ),
    countsTable(job),
    h('h3', {}, t('dashboard.deadlineBoard')),
    deadlineBoard(job),
    buttons,
    h('ul', { class: 'links' },
      h('li', {}, h('a', { href: `/jobs/${encodeURIComponent(job.name)}/runs` }, t('nav.runs'))),
      h('li', {}, h('a', { href: `/deadletters?job=${encodeURIComponent(job.name)}` }, t('nav.deadletters'))),
      h('li', {}, h('a', { href: `/reports?job=${encodeURIComponent(job.name)}` }, t('nav.reports'))),
      h('li', {}, h('a', { href: `/ledger?job=${encodeURIComponent(job.name)}` }, t('nav.ledger'))),
    ),
  );
}

export async function render(main) {
  pageHeading(main, 'dashboard.title');
  const done = loading(main);
  const { jobs } = await get('/jobs');
  done();
  if (jobs.length === 0) main.append(h('p', {}, t('dashboard.noJobs')));
  main.append(h('div', { class: 'jobs' }, jobs.map(jobCard)));
}
