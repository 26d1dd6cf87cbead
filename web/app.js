// The console's shell: the session, the navigation by role, the language toggle and a router from
// the address's path to a page. Each page is a module with `render(main, params)`.
import { get, post, setCsrfToken } from './api.js';
import { clear, h } from './dom.js';
import { currentLang, loadLang, switchLang, t } from './i18n.js';
import { can, clearError, getPrincipal, isSigner, setPrincipal, showError } from './ui.js';

const ROUTES = [
  { path: /^\/login$/, page: 'login', public: true },
  { path: /^\/$/, page: 'dashboard', nav: 'nav.dashboard' },
  { path: /^\/jobs\/([^/]+)\/runs$/, page: 'runs', params: ['job'] },
  { path: /^\/runs\/([^/]+)$/, page: 'run', params: ['id'] },
  { path: /^\/ledger$/, page: 'ledger', nav: 'nav.ledger' },
  { path: /^\/jobs\/([^/]+)\/records\/([^/]+)$/, page: 'record', params: ['job', 'idbanghi'] },
  { path: /^\/deadletters$/, page: 'deadletters', nav: 'nav.deadletters' },
  { path: /^\/reports$/, page: 'reports', nav: 'nav.reports' },
  { path: /^\/connections$/, page: 'connections', nav: 'nav.connections' },
  { path: /^\/kiosks$/, page: 'kiosks', nav: 'nav.kiosks' },
  { path: /^\/config$/, page: 'config', nav: 'nav.config', role: 'admin' },
  { path: /^\/audit$/, page: 'audit', nav: 'nav.audit', role: 'admin' },
  // the review before signing: signers, and operators and admins (who see every request)
  { path: /^\/signing$/, page: 'signing', nav: 'nav.signing', role: 'operator', signer: true },
  { path: /^\/signing\/([^/]+)$/, page: 'signing', params: ['id'], role: 'operator', signer: true },
  { path: /^\/certificates$/, page: 'certificates', nav: 'nav.certificates', role: 'operator' },
];

/** whether the account may open the route: a signer only the review's pages, the others by role */
function allowed(route) {
  if (isSigner()) return route.signer === true;
  return !route.role || can(route.role);
}

const NAV_PATHS = { dashboard: '/', ledger: '/ledger', deadletters: '/deadletters', reports: '/reports', connections: '/connections', kiosks: '/kiosks', config: '/config', audit: '/audit', signing: '/signing', certificates: '/certificates' };

function match(pathname) {
  for (const route of ROUTES) {
    const m = route.path.exec(pathname);
    if (!m) continue;
    const params = {};
    (route.params ?? []).forEach((name, i) => {
      params[name] = decodeURIComponent(m[i + 1]);
    });
    return { route, params };
  }
  return null;
}

function renderShell(current) {
  document.getElementById('skip-link').textContent = t('app.skip');
  document.getElementById('brand-link').textContent = t('app.name');
  const nav = clear(document.getElementById('nav'));
  nav.setAttribute('aria-label', t('nav.label'));
  const account = clear(document.getElementById('account'));
  const langButton = h('button', { type: 'button', class: 'secondary small', id: 'lang-toggle', lang: currentLang() === 'vi' ? 'en' : 'vi', onclick: toggleLanguage }, t('app.otherLanguage'));
  const principal = getPrincipal();
  if (principal) {
    const items = ROUTES.filter((r) => r.nav && allowed(r)).map((r) =>
      h('li', {}, h('a', { href: NAV_PATHS[r.page], 'aria-current': r.page === current?.page ? 'page' : undefined }, t(r.nav))),
    );
    nav.append(h('ul', {}, items));
    account.append(
      h('span', { class: 'who' }, t('app.signedInAs', { user: principal.username, role: t(`role.${principal.role}`) })),
      langButton,
      h('button', { type: 'button', class: 'secondary small', onclick: logout }, t('action.logout')),
    );
  } else {
    account.append(langButton);
  }
}

async function logout() {
  try {
    await post('/logout');
  } catch (err) {
    showError(err);
    return;
  }
  location.assign('/login');
}

let currentRoute = null;

async function toggleLanguage() {
  await switchLang();
  await renderPage();
  document.getElementById('lang-toggle')?.focus();
}

async function renderPage() {
  delete document.body.dataset.ready;
  try {
    await drawPage();
  } finally {
    // a page is drawn (or has shown its error): tests and scripts can wait for this mark
    document.body.dataset.ready = 'true';
  }
}

async function drawPage() {
  const main = clear(document.getElementById('main'));
  clearError();
  renderShell(currentRoute?.route);
  if (!currentRoute) {
    document.title = t('page.notFound');
    main.append(h('h1', {}, t('page.notFound')), h('p', {}, h('a', { href: '/' }, t('nav.dashboard'))));
    return;
  }
  const { route, params } = currentRoute;
  if (!allowed(route)) {
    document.title = t('page.forbidden');
    main.append(h('h1', {}, t('page.forbidden')), h('p', {}, t('error.FORBIDDEN')));
    return;
  }
  try {
    const module = await import(`./pages/${route.page}.js`);
    await module.render(main, params);
  } catch (err) {
    showError(err);
  }
}

async function start() {
  await loadLang();
  currentRoute = match(location.pathname);
  if (!currentRoute?.route.public) {
    try {
      const session = await get('/session');
      setPrincipal(session);
      setCsrfToken(session.csrfToken);
    } catch {
      location.assign('/login');
      return;
    }
  }
  // a signer's console is the review: the dashboard's address takes them there
  if (isSigner() && location.pathname === '/') {
    location.replace('/signing');
    return;
  }
  await renderPage();
}

start().catch((err) => showError(err));
