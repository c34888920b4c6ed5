// Budget lines (kinh phí) per IT plan or project: total and security amount,
// the security share, and whether it meets each regime's minimum (10 %,
// Directive 14/CT-TTg; 15 %, Law 116/2025 Art 38). The thresholds and
// their sources come from the server (rule-pack data), never from here.
import { api, get, patch, post } from '../api.js';
import { h, field, input, select, showError, textarea } from '../dom.js';
import { t } from '../i18n.js';
import { navigate, render, session } from '../main.js';
import { goWith, orgName, orgOptions, section, systemsTabs, table } from './common.js';
import { amount, canEdit, money, parseMoney } from './plans.js';

function checks(line) {
  return (line.checks || []).map((c) => h('div', { class: 'budget-check', 'data-regime': c.regime, 'data-met': c.met ? 'yes' : 'no' },
    h('span', { class: `badge ${c.met ? 'ob-done' : 'ob-overdue'}` }, c.met ? t('budget.met', { p: c.required_percent }) : t('budget.not_met', { p: c.required_percent })),
    ' ', h('span', { class: 'small muted' }, `${c.regime} · ${c.rule} · ${c.source}`)));
}

// /budget?org_id=&year=&edit=ID
export async function budgetView(main) {
  const p = new URLSearchParams(location.search);
  const f = { org_id: p.get('org_id') || '', year: p.get('year') || '' };
  main.append(h('h1', {}, t('nav.budget')), systemsTabs('/budget'));
  const org = select(orgOptions(t('common.all')), f.org_id);
  const year = input({ type: 'number', min: 2000, max: 2100, value: f.year });
  const filters = h('form', { class: 'filters card', role: 'search', id: 'budget-filters' },
    field(t('incident.org'), org, { name: 'org_id' }), field(t('budget.year'), year, { name: 'year' }),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, t('common.filter')),
      h('button', { type: 'button', class: 'secondary', onclick: () => navigate('/budget') }, t('common.reset'))));
  filters.addEventListener('submit', (ev) => {
    ev.preventDefault();
    goWith('/budget', { org_id: org.value, year: year.value });
  });
  main.append(filters);
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(f)) if (v) qs.set(k, v);
  const [data, systems] = await Promise.all([get('/api/budget-lines' + (qs.toString() ? '?' + qs : '')), get('/api/systems?per_page=200').catch(() => ({ items: [] }))]);
  const editable = canEdit();
  const sysName = (id) => (systems.items.find((s) => s.id === id) || {}).name || (id ? `#${id}` : '—');
  const rows = data.items.map((l) => h('tr', { 'data-line': l.id },
    h('td', {}, h('strong', {}, l.name), h('div', { class: 'small muted' }, orgName(l.org_id), l.system_id ? ` · ${sysName(l.system_id)}` : ''), l.notes ? h('div', { class: 'small' }, l.notes) : null),
    h('td', { class: 'num' }, String(l.year)),
    h('td', { class: 'num nowrap' }, money(l.total_amount)),
    h('td', { class: 'num nowrap' }, money(l.security_amount)),
    h('td', { class: 'num nowrap share' }, `${Number(l.security_share).toFixed(2)} %`),
    h('td', {}, checks(l)),
    editable ? h('td', { class: 'nowrap' },
      h('a', { href: `/budget?${new URLSearchParams({ ...f, edit: l.id })}`, class: 'button secondary small', 'data-edit': l.id }, t('supplier.edit')), ' ',
      h('button', { type: 'button', class: 'danger small', 'data-delete': l.id, onclick: () => remove(l) }, t('supplier.delete'))) : null));
  const s = section(t('budget.list', { n: data.items.length }),
    table([t('budget.name'), t('budget.year'), t('budget.total'), t('budget.security'), t('budget.share'), t('budget.checks'), editable ? '' : null].filter((x) => x !== null),
      rows, { class: 'stack', empty: t('budget.none') }));
  s.id = 'budget-list';
  main.append(s);
  if (editable) {
    const cur = data.items.find((x) => x.id === Number(p.get('edit')));
    main.append(lineForm(cur, systems.items, f));
  }
  return null;
}

async function remove(l) {
  if (!confirm(t('supplier.confirm_delete', { name: l.name }))) return;
  try {
    await api('DELETE', `/api/budget-lines/${l.id}`);
    await render();
  } catch (e) { alert(e.message); }
}

function lineForm(cur, systems, f) {
  const v = cur || {};
  const org = select(orgOptions(t('incident.org_choose')), v.org_id || f.org_id || session.user.org_id || '');
  const sys = select([['', t('budget.no_system')], ...systems.map((s) => [s.id, s.name])], v.system_id || '');
  const name = input({ value: v.name || '', maxlength: 300 });
  const year = input({ type: 'number', min: 2000, max: 2100, value: v.year || f.year || new Date().getFullYear() });
  const total = input({ inputmode: 'numeric', value: v.total_amount ? amount(v.total_amount) : '' });
  const sec = input({ inputmode: 'numeric', value: v.security_amount !== undefined ? amount(v.security_amount) : '' });
  const notes = textarea({ rows: 2, value: v.notes || '' });
  // The share as it is typed, so the user sees it before saving; the
  // verdict against each regime comes from the server once saved.
  const preview = h('p', { class: 'small', id: 'budget-preview', role: 'status' });
  const show = () => {
    const a = parseMoney(total.value);
    const b = parseMoney(sec.value);
    preview.textContent = a > 0 && b >= 0 ? t('budget.preview', { p: ((b * 100) / a).toFixed(2) }) : '';
  };
  total.addEventListener('input', show);
  sec.addEventListener('input', show);
  show();
  const form = h('form', { class: 'card', novalidate: true, id: 'budget-form' }, h('h2', {}, cur ? t('budget.edit_title', { name: cur.name }) : t('budget.new')),
    h('div', { class: 'fields' },
      field(t('budget.name'), name, { name: 'name', required: true, wide: true, hint: t('budget.name_hint') }),
      field(t('incident.org'), org, { name: 'org_id', required: true }),
      field(t('incident.system'), sys, { name: 'system_id' }),
      field(t('budget.year'), year, { name: 'year', required: true }),
      field(t('budget.total_vnd'), total, { name: 'total_amount', required: true }),
      field(t('budget.security_vnd'), sec, { name: 'security_amount', required: true }),
      field(t('budget.notes'), notes, { name: 'notes', wide: true })),
    preview,
    h('div', { class: 'form-error', role: 'alert' }),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, cur ? t('common.save') : t('common.create')),
      cur ? h('a', { href: '/budget', class: 'button secondary' }, t('common.cancel')) : null));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const a = parseMoney(total.value);
    const b = parseMoney(sec.value);
    if (!name.value.trim()) { showError(form, { field: 'name', message: t('validate.required') }); return; }
    if (!org.value) { showError(form, { field: 'org_id', message: t('validate.required') }); return; }
    if (!(a > 0)) { showError(form, { field: 'total_amount', message: t('budget.bad_total') }); return; }
    if (!(b >= 0) || b === null) { showError(form, { field: 'security_amount', message: t('plan.bad_money') }); return; }
    if (b > a) { showError(form, { field: 'security_amount', message: t('budget.more_than_total') }); return; }
    const body = { org_id: Number(org.value), system_id: sys.value ? Number(sys.value) : null, name: name.value.trim(), year: Number(year.value),
      total_amount: a, security_amount: b, notes: notes.value.trim() };
    try {
      if (cur) await patch(`/api/budget-lines/${cur.id}`, body);
      else await post('/api/budget-lines', body);
      goWith('/budget', f);
    } catch (e) { showError(form, e); }
  });
  return form;
}
