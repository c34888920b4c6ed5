// Response plans (phương án ứng cứu sự cố), versioned per system: each
// version has scenarios keyed to the incident taxonomy (the initial priority
// steps, the conditions for keeping the system running, resources, an
// estimated budget). A draft is edited; the Department approves it (the
// previous approved version becomes superseded) and later records reviews.
// Approval and review move the system's "response plan" obligation.
import { get, patch, post } from '../api.js';
import { h, clear, field, input, select, showError, textarea } from '../dom.js';
import { t } from '../i18n.js';
import { fmtTime } from '../format.js';
import { hasRole, navigate, render } from '../main.js';
import { section, table, taxonomyOptions, taxonomyText } from './common.js';

export const MAX_SCENARIOS = 50;

export function day(s) { return s ? String(s).slice(0, 10).split('-').reverse().join('/') : ''; }

// 50000000 → "50.000.000" (Vietnamese grouping), for inputs and display.
export function amount(n) {
  return n === null || n === undefined || n === '' ? '' : new Intl.NumberFormat('vi-VN').format(Number(n));
}

export function money(n) {
  return n === null || n === undefined || n === '' ? '—' : `${amount(n)} ₫`;
}

// Whole VND from a text box: digits only (dots, commas, spaces ignored), or
// null when empty; NaN when it is not a number, which the caller reports.
export function parseMoney(s) {
  const v = String(s || '').replace(/[\s.,₫]/g, '');
  if (!v) return null;
  return /^\d{1,15}$/.test(v) ? Number(v) : NaN;
}

export function canEdit() { return hasRole('admin', 'coordinator', 'unit_officer'); }

function planBadge(status) {
  return h('span', { class: `badge pl-${status}` }, t('plan.status.' + status));
}

// The "response plans" tab of a system.
export async function plansPanel(main, sys) {
  const data = await get(`/api/systems/${sys.id}/plans`);
  const rows = data.items.map((p) => h('tr', { 'data-plan': p.id, 'data-status': p.status },
    h('td', { class: 'num' }, `v${p.version}`),
    h('td', {}, h('a', { href: `/plans/${p.id}` }, p.title)),
    h('td', {}, planBadge(p.status)),
    h('td', { class: 'num' }, String((p.scenarios || []).length)),
    h('td', { class: 'nowrap small' }, p.approved_at ? fmtTime(p.approved_at) : '—'),
    h('td', { class: 'nowrap small' }, p.reviewed_on ? day(p.reviewed_on) : '—')));
  const s = section(t('plan.list', { n: data.items.length }),
    table([t('plan.version'), t('plan.title'), t('plan.status'), t('plan.scenarios'), t('plan.approved_at'), t('plan.reviewed_on')], rows,
      { class: 'stack', empty: t('plan.none') }));
  s.id = 'plan-list';
  main.append(s);
  if (!canEdit()) return null;
  const title = input({ maxlength: 300 });
  const form = h('form', { class: 'card', novalidate: true, id: 'plan-form' }, h('h2', {}, t('plan.new')),
    h('p', { class: 'small muted' }, t('plan.new_hint')),
    h('div', { class: 'fields' }, field(t('plan.title'), title, { name: 'title', required: true, wide: true })),
    h('div', { class: 'form-error', role: 'alert' }), h('button', { type: 'submit' }, t('common.create')));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    if (!title.value.trim()) { showError(form, { field: 'title', message: t('validate.required') }); return; }
    // A new version starts from the newest one's content, so that a review
    // after a change edits rather than retypes the plan.
    const prev = data.items[0];
    const body = { title: title.value.trim(), scenarios: prev ? prev.scenarios || [] : [], resources: prev ? prev.resources || '' : '',
      estimated_budget: prev ? prev.estimated_budget || 0 : 0, notes: '' };
    try {
      const r = await post(`/api/systems/${sys.id}/plans`, body);
      navigate(`/plans/${r.id}`);
    } catch (e) { showError(form, e); }
  });
  main.append(form);
  return null;
}

// /plans/ID
export async function planView(main, [id]) {
  let p;
  try { p = await get(`/api/plans/${id}`); } catch (e) {
    main.append(h('h1', {}, t('plan.not_found')));
    return null;
  }
  const sys = await get(`/api/systems/${p.system_id}`).catch(() => null);
  main.append(h('h1', {}, `${p.title} (v${p.version})`),
    h('p', { class: 'meta' }, sys ? h('a', { href: `/systems/${p.system_id}?tab=plans` }, sys.name) : `#${p.system_id}`, ' · ', planBadge(p.status),
      p.approved_at ? ` · ${t('plan.approved_at')}: ${fmtTime(p.approved_at)}` : '',
      p.reviewed_on ? ` · ${t('plan.reviewed_on')}: ${day(p.reviewed_on)}` : ''));
  main.append(decisionCard(p));
  if (p.status === 'draft' && canEdit()) main.append(planForm(p));
  else main.append(planReadOnly(p));
  return null;
}

// Approve (drafts) and review (approved plans): admin and coordinator.
function decisionCard(p) {
  const box = section(t('plan.decision'));
  box.id = 'plan-decision';
  const manage = hasRole('admin', 'coordinator');
  if (p.status === 'superseded') box.append(h('p', { class: 'muted' }, t('plan.superseded_note')));
  else if (p.status === 'draft') box.append(h('p', { class: 'muted' }, t('plan.draft_note')));
  else box.append(h('p', {}, t('plan.approved_note')));
  if (!manage || p.status === 'superseded') return box;
  const action = p.status === 'draft' ? 'approve' : 'review';
  const when = input({ type: 'date', value: new Date(Date.now() + 7 * 3600e3).toISOString().slice(0, 10) });
  const note = textarea({ rows: 2 });
  const form = h('form', { class: 'inline', novalidate: true, id: `plan-${action}` },
    field(action === 'approve' ? t('plan.approved_on') : t('plan.reviewed_on'), when, { name: action === 'approve' ? 'approved_on' : 'reviewed_on', required: true }),
    field(t('plan.note'), note, { name: 'note' }),
    h('button', { type: 'submit' }, t('plan.' + action)),
    h('div', { class: 'form-error', role: 'alert' }));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    if (!when.value) { showError(form, { field: action === 'approve' ? 'approved_on' : 'reviewed_on', message: t('validate.required') }); return; }
    const body = { note: note.value.trim() };
    body[action === 'approve' ? 'approved_on' : 'reviewed_on'] = when.value;
    try {
      await post(`/api/plans/${p.id}/${action}`, body);
      await render();
    } catch (e) { showError(form, e); }
  });
  box.append(form);
  return box;
}

function planReadOnly(p) {
  const s = section(t('plan.content'), h('dl', { class: 'kv' },
    h('dt', {}, t('plan.resources')), h('dd', { class: 'pre' }, p.resources || '—'),
    h('dt', {}, t('plan.budget')), h('dd', {}, money(p.estimated_budget)),
    h('dt', {}, t('plan.notes')), h('dd', { class: 'pre' }, p.notes || '—')),
  h('h3', {}, t('plan.scenarios_n', { n: (p.scenarios || []).length })),
  (p.scenarios || []).map((sc, i) => h('article', { class: 'scenario', 'data-scenario': i },
    h('h4', {}, `${i + 1}. ${sc.title || ''} `, h('span', { class: 'badge' }, taxonomyText(sc.taxonomy_code))),
    h('dl', { class: 'kv' },
      h('dt', {}, t('plan.priority_steps')), h('dd', {}, (sc.priority_steps || []).length ? h('ol', {}, sc.priority_steps.map((x) => h('li', {}, x))) : '—'),
      h('dt', {}, t('plan.keep_running')), h('dd', { class: 'pre' }, sc.keep_running_conditions || '—'),
      h('dt', {}, t('plan.resources')), h('dd', { class: 'pre' }, sc.resources || '—'),
      h('dt', {}, t('plan.budget')), h('dd', {}, money(sc.estimated_budget))))));
  s.id = 'plan-content';
  return s;
}

// One scenario's controls; read() gives the scenario as the API takes it.
function scenarioEditor(sc, index, onRemove) {
  const code = select(taxonomyOptions(false).map((o, i) => (i === 0 ? ['', t('plan.choose_taxonomy')] : o)), sc.taxonomy_code || '');
  const title = input({ value: sc.title || '', maxlength: 300 });
  const steps = textarea({ rows: 4, value: (sc.priority_steps || []).join('\n') });
  const keep = textarea({ rows: 2, value: sc.keep_running_conditions || '' });
  const res = textarea({ rows: 2, value: sc.resources || '' });
  const budget = input({ inputmode: 'numeric', value: sc.estimated_budget ? amount(sc.estimated_budget) : '' });
  const el = h('fieldset', { class: 'group scenario-edit', 'data-scenario': index },
    h('legend', {}, t('plan.scenario_n', { n: index + 1 })),
    h('div', { class: 'fields' },
      field(t('plan.taxonomy'), code, { name: `scenarios.${index}.taxonomy_code`, required: true }),
      field(t('plan.scenario_title'), title, { name: `scenarios.${index}.title` }),
      field(t('plan.priority_steps'), steps, { name: `scenarios.${index}.priority_steps`, wide: true, hint: t('plan.one_per_line') }),
      field(t('plan.keep_running'), keep, { name: `scenarios.${index}.keep_running_conditions`, wide: true }),
      field(t('plan.resources'), res, { name: `scenarios.${index}.resources` }),
      field(t('plan.budget_vnd'), budget, { name: `scenarios.${index}.estimated_budget` })),
    h('button', { type: 'button', class: 'secondary small', onclick: onRemove }, t('plan.remove_scenario')));
  el.read = () => ({ taxonomy_code: code.value, title: title.value.trim(),
    priority_steps: steps.value.split('\n').map((x) => x.trim()).filter(Boolean),
    keep_running_conditions: keep.value.trim(), resources: res.value.trim(), estimated_budget: parseMoney(budget.value) ?? 0 });
  return el;
}

function planForm(p) {
  const title = input({ value: p.title, maxlength: 300 });
  const resources = textarea({ rows: 3, value: p.resources || '' });
  const budget = input({ inputmode: 'numeric', value: p.estimated_budget ? amount(p.estimated_budget) : '' });
  const notes = textarea({ rows: 2, value: p.notes || '' });
  const list = h('div', { class: 'scenarios' });
  let scenarios = (p.scenarios || []).map((x) => ({ ...x }));
  const draw = () => {
    clear(list);
    scenarios.forEach((sc, i) => list.append(scenarioEditor(sc, i, () => { keep(); scenarios.splice(i, 1); draw(); })));
    add.disabled = scenarios.length >= MAX_SCENARIOS;
  };
  // Keeps what was typed when the list is redrawn.
  const keep = () => { scenarios = [...list.querySelectorAll('fieldset.scenario-edit')].map((el) => el.read()); };
  const add = h('button', { type: 'button', class: 'secondary', id: 'add-scenario', onclick: () => { keep(); scenarios.push({}); draw(); } }, t('plan.add_scenario'));
  const form = h('form', { class: 'card', novalidate: true, id: 'plan-edit' }, h('h2', {}, t('plan.content')),
    h('div', { class: 'fields' },
      field(t('plan.title'), title, { name: 'title', required: true, wide: true }),
      field(t('plan.resources'), resources, { name: 'resources', wide: true }),
      field(t('plan.budget_vnd'), budget, { name: 'estimated_budget' }),
      field(t('plan.notes'), notes, { name: 'notes', wide: true })),
    h('h3', {}, t('plan.scenarios')), list, add,
    h('div', { class: 'form-error', role: 'alert' }),
    h('div', { class: 'actions' }, h('button', { type: 'submit', id: 'plan-save' }, t('common.save')), h('span', { role: 'status', class: 'result', id: 'plan-saved' })));
  draw();
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    keep();
    if (!title.value.trim()) { showError(form, { field: 'title', message: t('validate.required') }); return; }
    const total = parseMoney(budget.value);
    if (Number.isNaN(total)) { showError(form, { field: 'estimated_budget', message: t('plan.bad_money') }); return; }
    const bad = scenarios.findIndex((sc) => !sc.taxonomy_code);
    if (bad >= 0) { showError(form, { field: `scenarios.${bad}.taxonomy_code`, message: t('plan.taxonomy_required') }); return; }
    try {
      await patch(`/api/plans/${p.id}`, { title: title.value.trim(), resources: resources.value.trim(), estimated_budget: total ?? 0,
        notes: notes.value.trim(), scenarios });
      await render();
      const s = document.getElementById('plan-saved');
      if (s) s.textContent = t('plan.saved');
    } catch (e) { showError(form, e); }
  });
  return form;
}
