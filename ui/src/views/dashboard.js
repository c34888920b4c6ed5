// Dashboard: open incidents by step and severity, deadlines overdue and due
// today (serious first, as the server orders them), serious incidents, a
// chart of incidents per month by taxonomy group, latest alerts.
import { get } from '../api.js';
import { h } from '../dom.js';
import { t, nm } from '../i18n.js';
import { fmtTime } from '../format.js';
import { session, isStaff } from '../main.js';
import { section, severityBadge, stepInfo, table } from './common.js';


const SEVERITIES = ['serious', 'normal', 'unclassified'];
const GROUP_COLOURS = { 1: '#c0392b', 2: '#2e86c1', 3: '#d68910', 4: '#17a589', '': '#7f8c8d' };

function deadlineRows(list) {
  return list.map((d) => h('tr', { class: d.severity === 'serious' ? 'row-serious' : '' },
    h('td', {}, h('a', { href: `/incidents/${d.incident_id}` }, d.tracking_code), h('div', { class: 'small' }, d.title)),
    h('td', {}, severityBadge(d.severity)),
    h('td', {}, nm(d, 'label')),
    h('td', { class: 'nowrap' }, fmtTime(d.due_at))));
}

export async function dashboardView(main) {
  // The chart library loads while the data is fetched.
  const chartLib = import('../chart.js');
  const d = await get('/api/dashboard');
  main.append(h('h1', {}, t('nav.dashboard')));

  // Open incidents: step x severity.
  const counts = new Map();
  let total = 0;
  for (const r of d.open_by_step) {
    counts.set(`${r.step}|${r.severity}`, r.n);
    total += r.n;
  }
  const steps = session.procedure.filter((s) => s.code !== 'closed');
  const rows = steps.map((s) => {
    const cells = SEVERITIES.map((sev) => {
      const n = counts.get(`${s.code}|${sev}`) || 0;
      return h('td', { class: 'num' }, n ? h('a', { href: `/incidents?step=${s.code}&severity=${sev}&status=open` }, String(n)) : '·');
    });
    return h('tr', {}, h('th', { scope: 'row' }, `${s.label}. ${nm(s)}`), cells);
  });
  const byStep = section(t('dash.open_by_step', { n: total }),
    table([t('incident.step'), ...SEVERITIES.map((s) => t('severity.' + s))], rows, { class: 'compact' }));
  byStep.id = 'dash-steps';

  const grid = h('div', { class: 'grid dash' });
  const overdue = section(t('dash.overdue'), table([t('incident.code'), t('incident.severity'), t('deadline.rule'), t('deadline.due')], deadlineRows(d.deadlines_overdue), { empty: t('dash.none_overdue') }));
  overdue.id = 'dash-overdue';
  overdue.classList.add('warn');
  const today = section(t('dash.today'), table([t('incident.code'), t('incident.severity'), t('deadline.rule'), t('deadline.due')], deadlineRows(d.deadlines_today), { empty: t('dash.none_today') }));
  today.id = 'dash-today';
  const serious = section(t('dash.serious'), table([t('incident.code'), t('incident.step'), t('incident.detected_at')],
    d.serious_open.map((i) => h('tr', {}, h('td', {}, h('a', { href: `/incidents/${i.id}` }, i.tracking_code), h('div', { class: 'small' }, i.title)),
      h('td', {}, stepInfo(i.step).label), h('td', { class: 'nowrap' }, fmtTime(i.detected_at)))), { empty: t('dash.none_serious') }));
  serious.id = 'dash-serious';

  // Chart: months on x, one stacked bar per taxonomy group.
  const months = [...new Set(d.by_month_group.map((r) => r.month))].sort();
  const groups = [...new Set(d.by_month_group.map((r) => r.grp))].sort();
  const canvas = h('canvas', { role: 'img', 'aria-label': t('dash.chart_label') });
  const chartBox = h('div', { class: 'chart-box' }, canvas);
  const chartTable = table([t('dash.month'), ...groups.map((g) => groupName(g))],
    months.map((m) => h('tr', {}, h('th', { scope: 'row' }, monthText(m)), groups.map((g) => {
      const r = d.by_month_group.find((x) => x.month === m && x.grp === g);
      return h('td', { class: 'num' }, r ? String(r.n) : '0');
    }))), { class: 'compact sr-table' });
  const chart = section(t('dash.chart'), months.length ? chartBox : h('p', { class: 'muted' }, t('common.empty')),
    h('details', {}, h('summary', {}, t('dash.chart_table')), chartTable));
  chart.id = 'dash-chart';
  chart.classList.add('span2');

  grid.append(overdue, today, byStep, serious, chart);
  if (isStaff() || (session.user && session.user.role === 'auditor')) {
    const alerts = section(t('dash.alerts'), table([t('alert.title'), t('alert.severity'), t('alert.count'), t('alert.last_seen')],
      d.latest_alerts.map((a) => h('tr', {}, h('td', {}, h('a', { href: '/alerts' }, a.title)), h('td', {}, h('span', { class: `badge asev-${a.severity}` }, t('alert.sev.' + a.severity))),
        h('td', { class: 'num' }, String(a.count)), h('td', { class: 'nowrap' }, fmtTime(a.last_seen)))), { empty: t('dash.none_alerts') }));
    alerts.id = 'dash-alerts';
    grid.append(alerts);
  }
  main.append(grid);
  if (isStaff()) main.append(reportsSection());

  let instance = null;
  let gone = false;
  if (months.length) {
    chartLib.then(({ Chart }) => {
      if (gone) return;
      instance = new Chart(canvas, {
        type: 'bar',
        data: {
          labels: months.map(monthText),
          datasets: groups.map((g) => ({
            label: groupName(g),
            backgroundColor: GROUP_COLOURS[g] || '#8e44ad',
            maxBarThickness: 56,
            data: months.map((m) => (d.by_month_group.find((x) => x.month === m && x.grp === g) || { n: 0 }).n),
          })),
        },
        options: {
          animation: false, responsive: true, maintainAspectRatio: false,
          scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } },
          plugins: { legend: { position: 'bottom' } },
        },
      });
      chartBox.classList.add('drawn');
    }).catch(() => chartBox.append(h('p', { class: 'form-error' }, t('dash.chart_failed'))));
  }
  return () => { gone = true; if (instance) instance.destroy(); };
}

function groupName(g) {
  if (!g) return t('taxonomy.none');
  const e = session.taxonomy.find((x) => x.code === g);
  return e ? `${g}. ${nm(e)}` : g;
}

function monthText(m) {
  const [y, mo] = m.split('-');
  return `${mo}/${y}`;
}

// Periodic reports of the province for the current year: Form 05 (six
// months, year), the quarterly report on threats and the annual report.
function reportsSection() {
  const now = new Date();
  const y = now.getFullYear();
  const q = Math.floor(now.getMonth() / 3) + 1;
  const link = (label, path) => h('li', {}, h('span', { class: 'form-name' }, label), ' ',
    ...['pdf', 'docx', 'html'].flatMap((f) => [h('a', { href: `${path}&format=${f}`, download: '', class: 'form-link' }, f.toUpperCase()), ' ']));
  const s = section(t('reports.title'), h('ul', { class: 'forms' },
    link(`${t('reports.form05_h1')} ${y}`, `/api/reports/form05?period=${y}H1`),
    link(`${t('reports.form05_year')} ${y}`, `/api/reports/form05?period=${y}`),
    link(`${t('reports.quarterly')} ${q}/${y}`, `/api/reports/quarterly?year=${y}&quarter=${q}`),
    link(`${t('reports.annual')} ${y}`, `/api/reports/annual?year=${y}`),
    link(`${t('reports.mau08')} ${y}`, `/api/reports/mau08?year=${y}`)));
  s.id = 'dash-reports';
  return s;
}
