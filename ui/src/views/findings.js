// Scan findings (lỗ hổng phát hiện qua rà quét) of one system or of every
// system of an organisation: state over time, lane, KEV with its due date,
// EPSS; filters in the URL; a chart by state; CSV and JSON export; the
// decision "accepted risk" / "false positive" with a reason.
//
// The server stores four statuses (open, fixed, accepted_risk,
// false_positive). The states people track are derived from an open row:
// "new" when the finding was seen by one scan only (first_seen = last_seen;
// a later scan that misses it marks it fixed), "reopened" when it came back
// after being fixed, otherwise "open" (still open).
import { get, patch } from '../api.js';
import { h, field, input, select } from '../dom.js';
import { t } from '../i18n.js';
import { fmtTime } from '../format.js';
import { hasRole, navigate, render } from '../main.js';
import { orgOptions, section, systemsTabs, table } from './common.js';

export const FINDING_STATES = ['new', 'open', 'reopened', 'fixed', 'accepted_risk', 'false_positive'];
const STATE_COLOURS = { new: '#c0392b', open: '#e67e22', reopened: '#8e44ad', fixed: '#27ae60',
  accepted_risk: '#2980b9', false_positive: '#7f8c8d' };
const LANES = ['confirmed', 'potential'];

export function findingState(f) {
  if (f.status !== 'open') return f.status;
  if (f.reopened > 0) return 'reopened';
  if (f.first_seen && f.first_seen === f.last_seen) return 'new';
  return 'open';
}

// CVSS v3 bands (FIRST): the severity people sort by.
export function cvssBand(score) {
  if (score === null || score === undefined || score === '') return 'unknown';
  if (score >= 9) return 'critical';
  if (score >= 7) return 'high';
  if (score >= 4) return 'medium';
  if (score > 0) return 'low';
  return 'none';
}

function day(s) { return s ? s.split('-').reverse().join('/') : ''; }

// The server's status filter for a state (new and reopened are open rows).
function serverStatus(state) {
  return ['new', 'open', 'reopened'].includes(state) ? 'open' : state;
}

// /findings?org_id=&state=&lane=&kev=1&q=
export async function findingsView(main) {
  const p = new URLSearchParams(location.search);
  main.append(h('h1', {}, t('nav.findings')), systemsTabs('/findings'));
  return findingsPanel(main, { orgId: p.get('org_id') || '', base: '/findings' });
}

// Fills 'box' with the findings of one system (opts.systemId) or of an
// organisation's subtree (opts.orgId, '' = all visible). opts.base is the
// page's path, to which the filters are written as query parameters.
export async function findingsPanel(box, opts) {
  const p = new URLSearchParams(location.search);
  const f = { state: p.get('state') || '', lane: p.get('lane') || '', kev: p.get('kev') || '', q: p.get('q') || '' };
  const url = opts.systemId ? `/api/systems/${opts.systemId}/findings` : '/api/findings' + (opts.orgId ? `?org_id=${opts.orgId}` : '');
  const data = await get(url);
  const all = data.items.map((x) => ({ ...x, state: findingState(x) }));

  // Filters (the state, lane, KEV and text filters apply in the browser over
  // the rows the server returned, so the chart can count every state).
  const stateSel = select([['', t('common.all')], ...FINDING_STATES.map((s) => [s, t('find.state.' + s)])], f.state);
  const laneSel = select([['', t('common.all')], ...LANES.map((l) => [l, t('find.lane.' + l)])], f.lane);
  const kev = h('input', { type: 'checkbox', id: 'find-kev', checked: f.kev === '1' });
  const q = input({ type: 'search', value: f.q, placeholder: t('find.search_hint') });
  const org = opts.systemId ? null : select(orgOptions(t('common.all')), opts.orgId);
  const form = h('form', { class: 'filters card', role: 'search', id: 'find-filters' },
    field(t('common.search'), q, { name: 'q', wide: true }),
    org ? field(t('incident.org'), org, { name: 'org_id' }) : null,
    field(t('find.state'), stateSel, { name: 'state' }),
    field(t('find.lane'), laneSel, { name: 'lane' }),
    h('div', { class: 'check' }, kev, h('label', { for: 'find-kev' }, t('find.kev_only'))),
    h('div', { class: 'actions' },
      h('button', { type: 'submit' }, t('common.filter')),
      h('button', { type: 'button', class: 'secondary', onclick: () => go({}) }, t('common.reset'))));
  const go = (n) => {
    const u = new URLSearchParams();
    if (opts.tab) u.set('tab', opts.tab);
    for (const [k, v] of Object.entries(n)) if (v) u.set(k, v);
    navigate(opts.base + (u.toString() ? '?' + u : ''));
  };
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    go({ q: q.value.trim(), org_id: org ? org.value : '', state: stateSel.value, lane: laneSel.value, kev: kev.checked ? '1' : '' });
  });

  const needle = f.q.toLowerCase();
  const rows = all.filter((x) => (!f.state || x.state === f.state) && (!f.lane || x.lane === f.lane) && (f.kev !== '1' || x.kev) &&
    (!needle || `${x.cve} ${x.component} ${x.system_name || ''} ${x.host || ''}`.toLowerCase().includes(needle)));

  // Exports: CSV from the server (GET /api/findings.csv, /api/systems/{id}/findings.csv);
  // JSON is the list the server answers, saved as a file. Both take the
  // server's filters (state, lane, KEV); "new" and "reopened" export as open.
  const exp = new URLSearchParams();
  if (!opts.systemId && opts.orgId) exp.set('org_id', opts.orgId);
  if (f.state) exp.set('status', serverStatus(f.state));
  if (f.lane) exp.set('lane', f.lane);
  if (f.kev === '1') exp.set('kev', '1');
  const qs = exp.toString() ? '?' + exp : '';
  const csvPath = (opts.systemId ? `/api/systems/${opts.systemId}/findings.csv` : '/api/findings.csv') + qs;
  const jsonPath = (opts.systemId ? `/api/systems/${opts.systemId}/findings` : '/api/findings') + qs;
  const exports = h('div', { class: 'actions', id: 'find-export' },
    h('a', { href: csvPath, download: 'lo-hong.csv', class: 'button secondary', id: 'find-csv' }, t('find.csv')),
    h('a', { href: jsonPath, download: 'lo-hong.json', class: 'button secondary', id: 'find-json' }, t('find.json')));

  box.append(form);
  // The server caps a list (not an export) and says so.
  if (data.truncated) box.append(h('p', { class: 'notice', role: 'status' }, t('find.truncated', { n: all.length })));
  const chartCounts = FINDING_STATES.map((s) => LANES.map((l) => all.filter((x) => x.state === s && x.lane === l).length));
  const canvas = h('canvas', { role: 'img', 'aria-label': t('find.chart_label') });
  const chartBox = h('div', { class: 'chart-box small-chart' }, canvas);
  const chartTable = h('details', {}, h('summary', {}, t('dash.chart_table')),
    table([t('find.state'), ...LANES.map((l) => t('find.lane.' + l))],
      FINDING_STATES.map((s, i) => h('tr', {}, h('th', { scope: 'row' }, t('find.state.' + s)), chartCounts[i].map((n) => h('td', { class: 'num' }, String(n)))))));
  const chart = section(t('find.chart'), chartBox, chartTable);
  chart.id = 'find-chart';
  box.append(chart);

  const decide = hasRole('admin', 'coordinator', 'unit_officer');
  const list = section(t('find.list', { n: rows.length, total: all.length }), exports,
    table([t('find.cve'), opts.systemId ? null : t('incident.system'), t('find.lane'), t('find.severity'), 'KEV', 'EPSS', t('find.state'), t('find.seen'), decide ? t('find.decision') : null].filter(Boolean),
      rows.map((x) => findingRow(x, !opts.systemId, decide)), { class: 'stack findings', empty: all.length ? t('find.none_match') : t('find.none') }));
  list.id = 'find-list';
  box.append(list);

  let instance = null;
  let gone = false;
  if (all.length) {
    import('../chart.js').then(({ Chart }) => {
      if (gone) return;
      instance = new Chart(canvas, {
        type: 'bar',
        data: {
          labels: FINDING_STATES.map((s) => t('find.state.' + s)),
          datasets: LANES.map((l, li) => ({ label: t('find.lane.' + l), backgroundColor: li ? '#95a5a6' : '#2c3e50',
            data: chartCounts.map((c) => c[li]) })),
        },
        options: { animation: false, responsive: true, maintainAspectRatio: false,
          scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } },
          plugins: { legend: { position: 'bottom' } } },
      });
      chartBox.classList.add('drawn');
    }).catch(() => chartBox.append(h('p', { class: 'form-error' }, t('dash.chart_failed'))));
  } else {
    chartBox.append(h('p', { class: 'muted' }, t('find.none')));
  }
  return () => { gone = true; if (instance) instance.destroy(); };
}

function findingRow(x, withSystem, decide) {
  const band = cvssBand(x.cvss);
  const where = [x.host, x.port ? `:${x.port}` : ''].join('');
  return h('tr', { 'data-finding': x.id, 'data-state': x.state },
    h('td', {}, h('strong', { class: 'mono' }, x.cve), h('div', { class: 'small' }, x.component, x.installed ? ` ${x.installed}` : '',
      x.fixed_version ? ` → ${x.fixed_version}` : ''), where ? h('div', { class: 'small muted mono' }, where) : null),
    withSystem ? h('td', {}, h('a', { href: `/systems/${x.system_id}?tab=findings` }, x.system_name || `#${x.system_id}`)) : null,
    h('td', {}, h('span', { class: `badge lane-${x.lane}`, title: t('find.lane.' + x.lane) }, t('find.lane_short.' + x.lane))),
    h('td', { class: 'nowrap' }, h('span', { class: `badge cvss-${band}` }, t('find.sev.' + band)), x.cvss !== null && x.cvss !== undefined ? ` ${Number(x.cvss).toFixed(1)}` : ''),
    h('td', { class: 'nowrap kev' }, x.kev ? [h('span', { class: 'badge sev-serious' }, 'KEV'), x.kev_due ? h('div', { class: 'small' }, t('find.kev_due', { d: day(x.kev_due) })) : null] : '—'),
    h('td', { class: 'num nowrap' }, x.epss !== null && x.epss !== undefined ? `${(Number(x.epss) * 100).toFixed(1)} %` : '—'),
    h('td', {}, h('span', { class: `badge fs-${x.state}` }, t('find.state.' + x.state)),
      x.decision_reason ? h('div', { class: 'small' }, x.decision_reason, x.decided_at ? h('span', { class: 'muted' }, ` (${fmtTime(x.decided_at)})`) : null) : null),
    h('td', { class: 'small nowrap' }, t('find.first', { d: fmtTime(x.first_seen) }), h('div', {}, t('find.last', { d: fmtTime(x.last_seen) })),
      x.fixed_at ? h('div', {}, t('find.fixed_at', { d: fmtTime(x.fixed_at) })) : null),
    decide ? h('td', {}, x.state === 'fixed' ? '—' : decisionForm(x)) : null);
}

// Accepted risk or false positive needs a reason (the server refuses one
// without); a decided finding can be set back to open.
function decisionForm(x) {
  const decided = x.status === 'accepted_risk' || x.status === 'false_positive';
  const choices = decided ? ['open'] : ['accepted_risk', 'false_positive'];
  const sel = select(choices.map((s) => [s, t('find.decide.' + s)]), choices[0]);
  const reason = h('textarea', { rows: 2, maxlength: 2000 });
  const err = h('div', { class: 'form-error', role: 'alert' });
  const form = h('form', { class: 'decide', novalidate: true },
    field(t('find.decision'), sel, { name: 'status' }),
    decided ? null : field(t('find.reason'), reason, { name: 'reason' }),
    h('button', { type: 'submit', class: 'small' }, t('find.save_decision')), err);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    err.textContent = '';
    if (!decided && !reason.value.trim()) { err.textContent = t('find.reason_required'); reason.focus(); return; }
    try {
      await patch(`/api/findings/${x.id}`, { status: sel.value, reason: reason.value.trim() });
      await render();
    } catch (e) { err.textContent = e.message; }
  });
  return h('details', { class: 'decide-box' }, h('summary', {}, decided ? t('find.undo') : t('find.decide')), form);
}
