// CIM certificates (docs/cim.md#fees-report): the fees report per template, unit, language
// and month (with its CSV), the certificates issued, and revocation for admins.
import { get, post, query } from '../api.js';
import { field, h, table } from '../dom.js';
import { formatDateTime, formatNumber, t } from '../i18n.js';
import { announce, badge, can, confirmAction, loading, pageHeading, showError } from '../ui.js';

async function revoke(form) {
  const no = form.elements.namedItem('certificateNo').value.trim();
  const reason = form.elements.namedItem('reason').value.trim();
  if (!no || !reason) return;
  const ok = await confirmAction(t('certificates.revokeTitle', { no }), t('certificates.revokeText'), t('certificates.revoke'));
  if (!ok) return;
  try {
    await post(`/cim/certificates/${encodeURIComponent(no)}/revoke`, { reason });
    announce(t('certificates.revoked', { no }));
    location.reload();
  } catch (err) {
    showError(err);
  }
}

export async function render(main) {
  pageHeading(main, 'certificates.title');
  const wanted = new URLSearchParams(location.search).get('month');
  const month = /^\d{4}-(0[1-9]|1[0-2])$/.test(wanted ?? '') ? wanted : undefined;
  main.append(h('form', { class: 'inline', method: 'get' },
    field('certificates-month', t('certificates.month'), h('input', { type: 'month', name: 'month', value: month ?? '' }), t('certificates.monthHint')),
    h('button', { type: 'submit' }, t('action.show'))));
  const done = loading(main);
  const [report, list] = await Promise.all([get(`/cim/certificates/report${query({ month })}`), get(`/cim/certificates${query({ month })}`)]);
  done();

  main.append(h('h2', {}, t('certificates.report')));
  if (report.rows.length === 0) {
    main.append(h('p', {}, t('certificates.none')));
  } else {
    main.append(table(t('certificates.report'),
      [t('certificates.monthCol'), t('certificates.unit'), t('certificates.template'), t('certificates.language'), t('certificates.count'), t('certificates.copies'), t('certificates.fee'), t('certificates.revokedCount')],
      [...report.rows.map((r) => [r.month, r.ownerUnit, r.templateCode, r.language, formatNumber(r.certificates), formatNumber(r.copies), formatNumber(r.feeVnd), formatNumber(r.revoked)]),
        [t('certificates.total'), '', '', '', formatNumber(report.totals.certificates), formatNumber(report.totals.copies), formatNumber(report.totals.feeVnd), formatNumber(report.totals.revoked)]],
      { rowHeader: true, hideCaption: true }));
    main.append(h('p', {}, h('a', { href: `/api/v1/cim/certificates/report${query({ month, format: 'csv' })}`, download: '' }, t('certificates.csv'))));
  }

  if (can('admin')) {
    const form = h('form', { class: 'inline', onsubmit: (e) => { e.preventDefault(); void revoke(form); } },
      field('revoke-no', t('certificates.number'), h('input', { name: 'certificateNo', required: true, maxlength: '64' })),
      field('revoke-reason', t('certificates.reason'), h('input', { name: 'reason', required: true, maxlength: '500' })),
      h('button', { type: 'submit' }, t('certificates.revoke')));
    main.append(h('h2', {}, t('certificates.revokeHeading')), form);
  }

  main.append(h('h2', {}, t('certificates.issued')));
  if (list.certificates.length === 0) {
    main.append(h('p', {}, t('certificates.none')));
    return;
  }
  main.append(table(t('certificates.issued'),
    [t('certificates.number'), t('certificates.issuedAt'), t('certificates.template'), t('certificates.language'), t('certificates.holder'), t('certificates.kiosk'), t('certificates.fee'), t('certificates.state')],
    list.certificates.map((c) => [c.certificateNo, formatDateTime(c.issuedAt), c.templateCode, c.language, c.holderMasked, c.kioskId, formatNumber(c.feeVnd),
      c.revokedAt ? badge('dead', t('certificates.stateRevoked')) : c.dataSource === 'snapshot' ? badge('pending', t('certificates.stateSnapshot')) : badge('accepted', t('certificates.stateValid'))]),
    { rowHeader: true, hideCaption: true }));
}
