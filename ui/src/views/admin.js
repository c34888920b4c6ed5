// Administration: the organisations tree, information systems, users and
// roles, the response team. Forms appear only for the roles the server lets
// change these (it checks again).
import { get, patch, post } from '../api.js';
import { h, field, input, select, showError, textarea } from '../dom.js';
import { t } from '../i18n.js';
import { fmtTime, splitList } from '../format.js';
import { session, hasRole, loadReference, render } from '../main.js';
import { orgName, orgOptions, section, table } from './common.js';

const ORG_TYPES = ['province', 'department', 'district', 'commune', 'unit', 'enterprise', 'central', 'police', 'military', 'other'];
const ROLES = ['admin', 'coordinator', 'responder', 'unit_officer', 'auditor'];

export async function adminView(main) {
  const tabs = [['orgs', 'admin.orgs'], ['systems', 'admin.systems']];
  if (hasRole('admin', 'auditor')) tabs.push(['users', 'admin.users']);
  tabs.push(['team', 'admin.team']);
  const cur = new URLSearchParams(location.search).get('tab') || 'orgs';
  main.append(h('h1', {}, t('nav.admin')),
    h('nav', { class: 'tabs', 'aria-label': t('nav.admin') }, tabs.map(([k, key]) =>
      h('a', { href: `/admin?tab=${k}`, 'aria-current': k === cur ? 'page' : null, 'data-tab': k }, t(key)))));
  if (cur === 'systems') return systemsTab(main);
  if (cur === 'users' && hasRole('admin', 'auditor')) return usersTab(main);
  if (cur === 'team') return teamTab(main);
  return orgsTab(main);
}

async function submitAnd(form, fn) {
  try {
    await fn();
    await loadReference();
    await render();
  } catch (e) { showError(form, e); }
}

async function orgsTab(main) {
  await loadReference();
  const kids = new Map();
  for (const o of session.orgs) {
    const p = session.orgs.some((x) => x.id === o.parent_id) ? o.parent_id : 0;
    if (!kids.has(p)) kids.set(p, []);
    kids.get(p).push(o);
  }
  const tree = (p, depth) => {
    const list = kids.get(p) || [];
    if (!list.length || depth > 12) return null;
    return h('ul', { class: depth ? '' : 'tree', role: depth ? 'group' : 'tree' }, list.map((o) => h('li', { role: 'treeitem', 'aria-expanded': kids.has(o.id) ? 'true' : null },
      h('span', { class: 'org-name' }, o.name), ' ', h('span', { class: 'badge' }, t('org.type.' + (o.type || 'other'))),
      o.contact_hotline ? h('span', { class: 'small muted' }, ' ☎ ', o.contact_hotline) : null,
      tree(o.id, depth + 1))));
  };
  const s = section(t('admin.orgs_tree', { n: session.orgs.length }), tree(0, 0) || h('p', { class: 'muted' }, t('common.empty')));
  s.id = 'orgs';
  main.append(s);
  if (hasRole('admin', 'coordinator')) {
    const name = input({ required: true });
    const type = select(ORG_TYPES.map((x) => [x, t('org.type.' + x)]), 'unit');
    const parent = select(orgOptions(t('org.no_parent')), '');
    const hotline = input({});
    const email = input({ type: 'email' });
    const form = h('form', { class: 'card', novalidate: true, id: 'org-form' }, h('h2', {}, t('org.new')),
      h('div', { class: 'fields' }, field(t('org.name'), name, { name: 'name', required: true }), field(t('org.type'), type, { name: 'type' }),
        field(t('org.parent'), parent, { name: 'parent_id' }), field(t('org.hotline'), hotline, { name: 'contact_hotline' }),
        field(t('org.email'), email, { name: 'contact_email' })),
      h('div', { class: 'form-error', role: 'alert' }), h('button', { type: 'submit' }, t('common.create')));
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      if (!name.value.trim()) { showError(form, { field: 'name', message: t('validate.required') }); return; }
      const body = { name: name.value.trim(), type: type.value, contact_hotline: hotline.value.trim(), contact_email: email.value.trim() };
      if (parent.value) body.parent_id = Number(parent.value);
      submitAnd(form, () => post('/api/orgs', body));
    });
    main.append(form);
  }
  return null;
}

async function systemsTab(main) {
  const data = await get('/api/systems?per_page=200');
  const rows = data.items.map((s) => h('tr', {}, h('td', {}, s.name, s.national_critical ? h('span', { class: 'badge sev-serious' }, ' ', t('system.critical')) : null),
    h('td', { class: 'num' }, s.level ? String(s.level) : '—'), h('td', {}, t('system.type.' + (s.system_type || 'other'))),
    h('td', {}, orgName(s.owner_org_id)), h('td', {}, orgName(s.operator_org_id)), h('td', { class: 'small mono' }, (s.domains || []).join(', '))));
  const s = section(t('admin.systems_n', { n: data.total }), table([t('system.name'), t('system.level'), t('system.type'), t('system.owner'), t('system.operator'), t('f03.domains')], rows));
  s.id = 'systems';
  main.append(s);
  if (hasRole('admin', 'coordinator', 'unit_officer')) {
    const name = input({ required: true });
    const level = select([1, 2, 3, 4, 5].map((n) => [n, t('f03.level', { n })]), 2);
    const type = select(['internal', 'citizen_service', 'infrastructure', 'industrial_control', 'other'].map((x) => [x, t('system.type.' + x)]), 'internal');
    const owner = select(orgOptions(t('incident.org_choose')), '');
    const operator = select(orgOptions(t('incident.org_choose')), session.user.org_id || '');
    const domains = textarea({ rows: 2 });
    const form = h('form', { class: 'card', novalidate: true, id: 'system-form' }, h('h2', {}, t('system.new')),
      h('div', { class: 'fields' }, field(t('system.name'), name, { name: 'name', required: true }), field(t('system.level'), level, { name: 'level' }),
        field(t('system.type'), type, { name: 'system_type' }), field(t('system.owner'), owner, { name: 'owner_org_id', required: true }),
        field(t('system.operator'), operator, { name: 'operator_org_id', required: true }), field(t('f03.domains'), domains, { name: 'domains', hint: t('f03.list_hint') })),
      h('div', { class: 'form-error', role: 'alert' }), h('button', { type: 'submit' }, t('common.create')));
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      if (!name.value.trim()) { showError(form, { field: 'name', message: t('validate.required') }); return; }
      if (!owner.value) { showError(form, { field: 'owner_org_id', message: t('validate.required') }); return; }
      if (!operator.value) { showError(form, { field: 'operator_org_id', message: t('validate.required') }); return; }
      submitAnd(form, () => post('/api/systems', { name: name.value.trim(), level: Number(level.value), system_type: type.value,
        owner_org_id: Number(owner.value), operator_org_id: Number(operator.value), domains: splitList(domains.value) }));
    });
    main.append(form);
  }
  return null;
}

async function usersTab(main) {
  const data = await get('/api/users?per_page=200');
  const admin = hasRole('admin');
  const rows = data.items.map((u) => {
    let roleCell = t('role.' + u.role);
    if (admin && u.id !== session.user.id) {
      const sel = select(ROLES.map((r) => [r, t('role.' + r)]), u.role, { 'aria-label': t('user.role_of', { u: u.username }) });
      sel.addEventListener('change', async () => { try { await patch(`/api/users/${u.id}`, { role: sel.value }); } catch (e) { alert(e.message); } });
      roleCell = sel;
    }
    return h('tr', {}, h('td', {}, u.username), h('td', {}, u.full_name), h('td', {}, roleCell), h('td', {}, orgName(u.org_id) || '—'),
      h('td', {}, u.disabled ? t('user.disabled') : t('user.active')), h('td', { class: 'small' }, fmtTime(u.created_at)));
  });
  const s = section(t('admin.users_n', { n: data.total }), table([t('user.username'), t('user.full_name'), t('user.role'), t('incident.org'), t('user.state'), t('user.created')], rows));
  s.id = 'users';
  main.append(s);
  if (admin) {
    const username = input({ required: true, autocomplete: 'off' });
    const full = input({});
    const role = select(ROLES.map((r) => [r, t('role.' + r)]), 'responder');
    const org = select(orgOptions(t('org.no_org')), '');
    const pw = input({ type: 'password', autocomplete: 'new-password', required: true });
    const form = h('form', { class: 'card', novalidate: true, id: 'user-form' }, h('h2', {}, t('user.new')),
      h('div', { class: 'fields' }, field(t('user.username'), username, { name: 'username', required: true }), field(t('user.full_name'), full, { name: 'full_name' }),
        field(t('user.role'), role, { name: 'role' }), field(t('incident.org'), org, { name: 'org_id', hint: t('user.org_hint') }),
        field(t('user.password'), pw, { name: 'password', required: true, hint: t('user.password_hint') })),
      h('div', { class: 'form-error', role: 'alert' }), h('button', { type: 'submit' }, t('common.create')));
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      if (!username.value.trim()) { showError(form, { field: 'username', message: t('validate.required') }); return; }
      const body = { username: username.value.trim(), full_name: full.value.trim(), role: role.value, password: pw.value };
      if (org.value) body.org_id = Number(org.value);
      submitAnd(form, () => post('/api/users', body));
    });
    main.append(form);
  }
  return null;
}

async function teamTab(main) {
  const [team, members] = await Promise.all([get('/api/team'), get('/api/team/members?per_page=200')]);
  const manage = hasRole('admin', 'coordinator');
  const name = input({ value: team.name || '', disabled: !manage });
  const dec = input({ value: team.decision_no || '', disabled: !manage });
  const decDate = input({ type: 'date', value: team.decision_date || '', disabled: !manage });
  const tform = h('form', { novalidate: true, id: 'team-form' },
    h('div', { class: 'fields' }, field(t('team.name'), name, { name: 'name' }), field(t('team.decision_no'), dec, { name: 'decision_no' }),
      field(t('team.decision_date'), decDate, { name: 'decision_date' })),
    h('div', { class: 'form-error', role: 'alert' }), manage ? h('button', { type: 'submit' }, t('common.save')) : null);
  tform.addEventListener('submit', (ev) => {
    ev.preventDefault();
    submitAnd(tform, () => patch('/api/team', { name: name.value.trim(), decision_no: dec.value.trim(), decision_date: decDate.value }));
  });
  const s1 = section(t('admin.team'), tform);
  s1.id = 'team';
  const rows = members.items.map((m) => h('tr', {}, h('td', {}, m.full_name, m.is_primary_contact ? h('span', { class: 'badge' }, t('team.primary')) : null),
    h('td', {}, m.position), h('td', {}, m.role_in_team), h('td', {}, (m.expertise || []).map((x) => t('team.exp.' + x)).join(', ')),
    h('td', {}, orgName(m.org_id)), h('td', { class: 'small' }, [m.phone, m.email].filter(Boolean).join(' · '))));
  const s2 = section(t('team.members_n', { n: members.total }), table([t('user.full_name'), t('team.position'), t('team.role'), t('team.expertise'), t('incident.org'), t('team.contact')], rows));
  main.append(s1, s2);
  if (manage) {
    const full = input({ required: true });
    const pos = input({});
    const role = input({});
    const org = select(orgOptions(t('org.no_org')), '');
    const phone = input({ type: 'tel' });
    const email = input({ type: 'email' });
    const exp = h('fieldset', { class: 'checks', 'data-field': 'expertise' }, h('legend', {}, t('team.expertise')),
      ['management', 'network_system', 'malware_analysis', 'forensics_pentest'].map((x) => h('div', { class: 'check' },
        h('input', { type: 'checkbox', id: 'exp-' + x, value: x }), h('label', { for: 'exp-' + x }, t('team.exp.' + x)))),
      h('div', { class: 'field-error', role: 'alert' }));
    const form = h('form', { class: 'card', novalidate: true, id: 'member-form' }, h('h2', {}, t('team.new_member')),
      h('div', { class: 'fields' }, field(t('user.full_name'), full, { name: 'full_name', required: true }), field(t('team.position'), pos, { name: 'position' }),
        field(t('team.role'), role, { name: 'role_in_team' }), field(t('incident.org'), org, { name: 'org_id' }),
        field(t('team.phone'), phone, { name: 'phone' }), field(t('team.email'), email, { name: 'email' }), exp),
      h('div', { class: 'form-error', role: 'alert' }), h('button', { type: 'submit' }, t('common.create')));
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      if (!full.value.trim()) { showError(form, { field: 'full_name', message: t('validate.required') }); return; }
      const body = { full_name: full.value.trim(), position: pos.value.trim(), role_in_team: role.value.trim(), phone: phone.value.trim(), email: email.value.trim(),
        expertise: [...exp.querySelectorAll('input:checked')].map((x) => x.value) };
      if (org.value) body.org_id = Number(org.value);
      submitAnd(form, () => post('/api/team/members', body));
    });
    main.append(form);
  }
  return null;
}
