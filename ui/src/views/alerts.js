// Alerts queue: open alerts first; merge one alert into another, promote
// one to an incident (new, or into an existing incident), dismiss.
import { get, post } from '../api.js';
import { h, field, input, select, showError } from '../dom.js';
import { t } from '../i18n.js';
import { fmtTime } from '../format.js';
import { navigate, render, isStaff } from '../main.js';
import { section, table } from './common.js';

export async function alertsView(main) {
  const params = new URLSearchParams(location.search);
  const status = params.get('status') || 'open';
  const data = await get('/api/alerts?per_page=200&status=' + encodeURIComponent(status));
  const staff = isStaff();
  const statusSel = select(['open', 'merged', 'promoted', 'dismissed'].map((s) => [s, t('alert.status.' + s)]), status);
  statusSel.addEventListener('change', () => navigate('/alerts?status=' + statusSel.value));
  main.append(h('div', { class: 'title-row' }, h('h1', {}, t('nav.alerts')),
    h('div', { class: 'inline' }, field(t('alert.status'), statusSel, { name: 'status' }))));

  const msg = h('div', { class: 'form-error', role: 'alert', id: 'alerts-error' });
  const checks = [];
  const rows = data.items.map((a) => {
    const cb = h('input', { type: 'checkbox', value: a.id, id: 'al-' + a.id, 'aria-label': t('alert.select', { title: a.title }) });
    checks.push(cb);
    const actions = staff && a.status === 'open' ? h('div', { class: 'row-actions' },
      h('button', { type: 'button', class: 'small', 'data-promote': a.id, onclick: () => promote(a) }, t('alert.promote')),
      h('button', { type: 'button', class: 'small secondary', onclick: () => dismiss(a) }, t('alert.dismiss'))) : null;
    return h('tr', { 'data-alert': a.id },
      h('td', {}, staff && a.status === 'open' ? cb : null),
      h('td', {}, h('label', { for: 'al-' + a.id }, a.title), a.description ? h('div', { class: 'small muted' }, a.description) : null,
        a.incident_id ? h('div', { class: 'small' }, h('a', { href: `/incidents/${a.incident_id}` }, t('alert.incident', { id: a.incident_id }))) : null,
        a.merged_into ? h('div', { class: 'small muted' }, t('alert.merged_into', { id: a.merged_into })) : null),
      h('td', {}, h('span', { class: `badge asev-${a.severity}` }, t('alert.sev.' + a.severity))),
      h('td', {}, a.source, a.host ? h('div', { class: 'small' }, a.host) : null),
      h('td', { class: 'num' }, String(a.count)),
      h('td', { class: 'nowrap' }, fmtTime(a.first_seen), h('br'), fmtTime(a.last_seen)),
      h('td', {}, actions));
  });

  async function promote(a) {
    try {
      const r = await post(`/api/alerts/${a.id}/promote`, {});
      navigate(`/incidents/${r.incident_id || r.id}`);
    } catch (e) { msg.textContent = e.message; }
  }
  async function dismiss(a) {
    try { await post(`/api/alerts/${a.id}/dismiss`, { reason: 'dismissed from the queue' }); await render(); } catch (e) { msg.textContent = e.message; }
  }

  const s = section(t('alert.queue', { n: data.total }), msg,
    table(['', t('alert.title'), t('alert.severity'), t('alert.source'), t('alert.count'), t('alert.seen'), ''], rows, { empty: t('alert.none') }));
  if (staff && status === 'open') {
    const into = select(data.items.map((a) => [a.id, `#${a.id} ${a.title}`]), '');
    const form = h('form', { class: 'inline merge', novalidate: true, id: 'merge-form' },
      h('p', { class: 'muted' }, t('alert.merge_hint')),
      field(t('alert.merge_into'), into, { name: 'into' }),
      h('div', { class: 'form-error', role: 'alert' }),
      h('button', { type: 'submit' }, t('alert.merge')));
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const target = Number(into.value);
      const chosen = checks.filter((c) => c.checked).map((c) => Number(c.value)).filter((x) => x !== target);
      if (!chosen.length) { showError(form, { field: 'into', message: t('alert.merge_pick') }); return; }
      try {
        for (const id of chosen) await post(`/api/alerts/${id}/merge`, { into: target });
        await render();
      } catch (e) { showError(form, e); }
    });
    s.append(form);

    // Promote the ticked alerts into an incident that already exists.
    const open = await get('/api/incidents?status=open&per_page=100&sort=updated_at').catch(() => ({ items: [] }));
    const target = select([['', t('alert.pick_incident')], ...open.items.map((i) => [i.id, `${i.tracking_code} — ${i.title}`])], '');
    const pform = h('form', { class: 'inline', novalidate: true, id: 'promote-into-form' },
      field(t('alert.promote_into'), target, { name: 'incident_id' }),
      h('div', { class: 'form-error', role: 'alert' }),
      h('button', { type: 'submit', class: 'secondary' }, t('alert.promote_into_submit')));
    pform.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const chosen = checks.filter((c) => c.checked).map((c) => Number(c.value));
      if (!target.value) { showError(pform, { field: 'incident_id', message: t('validate.required') }); return; }
      if (!chosen.length) { showError(pform, { field: 'incident_id', message: t('alert.promote_pick') }); return; }
      try {
        for (const id of chosen) await post(`/api/alerts/${id}/promote`, { incident_id: Number(target.value) });
        navigate(`/incidents/${target.value}`);
      } catch (e) { showError(pform, e); }
    });
    s.append(pform);
  }
  main.append(s);
  return null;
}
