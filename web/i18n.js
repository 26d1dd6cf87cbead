// Vietnamese first; the English choice is kept in localStorage. Every text is in i18n/vi.json and
// i18n/en.json.

const STORAGE_KEY = 'lienthong.lang';
const catalogues = {};
let lang = 'vi';

export function currentLang() {
  return lang;
}

export async function loadLang(wanted) {
  const stored = wanted ?? safeGet();
  lang = stored === 'en' ? 'en' : 'vi';
  if (!catalogues[lang]) {
    const response = await fetch(`/static/i18n/${lang}.json`, { credentials: 'same-origin' });
    catalogues[lang] = await response.json();
  }
  document.documentElement.lang = lang;
  return lang;
}

export async function switchLang() {
  const next = lang === 'vi' ? 'en' : 'vi';
  try {
    localStorage.setItem(STORAGE_KEY, next);
  } catch {
    // a browser that refuses storage still switches for this page
  }
  return loadLang(next);
}

function safeGet() {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

/** The text for a key, with {name} placeholders filled; the key itself when the catalogue lacks it. */
export function t(key, vars = {}) {
  const text = catalogues[lang]?.[key] ?? catalogues.vi?.[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => (vars[name] === undefined ? `{${name}}` : String(vars[name])));
}

/** The text for a key when the catalogue has it, else the fallback (an API code without a text). */
export function tOr(key, fallback) {
  return catalogues[lang]?.[key] ?? fallback;
}

const TIME_ZONE = 'Asia/Ho_Chi_Minh';

export function formatDateTime(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(lang === 'vi' ? 'vi-VN' : 'en-GB', { dateStyle: 'short', timeStyle: 'medium', timeZone: TIME_ZONE }).format(d);
}

export function formatNumber(n) {
  if (n === null || n === undefined) return '—';
  return new Intl.NumberFormat(lang === 'vi' ? 'vi-VN' : 'en-GB', { maximumFractionDigits: 1 }).format(n);
}

export function formatDuration(ms) {
  if (ms === null || ms === undefined) return '—';
  const s = ms / 1000;
  if (s < 60) return t('duration.seconds', { n: formatNumber(s) });
  return t('duration.minutes', { m: Math.floor(s / 60), s: Math.round(s % 60) });
}
