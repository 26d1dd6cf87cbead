import type { ErrorKind } from '../core/errors.js';
import type { RunCounts, RunOutcome } from '../store/store.js';

/**
 * What the operator must do after a run, if anything, in plain words and with the command to
 * type. A run's counts alone do not say whether someone has to act: invalid records wait for a
 * fix at the source, deferred ones need nothing, dead letters need a person. Pure: the summary in,
 * lines out (no I/O), so every case is tested.
 */
export interface NextStepsInput {
  job: string;
  outcome: RunOutcome;
  counts: Omit<RunCounts, 'awaitingSignature'> & { deferred?: number; warnings?: number; awaitingSignature?: number };
  /** who the records waiting for signatures wait for (role and masked id, with how many records), when known */
  awaited?: string[];
  /** of counts.dead, those a destination keeps in an outbox of its own (a CIM kiosk's lane; its notice names the commands) */
  deadInDestinationOutboxes?: number;
  error: { code: string; message: string; kind?: ErrorKind } | null;
}

export type Lang = 'vi' | 'en';

const CONFIG_STOP_CODES = new Set(['COLUMNS_MISMATCH']);
/** the guard stop: too large a share of the records read was invalid */
export const GUARD_STOP_CODE = 'RUN_HELD_INVALID_SHARE';

function t(lang: Lang, vi: string, en: string): string {
  return lang === 'vi' ? vi : en;
}

/** The error's first line: a configuration error may list problems on the lines below. */
function headline(message: string): string {
  return message.split('\n')[0] ?? '';
}

export function nextSteps(s: NextStepsInput, lang: Lang): string[] {
  const job = s.job;
  const lines: string[] = [];
  const e = s.error;
  if (e) {
    if (e.code === GUARD_STOP_CODE) {
      lines.push(
        t(lang, `Lần chạy đã dừng vì quá nhiều bản ghi không hợp lệ (${headline(e.message)}).`, `The run stopped because too many records were invalid (${headline(e.message)}).`),
        t(lang, 'Con trỏ (watermark) không dịch chuyển: lần chạy sau đọc lại các bản ghi này, không mất bản ghi nào.', 'The cursor (watermark) did not move: the next run reads these records again, none is lost.'),
        t(lang, `Xem lý do theo từng mã lỗi: lienthong reconcile ${job}; sửa dữ liệu nguồn, câu truy vấn hoặc tuỳ chọn ánh xạ, rồi chạy lại: lienthong run ${job}.`, `See the reasons by error code: lienthong reconcile ${job}; fix the source data, the query or the mapping options, then run again: lienthong run ${job}.`),
      );
      return lines;
    }
    if (e.kind === 'config' || CONFIG_STOP_CODES.has(e.code)) {
      lines.push(
        t(lang, `Lỗi cấu hình hoặc thông tin đăng nhập (${e.code}): ${headline(e.message)}`, `Configuration or credential error (${e.code}): ${headline(e.message)}`),
        t(lang, 'Sửa cấu hình (tệp, kết nối, câu truy vấn hoặc bí mật được nêu ở trên), rồi kiểm tra: lienthong check; sau đó chạy lại: lienthong run ' + job + '.', `Fix the configuration (the file, connection, query or secret named above), then check it: lienthong check; then run again: lienthong run ${job}.`),
        t(lang, 'Con trỏ không dịch chuyển: lần chạy sau đọc lại những gì lần này chưa xử lý.', 'The cursor did not move: the next run reads again whatever this one did not finish.'),
      );
      return lines;
    }
    if (e.code === 'JOB_LOCKED') {
      lines.push(t(lang, `Một lần chạy khác của ${job} đang diễn ra; chờ nó kết thúc (lienthong status ${job}).`, `Another run of ${job} is in progress; wait for it to finish (lienthong status ${job}).`));
      return lines;
    }
    lines.push(
      t(lang, `Lần chạy thất bại (${e.code}): ${headline(e.message)}`, `The run failed (${e.code}): ${headline(e.message)}`),
      t(lang, `Kiểm tra các kết nối: lienthong check; rồi chạy lại: lienthong run ${job}. Con trỏ không dịch chuyển nên không mất bản ghi nào.`, `Check the connections: lienthong check; then run again: lienthong run ${job}. The cursor did not move, so no record is lost.`),
    );
    return lines;
  }
  if (s.outcome === 'interrupted') {
    lines.push(t(lang, `Lần chạy bị ngắt; chạy lại để tiếp tục: lienthong run ${job} (những gì đã gửi không bị gửi lại).`, `The run was interrupted; run again to continue: lienthong run ${job} (what was sent is not sent twice).`));
  }

  const c = s.counts;
  if (c.invalid > 0) {
    lines.push(
      t(lang, `${c.invalid} bản ghi không hợp lệ bị giữ lại (chưa gửi): xem lý do bằng lienthong reconcile ${job}, sửa tại CSDL nguồn; lần chạy sau tự đọc lại chúng (không cần --full-refresh).`, `${c.invalid} invalid record(s) held back (not sent): see the reasons with lienthong reconcile ${job} and fix them in the source database; the next run re-reads them (no --full-refresh needed).`),
    );
  }
  if (c.rejected > 0) {
    lines.push(t(lang, `${c.rejected} bản ghi bị trục dữ liệu từ chối: xem lý do bằng lienthong reconcile ${job}, sửa tại nguồn; bản ghi đã sửa được gửi lại ở lần chạy sau.`, `${c.rejected} record(s) refused by the hub: see the reasons with lienthong reconcile ${job} and fix them at the source; a corrected record is sent again by the next run.`));
  }
  if ((c.deferred ?? 0) > 0) {
    lines.push(t(lang, `${c.deferred} bản ghi chưa gửi được vì nơi nhận (trục dữ liệu, hoặc ki-ốt CIM) không trả lời, hoặc vì chúng chờ một đích khác của tác vụ nhận trước (after:, ví dụ VNeID chờ trục; thông báo của lần chạy nói rõ): lần chạy sau sẽ gửi; nếu tình trạng kéo dài, kiểm tra: lienthong check, lienthong reconcile ${job}.`, `${c.deferred} record(s) not sent because a destination (the hub, or a CIM kiosk) did not answer, or because they wait for another destination of the job to accept them first (after:, e.g. VNeID waits for the hub; the run's notices say which): the next run sends them; if it lasts, check: lienthong check, lienthong reconcile ${job}.`));
  }
  const inLanes = Math.min(s.deadInDestinationOutboxes ?? 0, c.dead);
  const engineDead = c.dead - inLanes;
  if (engineDead > 0) {
    lines.push(t(lang, `${engineDead} bản ghi không thể gửi (dead letter): đọc lý do bằng lienthong dead-letters list ${job}; khi đã khắc phục, đưa lại vào hàng đợi: lienthong dead-letters retry ${job}.`, `${engineDead} record(s) could not be delivered (dead letters): read why with lienthong dead-letters list ${job}; once fixed, queue them again: lienthong dead-letters retry ${job}.`));
  }
  if (inLanes > 0) {
    lines.push(t(lang, `${inLanes} thay đổi bị ki-ốt CIM từ chối nằm trong hàng đợi của ki-ốt: đọc lý do bằng lienthong kiosks dead-letters; khi đã khắc phục, gửi lại: lienthong kiosks requeue --kiosk ID --all.`, `${inLanes} change(s) a CIM kiosk refused wait in the kiosk's own lane: read why with lienthong kiosks dead-letters; once fixed, send them again: lienthong kiosks requeue --kiosk ID --all.`));
  }
  if (c.conflicts > 0) {
    lines.push(t(lang, `${c.conflicts} xung đột phiên bản: trục dữ liệu giữ một phiên bản mới hơn do nơi khác ghi; xem lienthong dead-letters list ${job} và đối chiếu với đơn vị đã ghi.`, `${c.conflicts} version conflict(s): the hub holds a newer version written elsewhere; see lienthong dead-letters list ${job} and settle it with whoever wrote it.`));
  }
  if ((c.awaitingSignature ?? 0) > 0) {
    const who = s.awaited && s.awaited.length > 0 ? s.awaited.join(', ') : t(lang, 'người ký', 'their signers');
    lines.push(
      t(lang, `${c.awaitingSignature} học bạ đang chờ phê duyệt ký của: ${who}. Chưa gửi; lần chạy sau tự thu chữ ký và gửi. Xem: lienthong signing status ${job}.`, `${c.awaitingSignature} school record(s) wait for the approval of: ${who}. Not sent yet; the next run collects the signatures and sends them. See: lienthong signing status ${job}.`),
    );
  }
  if ((c.warnings ?? 0) > 0) {
    lines.push(t(lang, `${c.warnings} bản ghi đã gửi kèm cảnh báo: xem trong báo cáo (lienthong reconcile ${job}) hoặc lienthong status ${job}.`, `${c.warnings} record(s) were sent with warnings: see them in the report (lienthong reconcile ${job}) or in lienthong status ${job}.`));
  }
  if (lines.length === 0) lines.push(t(lang, 'Không cần làm gì.', 'Nothing to do.'));
  return lines;
}
