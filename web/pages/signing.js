// The review before signing: a signer's requests grouped by class (`/signing`), and one request
// with exactly the data its signature covers (`/signing/ID`), approved ("Ký": sent to the signer's
// phone) after a confirmation, or returned with a required reason. Operators and admins see every
// request and may return one; only the signer a request names approves it (the API checks it).
import { get, post } from '../api.js';
import { clear, field, h, table } from '../dom.js';
import { t } from '../i18n.js';
import { announce, badge, can, confirmAction, loading, pageHeading, showError } from '../ui.js';

const RESULT_FIELDS = ['hocky1', 'hocky2', 'canam', 'renluyenhocky1', 'renluyenhocky2', 'renluyencanam', 'renluyenlai', 'kqhoctaplai',
  'sobuoinghi', 'duoclenlop', 'ndungduoclenlop', 'ndunghoanthanh', 'kquathamgiacuocthi', 'ndungkquarenluyen', 'ndungkhenthuong', 'nxetgvcn'];

const dash = (v) => (v === null || v === undefined || v === '' ? '—' : String(v));

/** What a request is for, in words: the subject's code, the homeroom teacher, the principal. */
function roleText(r) {
  return r.subject ? t('signing.roleSubject', { subject: r.subject }) : t(`signing.role.${r.role}`);
}

function classTitle(r) {
  return t('signing.classTitle', { className: r.className, school: r.school, year: r.year });
}

function stateBadge(state) {
  return badge(state === 'review' ? 'paused' : state === 'rejected' || state === 'expired' ? 'failed' : 'succeeded', t(`signing.state.${state}`));
}

/** Operators: the records returned to the school, each asked again with one button (as lienthong signing retry --record). */
async function returnedPart(main) {
  const part = h('section', { class: 'card', id: 'signing-returned', 'aria-labelledby': 'returned-heading' });
  main.append(part);
  const { records } = await get('/signing/returned');
  part.append(h('h2', { id: 'returned-heading' }, t('signing.returnedRecords', { n: records.length })));
  if (records.length === 0) {
    part.append(h('p', {}, t('signing.noReturned')));
    return;
  }
  part.append(h('p', {}, t('signing.returnedExplain')));
  part.append(table(t('signing.returnedRecords', { n: records.length }), [t('signing.pupil'), t('signing.class'), t('signing.for'), t('field.reason'), t('field.action')], records.map((r) => [
    r.pupil,
    r.className,
    roleText({ role: r.role, subject: r.role.startsWith('subject:') ? r.role.slice('subject:'.length) : null }),
    r.reason ?? '—',
    h('button', {
      type: 'button',
      onclick: async () => {
        try {
          await post(`/signing/jobs/${encodeURIComponent(r.job)}/retry`, { record: r.idbanghi });
          clear(main);
          await renderList(main);
          announce(t('signing.retried', { pupil: r.pupil }));
        } catch (err) {
          showError(err);
        }
      },
    }, t('signing.retry'), h('span', { class: 'visually-hidden' }, ` ${r.pupil}`)),
  ]), { rowHeader: true, hideCaption: true }));
}

async function renderList(main) {
  pageHeading(main, 'signing.title');
  main.append(h('p', {}, t('signing.explain')));
  if (can('operator')) await returnedPart(main);
  const list = h('div', { id: 'signing-list' });
  main.append(list);
  const done = loading(list);
  const { requests } = await get('/signing/requests');
  done();
  if (requests.length === 0) {
    list.append(h('p', {}, t('signing.none')));
    return;
  }
  const byClass = new Map();
  for (const r of requests) byClass.set(r.classKey, [...(byClass.get(r.classKey) ?? []), r]);
  for (const rows of byClass.values()) {
    const title = classTitle(rows[0]);
    const headingId = `class-${rows[0].classKey.replace(/[^\w-]/g, '_')}`;
    // a plain section (no landmark): its table's scroll region already carries the class's name
    list.append(h('section', { class: 'card' },
      h('h2', { id: headingId }, title),
      table(title, [t('signing.for'), t('signing.pupils'), t('field.status'), t('signing.madeAt'), t('field.action')], rows.map((r) => [
        roleText(r),
        String(r.items),
        stateBadge(r.state),
        r.createdAt.slice(0, 16).replace('T', ' '),
        // the visible words first, then which request for screen readers (the name keeps the visible text)
        h('a', { href: `/signing/${encodeURIComponent(r.id)}` }, r.canApprove ? t('signing.open') : t('action.show'),
          h('span', { class: 'visually-hidden' }, ` ${t('signing.openLabel', { what: roleText(r), className: r.className })}`)),
      ]), { rowHeader: true, hideCaption: true })));
  }
}

function subjectTable(detail) {
  const rows = detail.subjectRows;
  const subjectName = rows[0]?.subjectName ?? detail.request.subject;
  return table(t('signing.subjectCaption', { subject: subjectName, className: detail.request.className }),
    [t('signing.pupil'), t('signing.score.hk1'), t('signing.score.hk2'), t('signing.score.year'), t('signing.score.retest'), t('signing.comment')],
    rows.map((r) => [r.pupil, dash(r.diemhocky1), dash(r.diemhocky2), dash(r.diemcanam), dash(r.diemkttralai), dash(r.nxetmonhoc)]),
    { rowHeader: true });
}

function resultTable(detail) {
  return table(t('signing.resultCaption', { className: detail.request.className }),
    [t('signing.pupil'), ...RESULT_FIELDS.map((f) => t(`signing.result.${f}`))],
    detail.resultRows.map((r) => [r.pupil, ...RESULT_FIELDS.map((f) => (f === 'duoclenlop' ? (r.results[f] === null ? '—' : t(Number(r.results[f]) === 1 ? 'signing.yes' : 'signing.no')) : dash(r.results[f])))]),
    { rowHeader: true });
}

function summaryPart(detail) {
  const s = detail.summary;
  const levels = (counts) => Object.entries(counts).map(([k, n]) => `${k}: ${n}`).join(', ') || '—';
  return h('div', {},
    h('section', { class: 'card', 'aria-labelledby': 'summary-heading' },
      h('h2', { id: 'summary-heading' }, t('signing.summary')),
      h('dl', { class: 'facts' },
        h('dt', {}, t('signing.pupils')), h('dd', {}, String(s.pupils)),
        h('dt', {}, t('signing.promoted')), h('dd', {}, String(s.promoted)),
        h('dt', {}, t('signing.learning')), h('dd', {}, levels(s.learning)),
        h('dt', {}, t('signing.conduct')), h('dd', {}, levels(s.conduct))),
      table(t('signing.subjectsCaption'), [t('signing.subject'), t('signing.scored'), t('signing.mean'), t('signing.levels')],
        s.subjects.map((x) => [`${x.name} (${x.code})`, String(x.scored), dash(x.mean), levels(x.levels)]), { rowHeader: true })),
    h('section', { class: 'card', 'aria-labelledby': 'anomalies-heading' },
      h('h2', { id: 'anomalies-heading' }, t('signing.anomalies', { n: s.anomalies.length })),
      s.anomalies.length === 0
        ? h('p', {}, t('signing.noAnomalies'))
        : table(t('signing.anomalies', { n: s.anomalies.length }), [t('signing.pupil'), t('field.code'), t('signing.field'), t('signing.message')],
          s.anomalies.map((a) => [a.pupil, a.code, a.field, a.message]), { rowHeader: true, hideCaption: true })),
    resultTable(detail));
}

async function approve(detail, main) {
  const r = detail.request;
  const ok = await confirmAction(t('signing.confirmTitle'), t('signing.confirmText', { what: roleText(r), className: r.className, n: r.items }), t('signing.approve'));
  if (!ok) return;
  try {
    await post(`/signing/requests/${encodeURIComponent(r.id)}/approve`);
    await renderDetail(main, r.id, t('signing.approved'));
    announce(t('signing.approved'));
  } catch (err) {
    showError(err);
  }
}

/** The pupils of a request as its detail lists them (one record each). */
function pupilsOf(detail) {
  const rows = detail.kind === 'subject' ? detail.subjectRows : detail.resultRows;
  return rows.map((r) => ({ idbanghi: r.idbanghi, pupil: r.pupil }));
}

function returnForm(detail, main) {
  const reason = h('textarea', { name: 'reason', required: true, minlength: '3', maxlength: '1000', rows: '3' });
  // the whole request, or one pupil's record: the request then stays in review with the others
  const scope = h('select', { name: 'record' },
    h('option', { value: '' }, t('signing.returnAll', { n: detail.request.items })),
    pupilsOf(detail).map((p) => h('option', { value: p.idbanghi }, t('signing.returnOne', { pupil: p.pupil }))));
  const form = h('form', { class: 'card', method: 'post', id: 'return-form' },
    h('h2', { id: 'return-heading' }, t('signing.returnTitle')),
    field('return-scope', t('signing.returnScope'), scope, t('signing.returnScopeHint')),
    field('return-reason', t('signing.reason'), reason, t('signing.reasonHint')),
    h('button', { type: 'submit', class: 'warning' }, t('signing.return')));
  form.setAttribute('aria-labelledby', 'return-heading');
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (reason.value.trim().length < 3) {
      reason.setAttribute('aria-invalid', 'true');
      showError(new Error(t('signing.reasonHint')));
      reason.focus();
      return;
    }
    try {
      const id = encodeURIComponent(detail.request.id);
      const one = scope.value;
      const pupil = pupilsOf(detail).find((p) => p.idbanghi === one)?.pupil;
      if (one) await post(`/signing/requests/${id}/records/${encodeURIComponent(one)}/return`, { reason: reason.value.trim() });
      else await post(`/signing/requests/${id}/return`, { reason: reason.value.trim() });
      const message = one ? t('signing.returnedOne', { pupil }) : t('signing.returned');
      await renderDetail(main, detail.request.id, message);
      announce(message);
    } catch (err) {
      showError(err);
    }
  });
  return form;
}

async function renderDetail(main, id, message) {
  clear(main);
  const detail = await get(`/signing/requests/${encodeURIComponent(id)}`);
  const r = detail.request;
  pageHeading(main, 'signing.detailTitle', { what: roleText(r), className: r.className });
  main.append(h('p', {}, h('a', { href: '/signing' }, t('signing.back'))));
  if (message) main.append(h('p', { class: 'notice' }, message));
  main.append(h('dl', { class: 'facts' },
    h('dt', {}, t('signing.class')), h('dd', {}, classTitle(r)),
    h('dt', {}, t('signing.signer')), h('dd', {}, r.signer),
    h('dt', {}, t('field.status')), h('dd', {}, stateBadge(r.state)),
    h('dt', {}, t('signing.description')), h('dd', {}, r.description),
    r.reason ? [h('dt', {}, t('field.reason')), h('dd', {}, r.reason)] : null));
  main.append(h('p', {}, t(`signing.covers.${detail.kind}`)));
  if (detail.kind === 'subject') main.append(subjectTable(detail));
  else if (detail.kind === 'homeroom') main.append(resultTable(detail));
  else main.append(summaryPart(detail));
  if (r.canApprove) {
    main.append(h('div', { class: 'card actions' },
      h('p', {}, t('signing.approveExplain')),
      h('button', { type: 'button', id: 'approve', onclick: () => approve(detail, main) }, t('signing.approve'))));
  }
  if (r.canReturn) main.append(returnForm(detail, main));
}

export async function render(main, params) {
  if (params.id) await renderDetail(main, params.id);
  else await renderList(main);
}
