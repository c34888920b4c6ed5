// Warnings (cảnh báo): the Department issues a warning (CVEs, affected
// products, required action, deadline); csirt matches it to the systems
// whose components are affected; each target acknowledges, then reports
// fixed, not affected or accepted risk, with a note. Overdue targets show.
import { get, post } from '../api.js';
import { h, field, input, textarea, select, showError } from '../dom.js';
import { t } from '../i18n.js';
import { fmtTime } from '../format.js';
import { render, session, canWork } from '../main.js';
import { section, table } from './common.js';

const ISSUERS = ['admin', 'coordinator'];

export async function warningsView(main, [id]) {
  if (id) return warningView(main, id);
  const data = await get('/api/warnings?per_page=200');
  main.append(h('h1', {}, t('nav.warnings')));
  if (ISSUERS.includes(session.user.role)) main.append(issueForm());
  const rows = data.items.map((w) => h('tr', { 'data-warning': w.id },
    h('td', {}, h('a', { href: `/warnings/${w.id}` }, w.title), h('div', { class: 'small muted' }, (w.cves || []).join(', '))),
    h('td', { class: 'nowrap' }, w.due_on ? w.due_on.split('-').reverse().join('/') : '—'),
    h('td', { class: 'num' }, String(['open', 'acknowledged', 'fixed', 'not_affected', 'accepted_risk'].reduce((n, k) => n + ((w.targets || {})[k] || 0), 0))),
    h('td', { class: 'num' }, String((w.targets || {}).overdue || 0)),
    h('td', { class: 'nowrap' }, fmtTime(w.created_at))));
  const s = section(t('warn.list'), table([t('warn.title'), t('warn.due'), t('warn.targets'), t('warn.overdue'), t('warn.issued')], rows, { empty: t('warn.none') }));
  s.id = 'warnings-list';
  main.append(s);
  return null;
}

function issueForm() {
  const title = input({ name: 'title', required: true });
  const cves = input({ name: 'cves', placeholder: 'CVE-2024-6387, ...' });
  const product = input({ name: 'product', placeholder: 'openssh' });
  const vmin = input({ name: 'version_min' });
  const vmax = input({ name: 'version_max' });
  const action = textarea({ name: 'required_action' });
  const due = input({ name: 'due_on', type: 'date', required: true });
  const form = h('form', { class: 'grid-form', id: 'warning-form' },
    field(t('warn.title'), title, { name: 'title', required: true }), field('CVE', cves, { name: 'cves' }),
    field(t('warn.product'), product, { name: 'products', required: true }), field(t('warn.version_min'), vmin, { name: 'version_min' }),
    field(t('warn.version_max'), vmax, { name: 'version_max' }), field(t('warn.action'), action, { name: 'required_action', required: true }),
    field(t('warn.due'), due, { name: 'due_on', required: true }),
    h('div', { class: 'form-error', role: 'alert' }),
    h('button', { type: 'submit' }, t('warn.issue')));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const body = { title: title.value, required_action: action.value };
    const list = cves.value.split(/[\s,;]+/).filter(Boolean);
    if (list.length) body.cves = list;
    if (product.value) {
      const p = { name: product.value };
      if (vmin.value) p.version_min = vmin.value;
      if (vmax.value) p.version_max = vmax.value;
      body.products = [p];
    }
    if (due.value) body.due_on = due.value;
    try {
      const r = await post('/api/warnings', body);
      history.pushState(null, '', `/warnings/${r.id}`);
      render();
    } catch (e) { showError(form, e); }
  });
  const s = h('details', { class: 'card', id: 'warning-new' }, h('summary', {}, h('h2', {}, t('warn.new'))), form);
  return s;
}

async function warningView(main, id) {
  let w;
  try { w = await get(`/api/warnings/${id}`); } catch (e) {
    main.append(h('h1', {}, t('warn.not_found')));
    return null;
  }
  main.append(h('h1', {}, w.title));
  main.append(h('p', { class: 'meta' }, [(w.cves || []).join(', '), w.due_on ? `${t('warn.due')}: ${w.due_on.split('-').reverse().join('/')}` : ''].filter(Boolean).join(' · ')));
  if (w.required_action) main.append(section(t('warn.action'), h('p', { class: 'pre' }, w.required_action)));
  const work = canWork();
  const rows = (w.targets || []).map((tg) => {
    const cell = h('td', {});
    if (work && !['fixed', 'not_affected', 'accepted_risk'].includes(tg.state)) {
      const states = tg.state === 'open' ? ['acknowledged', 'fixed', 'not_affected', 'accepted_risk'] : ['fixed', 'not_affected', 'accepted_risk'];
      const sel = select(states.map((s) => [s, t('warn.state.' + s)]), states[0]);
      const note = input({ name: 'note', 'aria-label': t('warn.note') });
      const btn = h('button', { type: 'button', class: 'small', 'data-target': tg.id }, t('warn.update'));
      const err = h('div', { class: 'form-error', role: 'alert' });
      btn.addEventListener('click', async () => {
        try {
          await post(`/api/warning-targets/${tg.id}`, { state: sel.value, note: note.value });
          render();
        } catch (e) { err.textContent = e.message; }
      });
      cell.append(h('div', { class: 'inline' }, field(t('warn.state'), sel, { name: 'state' }), field(t('warn.note'), note, { name: 'note' }), btn), err);
    }
    return h('tr', { 'data-target-row': tg.id },
      h('td', {}, tg.system_name || `#${tg.system_id}`,
        tg.matched_by ? [' ', h('span', { class: 'badge', 'data-matched-by': tg.matched_by }, t('warn.matched_by.' + tg.matched_by))] : null,
        h('div', { class: 'small muted' }, tg.match_reason || '')),
      h('td', {}, h('span', { class: `badge wt-${tg.state}` }, t('warn.state.' + tg.state)), tg.overdue ? h('span', { class: 'badge ob-overdue' }, t('ob.status.overdue')) : null,
        tg.note ? h('div', { class: 'small' }, tg.note) : null),
      cell);
  });
  const s = section(t('warn.targets_title'), table([t('warn.system'), t('warn.state'), ''], rows, { empty: t('warn.no_targets') }));
  s.id = 'warning-targets';
  main.append(s);
  return null;
}
