// Drills (diễn tập) of a system: planned (tabletop or live-fire, on a plan
// version and a taxonomy scenario, with participants), then completed with
// what was found and the lessons learned, or cancelled with a reason.
// Completion records the system's drill activity; for level 3 and above
// only a live-fire drill satisfies the yearly obligation (the server says
// so in the activity).
import { get, post } from '../api.js';
import { h, clear, field, input, select, showError, textarea } from '../dom.js';
import { t } from '../i18n.js';
import { navigate, render } from '../main.js';
import { section, table, taxonomyOptions, taxonomyText } from './common.js';
import { canEdit, day } from './plans.js';

const KINDS = ['tabletop', 'live_fire'];
const SEVERITIES = ['low', 'medium', 'high'];

function drillBadge(status) {
  return h('span', { class: `badge dr-${status}` }, t('drill.status.' + status));
}

function today() { return new Date(Date.now() + 7 * 3600e3).toISOString().slice(0, 10); }

// The "drills" tab of a system.
export async function drillsPanel(main, sys) {
  const [data, plans] = await Promise.all([get(`/api/systems/${sys.id}/drills`), get(`/api/systems/${sys.id}/plans`).catch(() => ({ items: [] }))]);
  const rows = data.items.map((d) => h('tr', { 'data-drill': d.id, 'data-status': d.status },
    h('td', {}, h('a', { href: `/drills/${d.id}` }, d.title)),
    h('td', {}, t('drill.kind.' + d.kind)),
    h('td', {}, drillBadge(d.status)),
    h('td', { class: 'nowrap' }, d.held_on ? day(d.held_on) : day(d.planned_on)),
    h('td', { class: 'small' }, d.scenario_code ? taxonomyText(d.scenario_code) : '—')));
  const s = section(t('drill.list', { n: data.items.length }),
    table([t('drill.title'), t('drill.kind'), t('drill.status'), t('drill.date'), t('drill.scenario')], rows, { class: 'stack', empty: t('drill.none') }));
  s.id = 'drill-list';
  if (sys.level >= 3) s.append(h('p', { class: 'small muted' }, t('drill.live_fire_note')));
  main.append(s);
  if (!canEdit()) return null;
  const title = input({ maxlength: 300 });
  const kind = select(KINDS.map((k) => [k, t('drill.kind.' + k)]), sys.level >= 3 ? 'live_fire' : 'tabletop');
  const plan = select([['', t('drill.no_plan')], ...plans.items.map((p) => [p.id, `v${p.version} · ${p.title} (${t('plan.status.' + p.status)})`])], '');
  const scen = select(taxonomyOptions(false), '');
  const when = input({ type: 'date' });
  const people = textarea({ rows: 3 });
  const notes = textarea({ rows: 2 });
  const form = h('form', { class: 'card', novalidate: true, id: 'drill-form' }, h('h2', {}, t('drill.new')),
    h('div', { class: 'fields' },
      field(t('drill.title'), title, { name: 'title', required: true, wide: true }),
      field(t('drill.kind'), kind, { name: 'kind' }),
      field(t('drill.plan'), plan, { name: 'plan_id' }),
      field(t('drill.scenario'), scen, { name: 'scenario_code' }),
      field(t('drill.planned_on'), when, { name: 'planned_on', required: true }),
      field(t('drill.participants'), people, { name: 'participants', wide: true, hint: t('plan.one_per_line') }),
      field(t('drill.notes'), notes, { name: 'notes', wide: true })),
    h('div', { class: 'form-error', role: 'alert' }), h('button', { type: 'submit' }, t('drill.plan_it')));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    if (!title.value.trim()) { showError(form, { field: 'title', message: t('validate.required') }); return; }
    if (!when.value) { showError(form, { field: 'planned_on', message: t('validate.required') }); return; }
    const body = { title: title.value.trim(), kind: kind.value, planned_on: when.value,
      participants: people.value.split('\n').map((x) => x.trim()).filter(Boolean), notes: notes.value.trim() };
    if (plan.value) body.plan_id = Number(plan.value);
    if (scen.value) body.scenario_code = scen.value;
    try {
      const r = await post(`/api/systems/${sys.id}/drills`, body);
      navigate(`/drills/${r.id}`);
    } catch (e) { showError(form, e); }
  });
  main.append(form);
  return null;
}

// /drills/ID
export async function drillView(main, [id]) {
  let d;
  try { d = await get(`/api/drills/${id}`); } catch (e) {
    main.append(h('h1', {}, t('drill.not_found')));
    return null;
  }
  const sys = await get(`/api/systems/${d.system_id}`).catch(() => null);
  main.append(h('h1', {}, d.title),
    h('p', { class: 'meta' }, sys ? h('a', { href: `/systems/${d.system_id}?tab=drills` }, sys.name) : `#${d.system_id}`, ' · ', drillBadge(d.status)));
  const facts = section(t('drill.about'), h('dl', { class: 'kv' },
    h('dt', {}, t('drill.kind')), h('dd', {}, t('drill.kind.' + d.kind)),
    h('dt', {}, t('drill.plan')), h('dd', {}, d.plan_id ? h('a', { href: `/plans/${d.plan_id}` }, t('drill.plan_version', { v: d.plan_version ?? '?' })) : '—'),
    h('dt', {}, t('drill.scenario')), h('dd', {}, d.scenario_code ? taxonomyText(d.scenario_code) : '—'),
    h('dt', {}, t('drill.planned_on')), h('dd', {}, day(d.planned_on) || '—'),
    h('dt', {}, t('drill.held_on')), h('dd', { id: 'drill-held' }, day(d.held_on) || '—'),
    h('dt', {}, t('drill.participants')), h('dd', {}, (d.participants || []).length ? h('ul', {}, d.participants.map((x) => h('li', {}, x))) : '—'),
    h('dt', {}, t('drill.notes')), h('dd', { class: 'pre' }, d.notes || '—')));
  facts.id = 'drill-facts';
  main.append(facts);
  if (d.status === 'done') {
    const rows = (d.findings || []).map((f) => h('tr', {}, h('td', {}, f.text),
      h('td', {}, h('span', { class: `badge df-${f.severity}` }, t('drill.sev.' + f.severity))), h('td', {}, t('drill.fstatus.' + f.status))));
    const s = section(t('drill.results'), table([t('drill.finding'), t('drill.severity'), t('drill.fstatus')], rows, { empty: t('drill.no_findings') }),
      h('h3', {}, t('drill.lessons')), h('p', { class: 'pre', id: 'drill-lessons' }, d.lessons_learned || '—'));
    s.id = 'drill-results';
    main.append(s);
  }
  if (d.status === 'planned' && canEdit()) main.append(completeForm(d), cancelForm(d));
  return null;
}

function findingEditor(f, onRemove) {
  const text = input({ value: f.text || '', maxlength: 2000 });
  const sev = select(SEVERITIES.map((s) => [s, t('drill.sev.' + s)]), f.severity || 'medium');
  const st = select(['open', 'fixed'].map((s) => [s, t('drill.fstatus.' + s)]), f.status || 'open');
  const row = h('div', { class: 'inline drill-finding' },
    field(t('drill.finding'), text, { name: 'text' }), field(t('drill.severity'), sev, { name: 'severity' }), field(t('drill.fstatus'), st, { name: 'status' }),
    h('button', { type: 'button', class: 'secondary small', onclick: onRemove }, t('drill.remove_finding')));
  row.read = () => ({ text: text.value.trim(), severity: sev.value, status: st.value });
  return row;
}

function completeForm(d) {
  const held = input({ type: 'date', value: today() });
  const lessons = textarea({ rows: 4 });
  const list = h('div', { class: 'drill-findings' });
  let items = [{}];
  const keep = () => { items = [...list.querySelectorAll('.drill-finding')].map((el) => el.read()); };
  const draw = () => { clear(list); items.forEach((f, i) => list.append(findingEditor(f, () => { keep(); items.splice(i, 1); draw(); }))); };
  draw();
  const form = h('form', { class: 'card', novalidate: true, id: 'drill-complete' }, h('h2', {}, t('drill.complete')),
    h('div', { class: 'fields' }, field(t('drill.held_on'), held, { name: 'held_on', required: true })),
    h('h3', {}, t('drill.results')), list,
    h('button', { type: 'button', class: 'secondary', id: 'add-drill-finding', onclick: () => { keep(); items.push({}); draw(); } }, t('drill.add_finding')),
    h('div', { class: 'fields' }, field(t('drill.lessons'), lessons, { name: 'lessons_learned', wide: true })),
    h('div', { class: 'form-error', role: 'alert' }), h('button', { type: 'submit' }, t('drill.complete')));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    keep();
    if (!held.value) { showError(form, { field: 'held_on', message: t('validate.required') }); return; }
    try {
      await post(`/api/drills/${d.id}/complete`, { held_on: held.value, findings: items.filter((f) => f.text), lessons_learned: lessons.value.trim() });
      await render();
    } catch (e) { showError(form, e); }
  });
  return form;
}

function cancelForm(d) {
  const reason = input({ maxlength: 2000 });
  const form = h('form', { class: 'card inline', novalidate: true, id: 'drill-cancel' },
    field(t('drill.cancel_reason'), reason, { name: 'reason', required: true }),
    h('button', { type: 'submit', class: 'danger' }, t('drill.cancel')), h('div', { class: 'form-error', role: 'alert' }));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    if (!reason.value.trim()) { showError(form, { field: 'reason', message: t('proc.reason_required') }); return; }
    try {
      await post(`/api/drills/${d.id}/cancel`, { reason: reason.value.trim() });
      await render();
    } catch (e) { showError(form, e); }
  });
  return form;
}

