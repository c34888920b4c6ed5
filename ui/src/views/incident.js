// Incident page: the procedure of Circular 20/2017 Art 11 as a progress line
// with only the allowed moves (each needs a reason; 3c offers "stable -> 4"
// and "not stable -> back to 2"), the Form 04 closure data, deadlines with
// the rule that set them and a live countdown, Form 03 fields, timeline,
// tasks, observables, evidence with SHA-256, comments.
import { api, get, patch, post } from '../api.js';
import { h, field, input, textarea, select, showError, clear } from '../dom.js';
import { t, nm } from '../i18n.js';
import { fmtCountdown, fmtSize, fmtTime, fromLocalInput } from '../format.js';
import { session, render, canWork, isStaff } from '../main.js';
import { orgName, section, severityBadge, statusBadge, stepInfo, table, taxonomyOptions, taxonomyText } from './common.js';
import { form03 } from './form03.js';

const ORDER = ['1a', '1b', '1c', '1d', '1dd', '1e', '2', '3a', '3b', '3c', '4', 'closed'];

export async function incidentView(main, [id]) {
  let inc;
  try {
    inc = await get(`/api/incidents/${id}`);
  } catch (e) {
    main.append(h('h1', {}, t('incident.not_found_title')),
      h('p', { class: 'notice', id: 'not-found' }, e.status === 404 ? t('incident.not_found') : e.message),
      h('p', {}, h('a', { href: '/incidents' }, t('incident.back_to_list'))));
    return null;
  }
  const [timeline, tasks, observables, evidence, comments, transitions] = await Promise.all(
    ['timeline', 'tasks', 'observables', 'evidence', 'comments', 'transitions'].map((k) => get(`/api/incidents/${id}/${k}`).then((r) => r.items).catch(() => [])));
  const closed = inc.status === 'closed';
  const work = canWork() && !closed;
  const timers = [];

  main.append(h('div', { class: 'title-row' },
    h('div', {},
      h('p', { class: 'code', id: 'tracking-code' }, inc.tracking_code),
      h('h1', {}, inc.title)),
    h('div', { class: 'badges' }, severityBadge(inc.severity), statusBadge(inc.status))));
  main.append(h('p', { class: 'meta' },
    `${t('incident.org')}: ${orgName(inc.org_id) || '—'} · ${t('incident.taxonomy')}: ${taxonomyText(inc.taxonomy_code)} · `,
    `${t('incident.detected_at')}: ${fmtTime(inc.detected_at)} · ${t('incident.reported_at')}: ${fmtTime(inc.reported_at)} · ${t('incident.source')}: ${t('source.' + inc.source)}`,
    inc.rulepack ? ` · ${t('incident.rulepack')}: ${inc.rulepack}` : ''));

  main.append(formsSection(inc));
  main.append(procedureSection(inc, work, transitions));
  if (inc.step === '4' || closed) main.append(closureSection(inc, work));
  main.append(deadlineSection(inc, work, timers));
  if (isStaff() && !closed) main.append(classifySection(inc));

  const grid = h('div', { class: 'grid two' });
  grid.append(timelineSection(timeline), tasksSection(inc, tasks, work), observablesSection(inc, observables, work),
    evidenceSection(inc, evidence, work), commentsSection(inc, comments, work));
  main.append(grid);
  main.append(form03Section(inc, work));
  return () => timers.forEach(clearInterval);
}

function procedureSection(inc, work, transitions) {
  const cur = ORDER.indexOf(inc.step);
  // Steps the incident went through; the ones it passed over (1d is "if
  // needed") are shown as skipped, not as done.
  const visited = new Set(['1a', ...transitions.map((x) => x.to_step)]);
  const line = h('ol', { class: 'progress', 'aria-label': t('proc.title') },
    session.procedure.map((s) => {
      const i = ORDER.indexOf(s.code);
      const state = i === cur ? 'current' : (i > cur ? 'todo' : (visited.has(s.code) ? 'done' : 'skipped'));
      return h('li', { class: state, 'aria-current': state === 'current' ? 'step' : null, title: nm(s) },
        h('span', { class: 'dot' }, s.code === 'closed' ? '✓' : s.label),
        h('span', { class: 'step-name' }, nm(s)),
        state === 'skipped' ? h('span', { class: 'sr-only' }, t('proc.skipped')) : null);
    }));
  const box = section(t('proc.title'), line,
    h('p', { id: 'current-step' }, t('proc.current'), ': ', h('strong', {}, inc.step === 'closed' ? nm(stepInfo('closed')) : `${stepInfo(inc.step).label}. ${nm(stepInfo(inc.step))}`)));
  box.id = 'procedure';
  if (!work) return box;

  const panel = h('div', { class: 'move-panel' });
  const buttons = h('div', { class: 'moves', role: 'group', 'aria-label': t('proc.moves') });
  const moves = [];
  for (const n of inc.next_steps) {
    if (inc.step === '3c' && n.code === '4') moves.push({ to: '4', stable: true, label: t('proc.stable') });
    else if (inc.step === '3c' && n.code === '2') moves.push({ to: '2', stable: false, label: t('proc.unstable') });
    else if (n.code === 'closed') moves.push({ to: 'closed', label: t('proc.close') });
    else moves.push({ to: n.code, label: `${t('proc.move_to')} ${n.label}. ${nm(n)}` });
  }
  for (const m of moves) {
    buttons.append(h('button', { type: 'button', class: m.to === 'closed' ? 'danger' : '', 'data-to': m.to,
      onclick: () => openMove(m) }, m.label));
  }
  if (!moves.length) buttons.append(h('p', { class: 'muted' }, inc.step === '4' ? t('proc.need_closure') : t('proc.no_moves')));
  function openMove(m) {
    clear(panel);
    const reason = textarea({ required: true, rows: 3, id: 'move-reason' });
    const form = h('form', { class: 'move-form', novalidate: true },
      h('p', {}, h('strong', {}, m.label)),
      field(t('proc.reason'), reason, { name: 'reason', required: true, wide: true, hint: t('proc.reason_hint') }),
      h('div', { class: 'form-error', role: 'alert' }),
      h('div', { class: 'actions' }, h('button', { type: 'submit', id: 'move-confirm' }, t('proc.confirm')),
        h('button', { type: 'button', class: 'secondary', onclick: () => clear(panel) }, t('common.cancel'))));
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      if (!reason.value.trim()) { showError(form, { field: 'reason', message: t('proc.reason_required') }); return; }
      const body = { to: m.to, reason: reason.value.trim() };
      if (m.stable !== undefined) body.system_stable = m.stable;
      try {
        await post(`/api/incidents/${inc.id}/transitions`, body);
        await render();
        const p = document.getElementById('procedure');
        if (p) p.querySelector('h2').focus?.();
      } catch (e) { showError(form, e); }
    });
    panel.append(form);
    reason.focus();
  }
  box.append(buttons, panel);
  return box;
}

function closureSection(inc, work) {
  const c = inc.closure || {};
  const summary = textarea({ value: c.summary || '', rows: 4, disabled: !work });
  const proposals = textarea({ value: c.proposals || '', rows: 3, disabled: !work });
  const docs = textarea({ value: (c.attachments || []).join('\n'), rows: 2, disabled: !work });
  const refNo = input({ value: c.initial_report_no || '', disabled: !work });
  const refDate = input({ type: 'date', value: c.initial_report_date || '', disabled: !work });
  const form = h('form', { class: 'closure', novalidate: true },
    h('p', { class: 'muted' }, t('closure.hint')),
    h('div', { class: 'fields' },
      field(t('closure.initial_report_no'), refNo, { name: 'initial_report_no' }),
      field(t('closure.initial_report_date'), refDate, { name: 'initial_report_date' }),
      field(t('closure.summary'), summary, { name: 'closure', required: true, wide: true }),
      field(t('closure.proposals'), proposals, { name: 'proposals', wide: true }),
      field(t('closure.attachments'), docs, { name: 'attachments', wide: true, hint: t('f03.list_hint') })),
    h('div', { class: 'form-error', role: 'alert' }),
    work ? h('div', { class: 'actions' }, h('button', { type: 'submit', id: 'closure-save' }, t('closure.save'))) : null);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    if (!summary.value.trim()) { showError(form, { field: 'closure', message: t('validate.required') }); return; }
    const closure = { summary: summary.value.trim(), proposals: proposals.value.trim(),
      attachments: docs.value.split('\n').map((x) => x.trim()).filter(Boolean),
      initial_report_no: refNo.value.trim(), initial_report_date: refDate.value };
    try {
      await patch(`/api/incidents/${inc.id}`, { closure });
      await render();
    } catch (e) { showError(form, e); }
  });
  const s = section(t('closure.title'), form);
  s.id = 'closure';
  return s;
}

function deadlineSection(inc, work, timers) {
  const rows = inc.deadlines.map((d) => {
    const count = h('span', { class: 'countdown' });
    const due = d.due_at ? Date.parse(d.due_at) : 0;
    const tick = () => {
      const left = (due - Date.now()) / 1000;
      count.textContent = fmtCountdown(left);
      count.className = 'countdown ' + (left < 0 ? 'over' : (left < 86400 ? 'soon' : ''));
    };
    if (d.state === 'open' || d.state === 'overdue') { tick(); timers.push(setInterval(tick, 1000)); }
    const stateText = t('deadline.state.' + d.state);
    const metBtn = work && (d.state === 'open' || d.state === 'overdue' || d.state === 'immediately')
      ? h('button', { type: 'button', class: 'secondary small', onclick: async () => {
        try { await post(`/api/incidents/${inc.id}/deadlines/${encodeURIComponent(d.rule_id)}/met`, { note: '' }); await render(); } catch (e) { alert(e.message); }
      } }, t('deadline.mark_met')) : null;
    return h('tr', { class: 'dl-' + d.state },
      h('td', {}, h('strong', {}, nm(d, 'label')), d.recipient ? h('div', { class: 'small' }, t('deadline.to'), ': ', d.recipient) : null,
        d.note ? h('div', { class: 'small muted' }, d.note) : null),
      h('td', { class: 'nowrap' }, d.due_at ? fmtTime(d.due_at) : '—', h('div', {}, count)),
      h('td', {}, h('span', { class: 'badge dls-' + d.state }, stateText), d.met_at ? h('div', { class: 'small' }, fmtTime(d.met_at)) : null),
      h('td', { class: 'small' }, h('div', {}, d.rule_id, ' (', d.rulepack, ')'), h('div', {}, d.source)),
      h('td', {}, h('abbr', { title: t('confidence.' + d.confidence) }, d.confidence)),
      h('td', {}, metBtn));
  });
  const s = section(t('deadline.title'), table([t('deadline.rule'), t('deadline.due'), t('deadline.state'), t('deadline.source'), t('deadline.confidence'), ''], rows, { empty: t('deadline.none'), class: 'stack' }));
  s.id = 'deadlines';
  return s;
}

function classifySection(inc) {
  const tax = select(taxonomyOptions(true), inc.taxonomy_code || '');
  const impacts = ['service_disruption', 'secret_disclosure', 'integrity_unrecoverable', 'loss_of_control', 'wide_spread'];
  const fs = h('fieldset', { class: 'checks', 'data-field': 'impacts' }, h('legend', {}, t('classify.impacts')),
    impacts.map((k) => h('div', { class: 'check' }, h('input', { type: 'checkbox', id: 'imp-' + k, value: k }), h('label', { for: 'imp-' + k }, t('classify.' + k)))),
    h('div', { class: 'field-error', role: 'alert' }));
  const owner = h('input', { type: 'checkbox', id: 'owner-cannot' });
  const result = h('p', { role: 'status', class: 'result' });
  const form = h('form', { class: 'classify', novalidate: true },
    h('div', { class: 'fields' }, field(t('incident.taxonomy'), tax, { name: 'taxonomy_code' }), fs,
      h('div', { class: 'check' }, owner, h('label', { for: 'owner-cannot' }, t('classify.owner_cannot_handle')))),
    h('div', { class: 'form-error', role: 'alert' }), result,
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, t('classify.submit'))));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const body = { impacts: [...fs.querySelectorAll('input:checked')].map((x) => x.value), owner_cannot_handle: owner.checked };
    if (tax.value) body.taxonomy_code = tax.value;
    try { await post(`/api/incidents/${inc.id}/classify`, body); await render(); } catch (e) { showError(form, e); }
  });
  const s = h('details', { class: 'card', id: 'classify' }, h('summary', {}, h('h2', {}, t('classify.title'))), form);
  return s;
}

function timelineSection(items) {
  const s = section(t('timeline.title'), h('ol', { class: 'timeline' }, items.length ? items.map((e) => h('li', {},
    h('span', { class: 'when' }, fmtTime(e.at)), ' ', h('span', { class: 'badge kind' }, t('timeline.' + e.kind)), ' ',
    e.actor ? h('span', { class: 'muted' }, e.actor, ': ') : null, e.text)) : h('li', { class: 'muted' }, t('common.empty'))));
  s.id = 'timeline';
  return s;
}

function tasksSection(inc, tasks, work) {
  const rows = tasks.map((k) => {
    const st = select(['open', 'in_progress', 'done', 'cancelled'].map((x) => [x, t('task.' + x)]), k.status || 'open',
      { disabled: !work, 'aria-label': t('task.status_of', { title: k.title }) });
    st.addEventListener('change', async () => {
      try { await patch(`/api/tasks/${k.id}`, { status: st.value }); } catch (e) { alert(e.message); }
    });
    return h('tr', {}, h('td', {}, k.title, k.description ? h('div', { class: 'small muted' }, k.description) : null),
      h('td', { class: 'nowrap' }, k.due_at ? fmtTime(k.due_at) : '—'), h('td', {}, st));
  });
  const s = section(t('task.title'), table([t('task.name'), t('task.due'), t('task.status')], rows));
  s.id = 'tasks';
  if (work && isStaff()) {
    const title = input({ required: true });
    const due = input({ type: 'datetime-local' });
    const form = h('form', { class: 'inline', novalidate: true },
      field(t('task.name'), title, { name: 'title', required: true }), field(t('task.due'), due, { name: 'due_at' }),
      h('div', { class: 'form-error', role: 'alert' }), h('button', { type: 'submit' }, t('task.add')));
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      if (!title.value.trim()) { showError(form, { field: 'title', message: t('validate.required') }); return; }
      const body = { title: title.value.trim() };
      if (due.value) body.due_at = fromLocalInput(due.value);
      try { await post(`/api/incidents/${inc.id}/tasks`, body); await render(); } catch (e) { showError(form, e); }
    });
    s.append(form);
  }
  return s;
}

function observablesSection(inc, obs, work) {
  const rows = obs.map((o) => h('tr', {}, h('td', {}, t('obs.' + o.type)), h('td', { class: 'mono' }, o.value),
    h('td', { class: o.seen_elsewhere ? 'seen' : 'muted' }, t('obs.seen', { n: o.seen_elsewhere }),
      o.seen_in_alerts ? h('div', { class: 'small' }, t('obs.seen_alerts', { n: o.seen_in_alerts })) : null)));
  const s = section(t('obs.title'), table([t('obs.type'), t('obs.value'), t('obs.seen_head')], rows));
  s.id = 'observables';
  if (work) {
    const type = select(['ip', 'domain', 'url', 'email', 'md5', 'sha1', 'sha256', 'file'].map((x) => [x, t('obs.' + x)]), 'ip');
    const value = input({ required: true });
    const form = h('form', { class: 'inline', novalidate: true },
      field(t('obs.type'), type, { name: 'type' }), field(t('obs.value'), value, { name: 'value', required: true }),
      h('div', { class: 'form-error', role: 'alert' }), h('button', { type: 'submit' }, t('obs.add')));
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      try { await post(`/api/incidents/${inc.id}/observables`, { type: type.value, value: value.value.trim() }); await render(); } catch (e) { showError(form, e); }
    });
    s.append(form);
  }
  return s;
}

function evidenceSection(inc, items, work) {
  const dl = canWork() || session.user.role === 'auditor';
  const rows = items.map((e) => h('tr', {},
    h('td', {}, dl ? h('a', { href: `/api/evidence/${e.id}/content`, download: e.filename, class: 'evidence-link' }, e.filename) : e.filename,
      e.description ? h('div', { class: 'small muted' }, e.description) : null),
    h('td', { class: 'nowrap' }, fmtSize(e.size)),
    h('td', {}, h('code', { class: 'sha', 'data-sha256': e.sha256 }, e.sha256)),
    h('td', { class: 'small' }, fmtTime(e.added_at), e.added_by_name ? h('div', {}, e.added_by_name) : null)));
  const s = section(t('ev.title'), table([t('ev.file'), t('ev.size'), 'SHA-256', t('ev.added')], rows));
  s.id = 'evidence';
  if (work) {
    const file = h('input', { type: 'file', required: true });
    const desc = input({});
    const status = h('p', { role: 'status', class: 'result', id: 'upload-status' });
    const btn = h('button', { type: 'submit' }, t('ev.upload'));
    const form = h('form', { class: 'inline', novalidate: true },
      field(t('ev.file'), file, { name: 'filename', required: true }), field(t('ev.description'), desc, { name: 'description' }),
      h('div', { class: 'form-error', role: 'alert' }), btn, status);
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const f = file.files[0];
      if (!f) { showError(form, { field: 'filename', message: t('ev.choose') }); return; }
      btn.disabled = true;
      status.textContent = t('ev.uploading');
      try {
        const q = new URLSearchParams({ filename: f.name });
        if (desc.value.trim()) q.set('description', desc.value.trim());
        const r = await api('POST', `/api/incidents/${inc.id}/evidence?${q}`, f);
        status.textContent = t('ev.done', { sha: r.sha256 });
        await render();
      } catch (e) { status.textContent = ''; showError(form, e); } finally { btn.disabled = false; }
    });
    s.append(form);
  }
  return s;
}

function commentsSection(inc, items, work) {
  const s = section(t('comment.title'), h('ul', { class: 'comments' }, items.length ? items.map((c) => h('li', {},
    h('div', { class: 'small muted' }, c.author || '—', ' · ', fmtTime(c.created_at)), h('p', { class: 'pre' }, c.body))) : h('li', { class: 'muted' }, t('common.empty'))));
  s.id = 'comments';
  if (work) {
    const body = textarea({ required: true, rows: 3 });
    const form = h('form', { novalidate: true }, field(t('comment.new'), body, { name: 'body', required: true, wide: true }),
      h('div', { class: 'form-error', role: 'alert' }), h('button', { type: 'submit' }, t('comment.add')));
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      if (!body.value.trim()) { showError(form, { field: 'body', message: t('validate.required') }); return; }
      try { await post(`/api/incidents/${inc.id}/comments`, { body: body.value.trim() }); await render(); } catch (e) { showError(form, e); }
    });
    s.append(form);
  }
  return s;
}

function form03Section(inc, work) {
  const f = form03(inc, { readonly: !work });
  const form = h('form', { novalidate: true }, f.element, h('div', { class: 'form-error', role: 'alert' }),
    work ? h('div', { class: 'actions' }, h('button', { type: 'submit', id: 'f03-save' }, t('common.save'))) : null,
    h('p', { role: 'status', class: 'result' }));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const body = f.read();
    if (!Object.keys(body).length) { form.querySelector('.result').textContent = t('common.nothing_changed'); return; }
    try {
      await patch(`/api/incidents/${inc.id}`, body);
      await render();
    } catch (e) { showError(form, e); }
  });
  const s = section(t('f03.title'), form);
  s.id = 'form03';
  return s;
}

// The official documents of this incident, rendered by the server from its
// data: Form 03 (initial report), Form 04 (closure report), the 72-hour
// report of Decree 331, and the MISP export for other CSIRTs.
function formsSection(inc) {
  const base = `/api/incidents/${inc.id}/forms`;
  const row = (kind) => h('li', {}, h('span', { class: 'form-name' }, t('forms.' + kind)), ' ',
    ...['pdf', 'docx', 'html'].flatMap((f) => [h('a', { href: `${base}/${kind}?format=${f}`, download: '', class: 'form-link' }, f.toUpperCase()), ' ']));
  const s = section(t('forms.title'), h('ul', { class: 'forms' }, row('form03'), row('form04'), row('report72h'),
    h('li', {}, h('span', { class: 'form-name' }, t('forms.misp')), ' ', h('a', { href: `${base}/misp`, download: `misp-${inc.tracking_code}.json`, class: 'form-link' }, 'JSON'))));
  s.id = 'forms';
  return s;
}
