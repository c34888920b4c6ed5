// Suppliers and service providers (nhà cung cấp dịch vụ) of each system:
// who develops, operates, hosts or maintains it, under which contract until
// when, whom to call, and what they operate or can reach (the supply-chain
// view a response needs). Per system (a tab) and across organisations
// (/suppliers, with contracts ending soon).
import { api, get, patch, post } from '../api.js';
import { h, field, input, select, showError, textarea } from '../dom.js';
import { t } from '../i18n.js';
import { navigate, render } from '../main.js';
import { goWith, orgOptions, section, systemsTabs, table } from './common.js';
import { canEdit, day } from './plans.js';

const ROLES = ['developer', 'operator', 'hosting', 'cloud', 'security_service', 'maintenance', 'telecom', 'other'];
const FIELDS = ['name', 'role', 'contract_no', 'contract_start', 'contract_end', 'contact_name', 'contact_phone', 'contact_email', 'operates', 'notes'];

function contract(s) {
  const span = [day(s.contract_start), day(s.contract_end)].filter(Boolean).join(' – ');
  return [s.contract_no || '', span ? h('div', { class: 'small' }, span) : null];
}

function rowsOf(items, withSystem, editable) {
  return items.map((s) => h('tr', { 'data-supplier': s.id },
    h('td', {}, h('strong', {}, s.name), s.operates ? h('div', { class: 'small muted' }, s.operates) : null),
    withSystem ? h('td', {}, h('a', { href: `/systems/${s.system_id}?tab=suppliers` }, s.system_name || `#${s.system_id}`)) : null,
    h('td', {}, t('supplier.role.' + (s.role || 'other'))),
    h('td', {}, contract(s)),
    h('td', { class: 'small' }, [s.contact_name, s.contact_phone, s.contact_email].filter(Boolean).join(' · ') || '—'),
    editable ? h('td', { class: 'nowrap' },
      h('a', { href: `/systems/${s.system_id}?tab=suppliers&edit=${s.id}`, class: 'button secondary small', 'data-edit': s.id }, t('supplier.edit')), ' ',
      h('button', { type: 'button', class: 'danger small', 'data-delete': s.id, onclick: () => remove(s) }, t('supplier.delete'))) : null));
}

async function remove(s) {
  if (!confirm(t('supplier.confirm_delete', { name: s.name }))) return;
  try {
    await api('DELETE', `/api/suppliers/${s.id}`);
    await render();
  } catch (e) { alert(e.message); }
}

function headers(withSystem, editable) {
  return [t('supplier.name'), withSystem ? t('incident.system') : null, t('supplier.role'), t('supplier.contract'), t('supplier.contact'), editable ? '' : null].filter((x) => x !== null);
}

// The "suppliers" tab of a system; ?edit=ID opens one for editing.
export async function suppliersPanel(main, sys) {
  const data = await get(`/api/systems/${sys.id}/suppliers`);
  const editable = canEdit();
  const s = section(t('supplier.list', { n: data.items.length }), table(headers(false, editable), rowsOf(data.items, false, editable), { class: 'stack', empty: t('supplier.none') }));
  s.id = 'supplier-list';
  main.append(s);
  if (!editable) return null;
  const editId = Number(new URLSearchParams(location.search).get('edit')) || 0;
  const current = data.items.find((x) => x.id === editId);
  main.append(supplierForm(sys, current));
  return null;
}

function supplierForm(sys, cur) {
  const v = cur || {};
  const c = {
    name: input({ value: v.name || '', maxlength: 300 }),
    role: select(ROLES.map((r) => [r, t('supplier.role.' + r)]), v.role || 'developer'),
    contract_no: input({ value: v.contract_no || '' }),
    contract_start: input({ type: 'date', value: v.contract_start || '' }),
    contract_end: input({ type: 'date', value: v.contract_end || '' }),
    contact_name: input({ value: v.contact_name || '' }),
    contact_phone: input({ type: 'tel', value: v.contact_phone || '' }),
    contact_email: input({ type: 'email', value: v.contact_email || '' }),
    operates: textarea({ rows: 2, value: v.operates || '' }),
    notes: textarea({ rows: 2, value: v.notes || '' }),
  };
  const wide = new Set(['operates', 'notes']);
  const form = h('form', { class: 'card', novalidate: true, id: 'supplier-form' }, h('h2', {}, cur ? t('supplier.edit_title', { name: cur.name }) : t('supplier.new')),
    h('div', { class: 'fields' }, FIELDS.map((k) => field(t('supplier.' + k), c[k], { name: k, required: k === 'name', wide: wide.has(k),
      hint: k === 'operates' ? t('supplier.operates_hint') : null }))),
    h('div', { class: 'form-error', role: 'alert' }),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, cur ? t('common.save') : t('common.create')),
      cur ? h('a', { href: `/systems/${sys.id}?tab=suppliers`, class: 'button secondary' }, t('common.cancel')) : null));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    if (!c.name.value.trim()) { showError(form, { field: 'name', message: t('validate.required') }); return; }
    const body = {};
    for (const k of FIELDS) body[k] = c[k].value.trim();
    for (const k of ['contract_start', 'contract_end']) if (!body[k]) body[k] = null;
    try {
      if (cur) await patch(`/api/suppliers/${cur.id}`, body);
      else await post(`/api/systems/${sys.id}/suppliers`, body);
      navigate(`/systems/${sys.id}?tab=suppliers`);
    } catch (e) { showError(form, e); }
  });
  return form;
}

// /suppliers?q=&org_id=&expiring_days=
export async function suppliersView(main) {
  const p = new URLSearchParams(location.search);
  const f = { q: p.get('q') || '', org_id: p.get('org_id') || '', expiring_days: p.get('expiring_days') || '' };
  main.append(h('h1', {}, t('nav.suppliers')), systemsTabs('/suppliers'));
  const q = input({ type: 'search', value: f.q });
  const org = select(orgOptions(t('common.all')), f.org_id);
  const exp = select([['', t('common.all')], ['30', t('supplier.expiring', { n: 30 })], ['90', t('supplier.expiring', { n: 90 })], ['180', t('supplier.expiring', { n: 180 })]], f.expiring_days);
  const form = h('form', { class: 'filters card', role: 'search', id: 'supplier-filters' },
    field(t('common.search'), q, { name: 'q', wide: true }), field(t('incident.org'), org, { name: 'org_id' }),
    field(t('supplier.contract_end'), exp, { name: 'expiring_days' }),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, t('common.filter')),
      h('button', { type: 'button', class: 'secondary', onclick: () => navigate('/suppliers') }, t('common.reset'))));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    goWith('/suppliers', { q: q.value.trim(), org_id: org.value, expiring_days: exp.value });
  });
  main.append(form);
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(f)) if (v) qs.set(k, v);
  const data = await get('/api/suppliers' + (qs.toString() ? '?' + qs : ''));
  const s = section(t('supplier.list', { n: data.items.length }), table(headers(true, false), rowsOf(data.items, true, false), { class: 'stack', empty: t('supplier.none') }));
  s.id = 'supplier-list';
  main.append(s);
  return null;
}
