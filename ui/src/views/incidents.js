// Incident list: filters, search (diacritics-insensitive, done by the
// server), sorting by column, server-side paging. The filters live in the
// URL so that a list can be bookmarked and the back button works.
import { get } from '../api.js';
import { h, field, input, select } from '../dom.js';
import { t, nm } from '../i18n.js';
import { fmtTime, dayBound } from '../format.js';
import { session, navigate } from '../main.js';
import { orgName, orgOptions, section, severityBadge, statusBadge, stepInfo, table, taxonomyOptions } from './common.js';

const FILTERS = ['q', 'step', 'status', 'severity', 'taxonomy_code', 'org_id', 'system_id', 'from', 'to', 'sort', 'order', 'page', 'per_page'];

export async function incidentListView(main) {
  const params = new URLSearchParams(location.search);
  const f = {};
  for (const k of FILTERS) f[k] = params.get(k) || '';
  const systems = await get('/api/systems?per_page=200').catch(() => ({ items: [] }));

  const q = input({ type: 'search', value: f.q, name: 'q', placeholder: t('list.search_hint') });
  const step = select([['', t('common.all')], ...session.procedure.map((s) => [s.code, s.code === 'closed' ? nm(s) : `${s.label}. ${nm(s)}`])], f.step);
  const status = select([['', t('common.all')], ['open', t('status.open')], ['closed', t('status.closed')]], f.status);
  const severity = select([['', t('common.all')], ...['serious', 'normal', 'unclassified'].map((s) => [s, t('severity.' + s)])], f.severity);
  const tax = select(taxonomyOptions(false).map((o, i) => (i === 0 ? ['', t('common.all')] : o)), f.taxonomy_code);
  const org = select(orgOptions(t('common.all')), f.org_id);
  const sys = select([['', t('common.all')], ...systems.items.map((s) => [s.id, s.name])], f.system_id);
  const from = input({ type: 'date', value: f.from });
  const to = input({ type: 'date', value: f.to });

  const form = h('form', { class: 'filters card', role: 'search' },
    field(t('common.search'), q, { name: 'q', wide: true }),
    field(t('incident.step'), step, { name: 'step' }),
    field(t('incident.status'), status, { name: 'status' }),
    field(t('incident.severity'), severity, { name: 'severity' }),
    field(t('incident.taxonomy'), tax, { name: 'taxonomy_code' }),
    field(t('incident.org'), org, { name: 'org_id' }),
    field(t('incident.system'), sys, { name: 'system_id' }),
    field(t('list.from'), from, { name: 'from' }),
    field(t('list.to'), to, { name: 'to' }),
    h('div', { class: 'actions' },
      h('button', { type: 'submit' }, t('common.filter')),
      h('button', { type: 'button', class: 'secondary', onclick: () => navigate('/incidents') }, t('common.reset'))));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const n = { q: q.value.trim(), step: step.value, status: status.value, severity: severity.value,
      taxonomy_code: tax.value, org_id: org.value, system_id: sys.value, from: from.value, to: to.value,
      sort: f.sort, order: f.order };
    go(n);
  });

  const go = (n) => {
    const u = new URLSearchParams();
    for (const [k, v] of Object.entries(n)) if (v) u.set(k, v);
    navigate('/incidents' + (u.toString() ? '?' + u : ''));
  };

  main.append(h('div', { class: 'title-row' }, h('h1', {}, t('nav.incidents')),
    session.user.role !== 'auditor' ? h('a', { class: 'button', href: '/incidents/new' }, t('incident.new')) : null), form);

  const api = new URLSearchParams();
  for (const k of ['q', 'step', 'status', 'severity', 'taxonomy_code', 'org_id', 'system_id', 'sort', 'order', 'page', 'per_page'])
    if (f[k]) api.set(k, f[k]);
  if (f.from) api.set('from', dayBound(f.from, false));
  if (f.to) api.set('to', dayBound(f.to, true));
  let data;
  try {
    data = await get('/api/incidents?' + api);
  } catch (e) {
    main.append(h('p', { class: 'form-error', role: 'alert' }, e.message));
    return null;
  }

  const sortHeader = (key, label) => {
    const active = (f.sort || 'id') === key;
    const desc = f.order !== 'asc';
    const next = active && desc ? 'asc' : 'desc';
    return h('th', { scope: 'col', 'aria-sort': active ? (desc ? 'descending' : 'ascending') : null },
      h('button', { type: 'button', class: 'link sort', onclick: () => go({ ...f, sort: key, order: next, page: '' }) },
        label, active ? (desc ? ' ▼' : ' ▲') : ''));
  };
  const rows = data.items.map((i) => h('tr', { class: i.severity === 'serious' ? 'row-serious' : '' },
    h('td', { class: 'nowrap' }, h('a', { href: `/incidents/${i.id}` }, i.tracking_code)),
    h('td', {}, i.title),
    h('td', {}, h('span', { title: nm(stepInfo(i.step)) }, i.step === 'closed' ? nm(stepInfo(i.step)) : stepInfo(i.step).label)),
    h('td', {}, severityBadge(i.severity)),
    h('td', {}, statusBadge(i.status)),
    h('td', {}, orgName(i.org_id)),
    h('td', { class: 'nowrap' }, fmtTime(i.detected_at))));
  // A text search stops counting at 1,000 matches: "1000+", and the next
  // page stays open while pages come back full.
  const more = data.total_is_lower_bound;
  const pages = Math.max(1, Math.ceil(data.total / data.per_page));
  const total = more ? `${data.total}+` : data.total;
  const last = more ? data.items.length < data.per_page : data.page >= pages;
  const pager = h('nav', { class: 'pager', 'aria-label': t('list.paging') },
    h('button', { type: 'button', class: 'secondary', disabled: data.page <= 1, onclick: () => go({ ...f, page: data.page - 1 }) }, '‹ ', t('list.prev')),
    h('span', { id: 'page-info' }, t('list.page', { p: data.page, n: more ? `${Math.max(pages, data.page)}+` : pages, total })),
    h('button', { type: 'button', class: 'secondary', disabled: last, onclick: () => go({ ...f, page: data.page + 1 }) }, t('list.next'), ' ›'));
  main.append(section(t('list.results', { n: total }),
    table([sortHeader('id', t('incident.code')), sortHeader('title', t('incident.title')), sortHeader('step', t('incident.step')),
      sortHeader('severity', t('incident.severity')), sortHeader('status', t('incident.status')), t('incident.org'),
      sortHeader('detected_at', t('incident.detected_at'))], rows, { class: 'incidents', empty: t('list.none') }), pager));
  return null;
}
