// Information systems: the list of those the user may see, and one page per
// system whose tabs hold what the law asks of it (scan findings, level
// dossiers, response plans, drills, suppliers).
import { get } from '../api.js';
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { orgName, section, systemsTabs, table } from './common.js';
import { findingsPanel } from './findings.js';
import { dossiersPanel } from './dossiers.js';
import { plansPanel } from './plans.js';
import { drillsPanel } from './drills.js';
import { suppliersPanel } from './suppliers.js';

export async function systemsView(main, [id]) {
  if (id) return systemView(main, id);
  const data = await get('/api/systems?per_page=200');
  main.append(h('h1', {}, t('nav.systems')), systemsTabs('/systems'));
  const rows = data.items.map((s) => h('tr', { 'data-system': s.id },
    h('td', {}, h('a', { href: `/systems/${s.id}` }, s.name), s.national_critical ? h('span', { class: 'badge sev-serious' }, t('system.critical')) : null),
    h('td', { class: 'num' }, s.level ? String(s.level) : '—'),
    h('td', {}, t('system.type.' + (s.system_type || 'other'))),
    h('td', {}, orgName(s.owner_org_id)), h('td', {}, orgName(s.operator_org_id))));
  const s = section(t('admin.systems_n', { n: data.total }),
    table([t('system.name'), t('system.level'), t('system.type'), t('system.owner'), t('system.operator')], rows, { class: 'stack' }));
  s.id = 'systems-list';
  main.append(s);
  return null;
}

const SYSTEM_TABS = [
  ['findings', 'sys.tab.findings', findingsTab],
  ['dossiers', 'sys.tab.dossiers', dossiersPanel],
  ['plans', 'sys.tab.plans', plansPanel],
  ['drills', 'sys.tab.drills', drillsPanel],
  ['suppliers', 'sys.tab.suppliers', suppliersPanel],
];

async function systemView(main, id) {
  let sys;
  try { sys = await get(`/api/systems/${id}`); } catch (e) {
    main.append(h('h1', {}, t('sys.not_found')));
    return null;
  }
  const cur = new URLSearchParams(location.search).get('tab') || SYSTEM_TABS[0][0];
  const tab = SYSTEM_TABS.find((x) => x[0] === cur) || SYSTEM_TABS[0];
  main.append(h('h1', { id: 'system-name' }, sys.name),
    h('p', { class: 'meta' }, [sys.level ? t('f03.level', { n: sys.level }) : t('sys.no_level'),
      `${t('system.owner')}: ${orgName(sys.owner_org_id)}`, `${t('system.operator')}: ${orgName(sys.operator_org_id)}`].join(' · ')),
    h('nav', { class: 'tabs', 'aria-label': t('sys.tabs') }, SYSTEM_TABS.map(([k, key]) =>
      h('a', { href: `/systems/${id}?tab=${k}`, 'aria-current': k === tab[0] ? 'page' : null, 'data-tab': k }, t(key)))));
  return tab[2](main, sys);
}

function findingsTab(main, sys) {
  return findingsPanel(main, { systemId: sys.id, base: `/systems/${sys.id}`, tab: 'findings' });
}
