// The web interface of csirt: a small client-side router over plain ES
// modules. Screens live in views/; each exports a function that fills the
// main element and may return a clean-up function (timers, charts).
import { get, post, setCsrf } from './api.js';
import { h, clear } from './dom.js';
import { t, setLang, getLang } from './i18n.js';
import { loginView } from './views/login.js';
import { dashboardView } from './views/dashboard.js';
import { incidentListView } from './views/incidents.js';
import { incidentView } from './views/incident.js';
import { incidentNewView } from './views/incident_new.js';
import { publicView } from './views/public.js';
import { complianceView } from './views/compliance.js';
import { warningsView } from './views/warnings.js';
import { alertsView } from './views/alerts.js';
import { huntsView } from './views/hunts.js';
import { adminView } from './views/admin.js';
import { accountView } from './views/account.js';
import { systemsView } from './views/systems.js';
import { findingsView } from './views/findings.js';
import { dossiersView } from './views/dossiers.js';
import { planView } from './views/plans.js';
import { drillView } from './views/drills.js';
import { suppliersView } from './views/suppliers.js';
import { budgetView } from './views/budget.js';

const STAFF = ['admin', 'coordinator', 'responder'];
// The organisation-wide lists shown as tabs of "Systems".
const SYSTEM_PAGES = ['/findings', '/dossiers', '/plans', '/drills', '/suppliers', '/budget'];

// Shared state of the session: who is logged in and the reference lists
// every screen needs (loaded once).
export const session = { user: null, procedure: [], taxonomy: [], orgs: [] };

const routes = [
  { re: /^\/public$/, view: publicView, open: true, title: 'nav.public' },
  { re: /^\/login$/, view: loginView, open: true, title: 'login.title' },
  { re: /^\/$/, view: dashboardView, title: 'nav.dashboard' },
  { re: /^\/incidents$/, view: incidentListView, title: 'nav.incidents' },
  { re: /^\/incidents\/new$/, view: incidentNewView, title: 'incident.new' },
  { re: /^\/incidents\/(\d+)$/, view: incidentView, title: 'nav.incidents' },
  { re: /^\/alerts$/, view: alertsView, roles: [...STAFF, 'auditor'], title: 'nav.alerts' },
  { re: /^\/compliance$/, view: complianceView, title: 'nav.compliance' },
  { re: /^\/warnings$/, view: warningsView, title: 'nav.warnings' },
  { re: /^\/warnings\/(\d+)$/, view: warningsView, title: 'nav.warnings' },
  { re: /^\/systems$/, view: systemsView, title: 'nav.systems' },
  { re: /^\/systems\/(\d+)$/, view: systemsView, title: 'nav.systems' },
  { re: /^\/findings$/, view: findingsView, title: 'nav.findings' },
  { re: /^\/dossiers$/, view: dossiersView, title: 'nav.dossiers' },
  { re: /^\/dossiers\/(\d+)$/, view: dossiersView, title: 'nav.dossiers' },
  { re: /^\/plans\/(\d+)$/, view: planView, title: 'sys.tab.plans' },
  { re: /^\/drills\/(\d+)$/, view: drillView, title: 'sys.tab.drills' },
  { re: /^\/suppliers$/, view: suppliersView, title: 'nav.suppliers' },
  { re: /^\/budget$/, view: budgetView, title: 'nav.budget' },
  { re: /^\/hunts(?:\/(\d+))?$/, view: huntsView, title: 'nav.hunts' },
  { re: /^\/admin$/, view: adminView, title: 'nav.admin' },
  { re: /^\/account$/, view: accountView, title: 'account.title' },
];

let cleanup = null;

export function navigate(path, replace) {
  if (replace) history.replaceState(null, '', path);
  else history.pushState(null, '', path);
  render();
}

export function isStaff() { return session.user && STAFF.includes(session.user.role); }
export function canWork() { return session.user && session.user.role !== 'auditor'; }
export function hasRole(...roles) { return session.user && roles.includes(session.user.role); }

async function loadSession() {
  try {
    const me = await get('/api/auth/me', { allow401: true });
    session.user = me.user;
    setCsrf(me.csrf_token);
  } catch (e) {
    session.user = null;
  }
}

export async function afterLogin(me) {
  session.user = me.user;
  setCsrf(me.csrf_token);
  await loadReference();
}

export async function loadReference() {
  const [proc, tax, orgs] = await Promise.all([
    get('/api/procedure'), get('/api/taxonomy'), get('/api/orgs?per_page=200').catch(() => ({ items: [] })),
  ]);
  session.procedure = proc.items;
  session.taxonomy = tax.items;
  session.orgs = orgs.items;
}

async function logout() {
  try { await post('/api/auth/logout'); } catch (e) { /* already gone */ }
  session.user = null;
  setCsrf('');
  navigate('/login');
}

// 'also': other paths that belong to the same entry (its tabs).
function navLink(path, key, also = []) {
  const p = location.pathname;
  const under = (x) => x !== '/' && p.startsWith(x + '/');
  const here = p === path || (under(path) && p !== '/incidents/new') || also.some((x) => p === x || under(x));
  return h('li', {}, h('a', { href: path, 'aria-current': here ? 'page' : null, 'data-nav': path }, t(key)));
}

function langSwitch() {
  const other = getLang() === 'vi' ? 'en' : 'vi';
  return h('button', {
    type: 'button', class: 'lang', 'data-lang': other, lang: other,
    'aria-label': t('lang.switch_label'),
    onclick: () => { setLang(other); render(); },
  }, other === 'en' ? 'English' : 'Tiếng Việt');
}

function header(open) {
  const u = session.user;
  const nav = h('ul', { class: 'nav' });
  if (u && !open) {
    nav.append(navLink('/', 'nav.dashboard'), navLink('/incidents', 'nav.incidents'));
    if (u.role !== 'auditor' ) nav.append(navLink('/incidents/new', 'nav.new_incident'));
    if (STAFF.includes(u.role) || u.role === 'auditor') nav.append(navLink('/alerts', 'nav.alerts'));
    nav.append(navLink('/compliance', 'nav.compliance'), navLink('/warnings', 'nav.warnings'));
    nav.append(navLink('/systems', 'nav.systems', SYSTEM_PAGES));
    nav.append(navLink('/hunts', 'nav.hunts'));
    nav.append(navLink('/admin', 'nav.admin'));
  }
  return h('header', { class: 'top' },
    h('a', { class: 'skip', href: '#main' }, t('nav.skip')),
    h('a', { class: 'brand', href: u && !open ? '/' : '/public' }, h('span', { class: 'logo', 'aria-hidden': 'true' }), t('app.name')),
    h('nav', { 'aria-label': t('nav.main') }, nav),
    h('div', { class: 'who' },
      langSwitch(),
      u && !open ? [
        h('a', { class: 'user', href: '/account', title: t('account.title') }, u.full_name && u.full_name !== t('role.' + u.role) ? `${u.full_name} · ${t('role.' + u.role)}` : t('role.' + u.role)),
        h('button', { type: 'button', class: 'secondary', id: 'logout', onclick: logout }, t('nav.logout')),
      ] : null));
}

export async function render() {
  if (cleanup) { try { cleanup(); } catch (e) { /* ignore */ } cleanup = null; }
  const path = location.pathname.replace(/\/+$/, '') || '/';
  let route = routes.find((r) => r.re.test(path));
  const app = document.getElementById('app');
  if (!route) route = routes[2];
  if (!route.open && !session.user) {
    navigate('/login?next=' + encodeURIComponent(location.pathname + location.search), true);
    return;
  }
  if (route.open && route === routes[1] && session.user) { navigate('/', true); return; }
  clear(app);
  const main = h('main', { id: 'main', tabindex: '-1' });
  app.append(header(route.open), main);
  document.title = `${t(route.title)} · csirt`;
  if (route.roles && !route.roles.includes(session.user.role)) {
    main.append(h('p', { class: 'notice' }, t('error.forbidden')));
    return;
  }
  const m = path.match(route.re);
  try {
    cleanup = await route.view(main, m.slice(1)) || null;
  } catch (e) {
    main.append(h('p', { class: 'form-error', role: 'alert' }, e.message || String(e)));
  }
}

// Links inside the app do not reload the page.
document.addEventListener('click', (ev) => {
  const a = ev.target.closest && ev.target.closest('a[href]');
  if (!a || ev.defaultPrevented || ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey) return;
  const href = a.getAttribute('href');
  if (!href.startsWith('/') || href.startsWith('/api/') || a.hasAttribute('download') || href.startsWith('/#')) return;
  ev.preventDefault();
  navigate(href);
});
window.addEventListener('popstate', render);
window.csirtOnUnauthorized = () => {
  if (session.user) { session.user = null; navigate('/login', true); }
};

(async () => {
  const path = location.pathname;
  if (path !== '/public') {
    await loadSession();
    if (session.user) await loadReference().catch(() => {});
  }
  render();
})();
