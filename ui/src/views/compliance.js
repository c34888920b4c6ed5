// Compliance: every obligation of every organisation and system (level
// approval, assessment, scans and hunts, response plan, drill, contact
// point, Form 01/05, Mẫu 08...) with its due date, status and the rule that
// set it; a chart of statuses per organisation; CSV export.
import { get } from '../api.js';
import { h, field, select } from '../dom.js';
import { t, getLang } from '../i18n.js';
import { navigate } from '../main.js';
import { section, table, orgOptions } from './common.js';

const STATUS_COLOURS = { overdue: '#c0392b', due_soon: '#e67e22', unknown: '#7f8c8d', pending: '#2980b9',
  done: '#27ae60', not_applicable: '#bdc3c7' };

function statusText(s) { return t('ob.status.' + s); }

export async function complianceView(main) {
  const params = new URLSearchParams(location.search);
  const q = new URLSearchParams({ lang: getLang() });
  for (const k of ['org_id', 'status', 'kind']) if (params.get(k)) q.set(k, params.get(k));
  const [list, summary] = await Promise.all([get('/api/obligations?' + q), get('/api/obligations/summary?' + q)]);
  const statusSel = select([['', t('ob.all')], ...summary.statuses.map((s) => [s, statusText(s)])], params.get('status') || '');
  const orgSel = select(orgOptions(t('ob.all_orgs')), params.get('org_id') || '');
  const apply = () => {
    const p = new URLSearchParams();
    if (statusSel.value) p.set('status', statusSel.value);
    if (orgSel.value) p.set('org_id', orgSel.value);
    navigate('/compliance' + (p.toString() ? '?' + p : ''));
  };
  statusSel.addEventListener('change', apply);
  orgSel.addEventListener('change', apply);
  main.append(h('div', { class: 'title-row' }, h('h1', {}, t('nav.compliance')),
    h('div', { class: 'inline' }, field(t('ob.status'), statusSel, { name: 'status' }), field(t('incident.org'), orgSel, { name: 'org' }),
      h('a', { href: '/api/obligations.csv?' + q, download: 'nghia-vu.csv', class: 'button secondary', id: 'ob-csv' }, t('ob.csv')))));
  main.append(h('p', { class: 'meta' }, t('ob.regime', { regime: list.regime, date: list.date })));

  const canvas = h('canvas', { role: 'img', 'aria-label': t('ob.chart_label') });
  const chartBox = h('div', { class: 'chart-box' }, canvas);
  const chart = section(t('ob.chart'), chartBox);
  chart.id = 'ob-chart';
  main.append(chart);

  const rows = list.items.map((o) => h('tr', { 'data-status': o.status },
    h('td', {}, o.org_name || '—', o.system_name ? h('div', { class: 'small' }, o.system_name) : null),
    h('td', {}, o.label || o.kind, o.reason ? h('div', { class: 'small muted' }, o.reason) : null),
    h('td', { class: 'nowrap' }, o.due_on ? o.due_on.split('-').reverse().join('/') : '—'),
    h('td', {}, h('span', { class: `badge ob-${o.status}` }, statusText(o.status))),
    h('td', { class: 'small' }, o.rests_on ? `${t('activity.' + o.rests_on)} ${o.rests_on_date ? o.rests_on_date.split('-').reverse().join('/') : ''}` : '—'),
    h('td', { class: 'small' }, `${o.source || ''}`, h('div', { class: 'muted' }, `${o.rule_id} · ${o.regime} · ${o.confidence}`))));
  const tbl = section(t('ob.list', { n: list.items.length }), table([t('incident.org'), t('ob.obligation'), t('ob.due'), t('ob.status'), t('ob.rests_on'), t('ob.rule')],
    rows, { empty: t('ob.none'), class: 'stack' }));
  tbl.id = 'ob-list';
  main.append(tbl);

  let instance = null;
  let gone = false;
  const orgs = summary.orgs.slice(0, 30);
  if (orgs.length) {
    import('../chart.js').then(({ Chart }) => {
      if (gone) return;
      instance = new Chart(canvas, {
        type: 'bar',
        data: {
          labels: orgs.map((o) => o.org_name),
          datasets: summary.statuses.map((s) => ({ label: statusText(s), backgroundColor: STATUS_COLOURS[s] || '#8e44ad',
            data: orgs.map((o) => o.counts[s] || 0) })),
        },
        options: { animation: false, responsive: true, maintainAspectRatio: false, indexAxis: 'y',
          scales: { x: { stacked: true, beginAtZero: true, ticks: { precision: 0 } }, y: { stacked: true } },
          plugins: { legend: { position: 'bottom' } } },
      });
      chartBox.classList.add('drawn');
    }).catch(() => chartBox.append(h('p', { class: 'form-error' }, t('dash.chart_failed'))));
  }
  return () => { gone = true; if (instance) instance.destroy(); };
}
