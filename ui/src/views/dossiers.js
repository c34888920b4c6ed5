// Level dossiers (hồ sơ đề xuất cấp độ, NĐ 85/2016 Art 14-17; NĐ 331/2026
// Art 20-24): the list, a new dossier for a system with its proposed level
// and criteria, the five parts uploaded as files, and the procedure
// draft → submitted → validity check → appraisal → approval → approved,
// or returned (then back to draft). Each step shows the time limit the
// server computed (due date or why there is none), under which regime and
// on what source; the appraiser and approver for the level.
import { api, get, post } from '../api.js';
import { h, clear, field, input, select, showError, textarea } from '../dom.js';
import { t, getLang } from '../i18n.js';
import { fmtSize, fmtTime } from '../format.js';
import { hasRole, navigate, render } from '../main.js';
import { section, systemsTabs, table } from './common.js';

const LINE = ['draft', 'submitted', 'validity_check', 'appraisal', 'approval', 'approved'];
// The procedure as the domain allows it (src/domain/obligation.c); the
// server checks again.
const NEXT = { draft: ['submitted'], submitted: ['validity_check', 'returned'], validity_check: ['appraisal', 'returned'],
  appraisal: ['approval', 'returned'], approval: ['approved', 'returned'], returned: ['draft'], approved: [] };
// The operator drafts, submits and reworks; the Department does the rest.
const OPERATOR_MOVES = ['submitted', 'draft'];
export const PARTS = ['overview', 'design', 'justification', 'security_plan', 'infosec_opinion'];

function day(s) { return s ? s.split('-').reverse().join('/') : ''; }

// Today in Vietnam (UTC+7) as a day number, to count days to a due date.
function daysUntil(due) {
  const today = Math.floor((Date.now() + 7 * 3600e3) / 86400e3);
  const [y, m, d] = due.split('-').map(Number);
  return Math.round(Date.UTC(y, m - 1, d) / 86400e3) - today;
}

export function stateBadge(state) {
  return h('span', { class: `badge ds-${state}` }, t('dossier.state.' + state));
}

function dueText(d) {
  if (d.due_on) {
    const n = daysUntil(d.due_on);
    return [day(d.due_on), ' ', h('span', { class: `badge ${n < 0 ? 'ob-overdue' : n <= 2 ? 'ob-due_soon' : 'ob-pending'}` },
      n < 0 ? t('dossier.overdue_days', { n: -n }) : t('dossier.days_left', { n }))];
  }
  // The server explains a missing date in English; the two cases it has
  // are said in the user's language, with the detail kept.
  if (d.due_note && d.due_note.startsWith('unknown:'))
    return [h('span', { class: 'badge ob-unknown' }, t('dossier.due_unknown')), h('div', { class: 'small muted' }, d.due_note.slice(8).trim())];
  if (d.due_note && d.due_note.startsWith('the law sets no time limit')) return t('dossier.no_limit_law');
  if (d.due_note) return h('span', { class: 'small' }, d.due_note);
  return '—';
}

function dossierRows(items, withSystem) {
  return items.map((d) => h('tr', { 'data-dossier': d.id, 'data-state': d.state },
    h('td', {}, h('a', { href: `/dossiers/${d.id}` }, t('dossier.number', { id: d.id }))),
    withSystem ? h('td', {}, d.system_name) : null,
    h('td', { class: 'num' }, String(d.proposed_level)),
    h('td', {}, stateBadge(d.state)),
    h('td', { class: 'nowrap' }, ['submitted', 'validity_check', 'appraisal', 'approval'].includes(d.state) ? dueText(d) : '—'),
    h('td', { class: 'small' }, d.regime),
    h('td', { class: 'small nowrap' }, fmtTime(d.updated_at || d.created_at))));
}

function dossierTable(items, withSystem) {
  return table([t('dossier.title'), withSystem ? t('incident.system') : null, t('dossier.level'), t('dossier.state'),
    t('dossier.due'), t('dossier.regime'), t('dossier.updated')].filter(Boolean), dossierRows(items, withSystem), { class: 'stack', empty: t('dossier.none') });
}

// /dossiers: every dossier the user may see.
export async function dossiersView(main, [id]) {
  if (id) return dossierView(main, id);
  const data = await get('/api/dossiers?lang=' + getLang());
  main.append(h('h1', {}, t('nav.dossiers')), systemsTabs('/dossiers'));
  const s = section(t('dossier.list', { n: data.items.length }), dossierTable(data.items, true));
  s.id = 'dossier-list';
  main.append(s);
  return null;
}

// The "level dossiers" tab of a system: its dossiers and a form for a new one.
export async function dossiersPanel(main, sys) {
  const data = await get(`/api/dossiers?system_id=${sys.id}&lang=${getLang()}`);
  const s = section(t('dossier.list', { n: data.items.length }), dossierTable(data.items, false));
  s.id = 'dossier-list';
  main.append(s);
  if (!hasRole('admin', 'coordinator', 'unit_officer')) return null;
  const level = select([1, 2, 3, 4, 5].map((n) => [n, t('f03.level', { n })]), sys.level || 2);
  const criteria = textarea({ rows: 4 });
  const just = textarea({ rows: 4 });
  const form = h('form', { class: 'card', novalidate: true, id: 'dossier-form' }, h('h2', {}, t('dossier.new')),
    h('div', { class: 'fields' },
      field(t('dossier.proposed_level'), level, { name: 'proposed_level', required: true }),
      field(t('dossier.criteria'), criteria, { name: 'criteria', wide: true, hint: t('dossier.criteria_hint') }),
      field(t('dossier.justification'), just, { name: 'justification', wide: true })),
    h('div', { class: 'form-error', role: 'alert' }), h('button', { type: 'submit' }, t('common.create')));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const list = criteria.value.split('\n').map((x) => x.trim()).filter(Boolean);
    try {
      const r = await post('/api/dossiers', { system_id: sys.id, proposed_level: Number(level.value), criteria: list, justification: just.value.trim() });
      navigate(`/dossiers/${r.id}`);
    } catch (e) { showError(form, e); }
  });
  main.append(form);
  return null;
}

async function dossierView(main, id) {
  let d;
  try { d = await get(`/api/dossiers/${id}?lang=${getLang()}`); } catch (e) {
    main.append(h('h1', {}, t('dossier.not_found')));
    return null;
  }
  main.append(h('h1', {}, t('dossier.heading', { id: d.id, level: d.proposed_level })),
    h('p', { class: 'meta' }, h('a', { href: `/systems/${d.system_id}?tab=dossiers` }, d.system_name), ' · ', stateBadge(d.state)));
  main.append(procedureCard(d), limitCard(d), partsCard(d), facts(d), historyCard(d));
  return null;
}

function procedureCard(d) {
  const at = LINE.indexOf(d.state === 'returned' ? lastBefore(d) : d.state);
  const line = h('ol', { class: 'progress', 'aria-label': t('dossier.procedure') }, LINE.map((s, i) => {
    const st = i === at ? 'current' : (i < at ? 'done' : 'todo');
    return h('li', { class: st, 'aria-current': st === 'current' ? 'step' : null },
      h('span', { class: 'dot' }, s === 'approved' ? '✓' : String(i + 1)), h('span', { class: 'step-name' }, t('dossier.state.' + s)));
  }));
  const box = section(t('dossier.procedure'), line,
    d.state === 'returned' ? h('p', { class: 'notice', id: 'returned-note' }, t('dossier.returned_note'), ' ', lastReason(d)) : null);
  box.id = 'dossier-procedure';
  const staff = hasRole('admin', 'coordinator');
  const mayAct = staff || hasRole('unit_officer');
  if (!mayAct) return box;
  const moves = (NEXT[d.state] || []).filter((to) => staff || OPERATOR_MOVES.includes(to));
  const panel = h('div', { class: 'move-panel' });
  const buttons = h('div', { class: 'moves', role: 'group', 'aria-label': t('proc.moves') },
    moves.map((to) => h('button', { type: 'button', class: to === 'returned' ? 'danger' : '', 'data-to': to, onclick: () => open(to) }, t('dossier.move.' + to))));
  if (!moves.length) buttons.append(h('p', { class: 'muted' }, d.state === 'approved' ? t('dossier.final') : t('dossier.wait_department')));
  function open(to) {
    clear(panel);
    const reason = textarea({ rows: 3 });
    const decNo = input({ maxlength: 100 });
    const decDate = input({ type: 'date' });
    const needsReason = to === 'returned';
    const form = h('form', { class: 'move-form', novalidate: true, id: 'dossier-move' },
      h('p', {}, h('strong', {}, t('dossier.move.' + to))),
      to === 'approved' ? h('div', { class: 'fields' }, field(t('dossier.decision_no'), decNo, { name: 'decision_no', required: true }),
        field(t('dossier.decision_date'), decDate, { name: 'decision_date', required: true })) : null,
      field(needsReason ? t('dossier.return_reason') : t('dossier.note'), reason, { name: 'reason', wide: true, required: needsReason }),
      h('div', { class: 'form-error', role: 'alert' }),
      h('div', { class: 'actions' }, h('button', { type: 'submit', id: 'dossier-confirm' }, t('proc.confirm')),
        h('button', { type: 'button', class: 'secondary', onclick: () => clear(panel) }, t('common.cancel'))));
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      if (needsReason && !reason.value.trim()) { showError(form, { field: 'reason', message: t('proc.reason_required') }); return; }
      if (to === 'approved' && !decNo.value.trim()) { showError(form, { field: 'decision_no', message: t('validate.required') }); return; }
      if (to === 'approved' && !decDate.value) { showError(form, { field: 'decision_date', message: t('validate.required') }); return; }
      const body = { to, reason: reason.value.trim() };
      if (to === 'approved') { body.decision_no = decNo.value.trim(); body.decision_date = decDate.value; }
      try {
        await post(`/api/dossiers/${d.id}/transitions`, body);
        await render();
      } catch (e) { showError(form, e); }
    });
    panel.append(form);
    (to === 'approved' ? decNo : reason).focus();
  }
  box.append(buttons, panel);
  return box;
}

function lastBefore(d) {
  const back = (d.steps || []).filter((s) => s.to_state === 'returned').pop();
  return back ? back.from_state : 'submitted';
}

function lastReason(d) {
  const back = (d.steps || []).filter((s) => s.to_state === 'returned').pop();
  return back && back.reason ? `${t('dossier.reason')}: ${back.reason}` : '';
}

// The time limit of the step the dossier is in, as the server computed it.
function limitCard(d) {
  const running = ['submitted', 'validity_check', 'appraisal', 'approval'].includes(d.state);
  const kv = h('dl', { class: 'kv' },
    h('dt', {}, t('dossier.step_now')), h('dd', {}, t('dossier.state.' + d.state)),
    h('dt', {}, t('dossier.due')), h('dd', { id: 'dossier-due' }, running ? dueText(d) : t('dossier.no_limit_now')),
    h('dt', {}, t('dossier.rule')), h('dd', {}, t('dossier.rule.' + (running ? (d.state === 'submitted' ? 'validity_check' : d.state) : 'none'))),
    h('dt', {}, t('dossier.regime')), h('dd', {}, d.regime || '—'),
    h('dt', {}, t('dossier.source')), h('dd', { id: 'dossier-source' }, d.limits_source || '—'));
  const s = section(t('dossier.limit'), kv);
  s.id = 'dossier-limit';
  return s;
}

function partsCard(d) {
  const draft = d.state === 'draft';
  const mayUpload = draft && hasRole('admin', 'coordinator', 'unit_officer');
  const latest = {};
  for (const p of d.parts || []) latest[p.part] = p;   // ordered by id: the last wins, as on download
  const rows = PARTS.map((code, i) => {
    const p = latest[code];
    const needed = i < 4 || d.proposed_level >= 4;
    let up = null;
    if (mayUpload) {
      const file = h('input', { type: 'file', 'aria-label': t('dossier.choose_file', { part: t('dossier.part.' + code) }) });
      const err = h('div', { class: 'form-error', role: 'alert' });
      const btn = h('button', { type: 'submit', class: 'small' }, p ? t('dossier.replace') : t('ev.upload'));
      up = h('form', { class: 'inline part-upload', 'data-part': code, novalidate: true }, file, btn, err);
      up.addEventListener('submit', async (ev) => {
        ev.preventDefault();
        err.textContent = '';
        const f = file.files[0];
        if (!f) { err.textContent = t('ev.choose'); return; }
        btn.disabled = true;
        try {
          await api('POST', `/api/dossiers/${d.id}/parts/${code}?${new URLSearchParams({ filename: f.name })}`, f);
          await render();
        } catch (e) { err.textContent = e.message; btn.disabled = false; }
      });
    }
    return h('tr', { 'data-part-row': code },
      h('td', {}, `${i + 1}. ${t('dossier.part.' + code)}`, h('div', { class: 'small muted' }, needed ? t('dossier.required') : t('dossier.level45_only'))),
      h('td', {}, p ? [h('a', { href: `/api/dossiers/${d.id}/parts/${code}`, download: p.filename, class: 'part-link' }, p.filename),
        h('div', { class: 'small' }, fmtSize(p.size), ' · ', fmtTime(p.created_at)), h('code', { class: 'sha small' }, p.sha256)]
        : h('span', { class: needed ? 'badge ob-overdue' : 'muted' }, needed ? t('dossier.missing') : '—')),
      mayUpload ? h('td', {}, up) : null);
  });
  const s = section(t('dossier.parts'), h('p', { class: 'small muted' }, t('dossier.parts_hint')),
    table([t('dossier.part'), t('ev.file'), mayUpload ? t('ev.upload') : null].filter(Boolean), rows, { class: 'stack' }));
  s.id = 'dossier-parts';
  return s;
}

function facts(d) {
  const s = section(t('dossier.about'), h('dl', { class: 'kv' },
    h('dt', {}, t('dossier.proposed_level')), h('dd', {}, t('f03.level', { n: d.proposed_level })),
    h('dt', {}, t('dossier.criteria')), h('dd', {}, (d.criteria || []).length ? h('ul', {}, d.criteria.map((c) => h('li', {}, c))) : '—'),
    h('dt', {}, t('dossier.justification')), h('dd', { class: 'pre' }, d.justification || '—'),
    h('dt', {}, t('dossier.appraiser')), h('dd', {}, d.appraiser || '—'),
    h('dt', {}, t('dossier.approver')), h('dd', {}, d.approver || '—', d.authorities_source ? h('div', { class: 'small muted' }, d.authorities_source) : null),
    d.decision_no ? [h('dt', {}, t('dossier.decision_no')), h('dd', { id: 'dossier-decision' }, `${d.decision_no} · ${day(d.decision_date)}`)] : null));
  s.id = 'dossier-facts';
  return s;
}

function historyCard(d) {
  const rows = (d.steps || []).map((s) => h('tr', {},
    h('td', { class: 'nowrap small' }, fmtTime(s.at)),
    h('td', {}, `${t('dossier.state.' + s.from_state)} → ${t('dossier.state.' + s.to_state)}`),
    h('td', {}, s.reason || ''), h('td', { class: 'nowrap' }, s.due_on ? day(s.due_on) : '—'),
    h('td', { class: 'small' }, s.regime), h('td', {}, s.actor)));
  const s = section(t('dossier.history'), table([t('dossier.when'), t('dossier.step'), t('dossier.reason'), t('dossier.due'), t('dossier.regime'), t('dossier.by')], rows, { class: 'stack' }));
  s.id = 'dossier-history';
  return s;
}

