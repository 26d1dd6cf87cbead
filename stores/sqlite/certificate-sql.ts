/** The SQL of the CIM certificates' part of the store (sqlite-certificate-store.ts), as plain statements. */

/** a kiosk has one token: a new one replaces the old (the old stops working at once) */
export const PUT_KIOSK_TOKEN = `INSERT INTO cim_kiosk_tokens (kiosk_id, token_hash, created_by, created_at) VALUES (?, ?, ?, ?)
  ON CONFLICT (kiosk_id) DO UPDATE SET token_hash = excluded.token_hash, created_by = excluded.created_by, created_at = excluded.created_at, last_used_at = NULL`;

export const USE_KIOSK_TOKEN = 'UPDATE cim_kiosk_tokens SET last_used_at = ? WHERE token_hash = ? RETURNING kiosk_id';

export const NEXT_SEQUENCE = `INSERT INTO cim_certificate_sequence (year, last) VALUES (?, 1)
  ON CONFLICT (year) DO UPDATE SET last = last + 1 RETURNING last`;

export const INSERT_CERTIFICATE = `INSERT INTO cim_certificates (certificate_no, kiosk_id, request_id, request_hash, template_code, owner_unit, language, copies,
  fee_vnd, payment_ref, student_key, holder_masked, verification_code, sha256, data_source, data_read_at, issued_at, state)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '', ?, ?, ?, 'issuing')`;

const COLUMNS = `certificate_no, kiosk_id, request_id, request_hash, template_code, owner_unit, language, copies, fee_vnd, payment_ref, student_key,
  holder_masked, verification_code, sha256, data_source, data_read_at, issued_at, state, revoked_at, revoked_by, revoke_reason`;

export const CERTIFICATE_BY_REQUEST = `SELECT ${COLUMNS} FROM cim_certificates WHERE kiosk_id = ? AND request_id = ?`;
export const CERTIFICATE_BY_NUMBER = `SELECT ${COLUMNS} FROM cim_certificates WHERE certificate_no = ?`;
export const CERTIFICATE_BY_CODE = `SELECT ${COLUMNS} FROM cim_certificates WHERE verification_code = ? AND state = 'issued'`;
export const CERTIFICATE_PDF = `SELECT pdf FROM cim_certificates WHERE certificate_no = ? AND state = 'issued'`;

export const COMPLETE_CERTIFICATE = `UPDATE cim_certificates SET sha256 = ?, pdf = ?, state = 'issued' WHERE certificate_no = ? AND state = 'issuing'`;
export const ABANDON_CERTIFICATE = `DELETE FROM cim_certificates WHERE certificate_no = ? AND state = 'issuing'`;

export const REVOKE_CERTIFICATE = `UPDATE cim_certificates SET revoked_at = ?, revoked_by = ?, revoke_reason = ?
  WHERE certificate_no = ? AND state = 'issued' AND revoked_at IS NULL`;

/** the month of issue in Viet Nam time (UTC+7, no daylight saving) */
const MONTH = `strftime('%Y-%m', issued_at, '+7 hours')`;

export const LIST_CERTIFICATES = `SELECT ${COLUMNS} FROM cim_certificates WHERE state = 'issued' AND (? IS NULL OR ${MONTH} = ?)
  ORDER BY issued_at DESC, certificate_no DESC LIMIT ?`;

export const CERTIFICATE_REPORT = `SELECT ${MONTH} AS month, template_code AS templateCode, owner_unit AS ownerUnit, language,
  COUNT(*) AS certificates, SUM(copies) AS copies, SUM(fee_vnd) AS feeVnd, SUM(revoked_at IS NOT NULL) AS revoked
  FROM cim_certificates WHERE state = 'issued' AND (? IS NULL OR ${MONTH} = ?)
  GROUP BY month, template_code, owner_unit, language ORDER BY month, owner_unit, template_code, language`;

export const PUT_STUDENT_SNAPSHOT = `INSERT INTO cim_student_snapshots (student_key, data, read_at) VALUES (?, ?, ?)
  ON CONFLICT (student_key) DO UPDATE SET data = excluded.data, read_at = excluded.read_at`;
export const STUDENT_SNAPSHOT = 'SELECT data, read_at FROM cim_student_snapshots WHERE student_key = ?';
