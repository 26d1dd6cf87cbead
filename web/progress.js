// Live progress of a job's run through server-sent events (GET /api/v1/progress?job=).
import { clear, h } from './dom.js';
import { formatDuration, formatNumber, t } from './i18n.js';
import { announce } from './ui.js';

/**
 * A live region that follows the job's running run; calls onEnd(summary) when it ends. Returns the
 * element; the stream closes when the page goes away or the run ends.
 */
export function liveProgress(job, onEnd) {
  const box = h('section', { class: 'card progress', 'aria-labelledby': 'progress-heading' },
    h('h2', { id: 'progress-heading' }, t('progress.title')));
  const text = h('p', { role: 'status', 'aria-live': 'polite', 'aria-atomic': 'true' }, t('progress.waiting'));
  box.append(text);
  const source = new EventSource(`/api/v1/progress?job=${encodeURIComponent(job)}`, { withCredentials: true });
  let lastSpoken = 0;
  source.addEventListener('progress', (event) => {
    const p = JSON.parse(event.data);
    // a screen reader hears a new count at most every five seconds, not every tick
    const now = Date.now();
    if (now - lastSpoken < 5000 && text.dataset.started) {
      text.setAttribute('aria-live', 'off');
    } else {
      text.setAttribute('aria-live', 'polite');
      lastSpoken = now;
    }
    text.dataset.started = '1';
    clear(text).append(t('progress.counts', {
      read: formatNumber(p.counts.read), accepted: formatNumber(p.counts.accepted), rejected: formatNumber(p.counts.rejected),
      dead: formatNumber(p.counts.dead), inFlight: formatNumber(p.inFlight), elapsed: formatDuration(p.elapsedMs),
    }));
  });
  source.addEventListener('end', (event) => {
    source.close();
    const summary = JSON.parse(event.data);
    text.setAttribute('aria-live', 'polite');
    clear(text).append(t('progress.ended', { outcome: t(`outcome.${summary.outcome}`), duration: formatDuration(summary.durationMs) }));
    announce(t('progress.ended', { outcome: t(`outcome.${summary.outcome}`), duration: formatDuration(summary.durationMs) }));
    onEnd?.(summary);
  });
  source.addEventListener('error', () => {
    if (source.readyState === EventSource.CLOSED) clear(text).append(t('progress.lost'));
  });
  window.addEventListener('pagehide', () => source.close(), { once: true });
  return box;
}
