import cliProgress from 'cli-progress';
import type { RunProgress } from '../engine/runner.js';

export interface ProgressDisplay {
  update(p: RunProgress): void;
  stop(): void;
}

function rate(p: RunProgress): number {
  return p.elapsedMs > 0 ? Math.round((p.counts.accepted / p.elapsedMs) * 1000) : 0;
}

/**
 * On a terminal, a live bar (read, mapped, sent, accepted, rejected, rate, ETA); elsewhere (a
 * cron mail, a CI log), a plain line every few seconds.
 */
export function createProgressDisplay(stream: NodeJS.WriteStream, total?: number): ProgressDisplay {
  if (stream.isTTY) {
    const bar = new cliProgress.SingleBar(
      {
        format: ' {bar} {percentage}% | đọc/read {read} | ánh xạ/mapped {mapped} | gửi/sent {sent} | nhận/accepted {accepted} | từ chối/rejected {rejected} | {rate}/s | ETA {eta_formatted}',
        hideCursor: true,
        stream,
        etaBuffer: 50,
      },
      cliProgress.Presets.shades_classic,
    );
    let started = false;
    return {
      update(p) {
        const c = p.counts;
        const goal = Math.max(total ?? c.staged, c.staged, 1);
        const payload = { read: c.read, mapped: c.mapped, sent: c.sent, accepted: c.accepted, rejected: c.rejected + c.invalid, rate: rate(p) };
        if (!started) {
          bar.start(goal, 0, payload);
          started = true;
        }
        bar.setTotal(goal);
        bar.update(c.accepted + c.rejected + c.dead + c.conflicts, payload);
      },
      stop() {
        if (started) bar.stop();
      },
    };
  }
  let last = 0;
  return {
    update(p) {
      if (p.elapsedMs - last < 5000) return;
      last = p.elapsedMs;
      const c = p.counts;
      stream.write(`read ${c.read} mapped ${c.mapped} invalid ${c.invalid} sent ${c.sent} accepted ${c.accepted} rejected ${c.rejected} dead ${c.dead} ${rate(p)}/s\n`);
    },
    stop() {},
  };
}
