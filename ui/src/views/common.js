// Pieces several screens share: step and severity labels, badges, tables.
import { h } from '../dom.js';
import { t, nm } from '../i18n.js';
import { navigate, session } from '../main.js';

export function stepInfo(code) {
  return session.procedure.find((s) => s.code === code) || { code, label: code, name_vi: code, name_en: code };
}

export function stepText(code) {
  const s = stepInfo(code);
  return code === 'closed' ? nm(s) : `${s.label}. ${nm(s)}`;
}

export function taxonomyText(code) {
  if (!code) return t('taxonomy.none');
  const e = session.taxonomy.find((x) => x.code === code);
  return e ? `${code} ${nm(e)}` : code;
}

export function orgName(id) {
  const o = session.orgs.find((x) => x.id === id);
  return o ? o.name : (id ? `#${id}` : '');
}

export function severityBadge(sev) {
  return h('span', { class: `badge sev-${sev || 'unclassified'}` }, t('severity.' + (sev || 'unclassified')));
}

export function statusBadge(st) {
  return h('span', { class: `badge st-${st}` }, t('status.' + st));
}

// A table inside a scrolling box so that narrow screens scroll it sideways
// instead of the whole page.
export function table(headers, rows, opts = {}) {
  const thead = h('thead', {}, h('tr', {}, headers.map((x) => (x instanceof Node ? x : h('th', { scope: 'col' }, x)))));
  const tbody = h('tbody', {}, rows.length ? rows : h('tr', {}, h('td', { colspan: headers.length, class: 'muted' }, opts.empty || t('common.empty'))));
  return h('div', { class: 'table-wrap' }, h('table', { class: opts.class || '' }, opts.caption ? h('caption', {}, opts.caption) : null, thead, tbody));
}

export function section(title, ...children) {
  return h('section', { class: 'card' }, h('h2', {}, title), children);
}

export function taxonomyOptions(leavesOnly) {
  const out = [['', t('taxonomy.none')]];
  for (const e of session.taxonomy) {
    if (leavesOnly && !e.leaf) continue;
    out.push([e.code, `${e.code} ${nm(e)}`]);
  }
  return out;
}

export function orgOptions(empty) {
  // Indented by depth so the tree shows in a plain <select>.
  const byParent = new Map();
  for (const o of session.orgs) {
    const p = o.parent_id || 0;
    if (!byParent.has(p)) byParent.set(p, []);
    byParent.get(p).push(o);
  }
  const out = empty === undefined ? [] : [['', empty]];
  const seen = new Set();
  const walk = (p, depth) => {
    for (const o of byParent.get(p) || []) {
      if (seen.has(o.id) || depth > 12) continue;
      seen.add(o.id);
      out.push([o.id, `${'— '.repeat(depth)}${o.name}`]);
      walk(o.id, depth + 1);
    }
  };
  walk(0, 0);
  // Orgs whose parent is outside what this user sees.
  for (const o of session.orgs) if (!seen.has(o.id)) { seen.add(o.id); out.push([o.id, o.name]); walk(o.id, 1); }
  return out;
}

// The pages about systems share one row of tabs (organisation-wide lists).
export function systemsTabs(current) {
  const tabs = [['/systems', 'nav.systems'], ['/findings', 'nav.findings'], ['/dossiers', 'nav.dossiers'],
    ['/suppliers', 'nav.suppliers'], ['/budget', 'nav.budget']];
  return h('nav', { class: 'tabs', 'aria-label': t('nav.systems') }, tabs.map(([path, key]) =>
    h('a', { href: path, 'aria-current': path === current ? 'page' : null, 'data-tab': path }, t(key))));
}

// Goes to 'path' with the non-empty values of 'params' as its query (the
// filters of a list live in the URL).
export function goWith(path, params) {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) u.set(k, v);
  navigate(path + (u.toString() ? '?' + u : ''));
}
