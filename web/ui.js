// What every page shares: the signed-in account, the live regions, the confirmation dialog and
// the job chooser.
import { ApiError, get } from './api.js';
import { clear, field, h } from './dom.js';
import { t, tOr } from './i18n.js';

const RANK = { viewer: 0, operator: 1, admin: 2 };
let principal = null;

export function setPrincipal(p) {
  principal = p;
}

export function getPrincipal() {
  return principal;
}

/** Whether the signed-in account has at least this role (the API checks it again); a signer has none of the three. */
export function can(role) {
  return principal !== null && principal.role in RANK && RANK[principal.role] >= RANK[role];
}

/** Whether the signed-in account is a signer (teacher, homeroom, principal): they see only the review before signing. */
export function isSigner() {
  return principal !== null && ['teacher', 'homeroom', 'principal'].includes(principal.role);
}

/** Says something to screen readers through the polite live region. */
export function announce(text) {
  const region = document.getElementById('announcer');
  region.textContent = '';
  // a new text node after a tick is announced even when the text repeats
  setTimeout(() => {
    region.textContent = text;
  }, 50);
}

/** The text of an error for a person: the catalogue's text for its code, else its message. */
export function errorText(err) {
  if (err instanceof ApiError) {
    const known = tOr(`error.${err.code}`, null);
    if (known) return known;
    return t('error.generic', { code: err.code, message: err.message });
  }
  return t('error.network');
}

export function showError(err) {
  if (err instanceof ApiError && err.status === 401 && location.pathname !== '/login') {
    location.assign('/login');
    return;
  }
  const region = document.getElementById('errors');
  clear(region);
  region.append(h('p', {}, errorText(err)), h('button', { type: 'button', class: 'secondary small', onclick: clearError }, t('action.dismiss')));
}

export function clearError() {
  clear(document.getElementById('errors'));
}

/** Asks for confirmation in the page's <dialog>; resolves true when confirmed. */
export function confirmAction(title, text, okLabel) {
  const dialog = document.getElementById('confirm');
  document.getElementById('confirm-title').textContent = title;
  document.getElementById('confirm-text').textContent = text;
  document.getElementById('confirm-ok').textContent = okLabel ?? t('action.confirm');
  document.getElementById('confirm-cancel').textContent = t('action.cancel');
  const opener = document.activeElement;
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => {
      resolve(dialog.returnValue === 'ok');
      if (opener instanceof HTMLElement && opener.isConnected) opener.focus();
    }, { once: true });
    dialog.returnValue = '';
    dialog.showModal();
    document.getElementById('confirm-cancel').focus();
  });
}

/** The page's title and heading. */
export function pageHeading(main, key, vars) {
  const text = t(key, vars);
  document.title = `${text} · ${t('app.name')}`;
  main.append(h('h1', {}, text));
}

let jobsCache = null;

export async function jobNames() {
  if (!jobsCache) jobsCache = (await get('/jobs')).jobs.map((j) => j.name);
  return jobsCache;
}

/**
 * A job chooser that reloads the page with ?job=NAME; the current job is the one in the address
 * or the first configured.
 */
export async function jobChooser(main) {
  const names = await jobNames();
  const wanted = new URLSearchParams(location.search).get('job');
  const job = names.includes(wanted) ? wanted : names[0] ?? null;
  const select = h('select', { name: 'job' }, names.map((n) => h('option', { value: n, selected: n === job }, n)));
  const form = h('form', { class: 'inline', method: 'get' }, field('job-choice', t('field.job'), select), h('button', { type: 'submit' }, t('action.show')));
  main.append(form);
  return job;
}

export function badge(kind, text) {
  return h('span', { class: `badge badge-${kind}` }, text);
}

export function outcomeBadge(outcome) {
  return badge(outcome ?? 'none', t(`outcome.${outcome ?? 'none'}`));
}

export function loading(main) {
  const p = h('p', { class: 'loading', 'aria-busy': 'true' }, t('state.loading'));
  main.append(p);
  return () => p.remove();
}
