// Threat hunting (săn lùng mối nguy hại) on uploaded logs: pick a system,
// upload a log (EVTX, JSON lines, syslog; gzip or zip), follow the hunt's
// progress, then read its hits by level and rule and go to the alerts they
// became (promoting an alert to an incident is the alerts screen's job).
import { api, get } from '../api.js';
import { h, field, select, showError } from '../dom.js';
import { t } from '../i18n.js';
import { fmtTime } from '../format.js';
import { navigate, canWork, hasRole } from '../main.js';
import { section, table } from './common.js';

const LEVELS = ['critical', 'high', 'medium', 'low', 'informational'];
const LEVEL_CLASS = { critical: 'asev-critical', high: 'asev-high', medium: 'asev-medium', low: 'asev-low', informational: 'asev-info' };
const STATUS_CLASS = { queued: 'ob-unknown', running: 'ob-pending', done: 'ob-done', failed: 'ob-overdue' };
const POLL_MS = 700;

function statusBadge(s) {
  return h('span', { class: `badge ${STATUS_CLASS[s] || ''}`, 'data-status': s }, t('hunt.status.' + s));
}

function levelBadge(l) {
  return h('span', { class: `badge ${LEVEL_CLASS[l] || ''}` }, t('hunt.level.' + l));
}

function size(n) {
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)} MB`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(0)} kB`;
  return `${n} B`;
}

export async function huntsView(main, [id]) {
  if (id) return huntView(main, Number(id));
  const params = new URLSearchParams(location.search);
  const [list, systems] = await Promise.all([
    get('/api/hunts?per_page=50'),
    get('/api/systems?per_page=200').catch(() => ({ items: [] })),
  ]);
  main.append(h('h1', {}, t('nav.hunts')));
  if (canWork()) main.append(startForm(systems.items, params.get('system') || ''));
  const rows = list.items.map((x) => h('tr', { 'data-hunt': x.id },
    h('td', {}, h('a', { href: `/hunts/${x.id}` }, `#${x.id} ${x.filename}`), h('div', { class: 'small muted' }, size(x.size))),
    h('td', {}, x.system_name),
    h('td', {}, statusBadge(x.status)),
    h('td', { class: 'num' }, String(x.progress.events)),
    h('td', { class: 'num' }, String(x.hits)),
    h('td', { class: 'num' }, String(x.alerts_created + x.alerts_deduplicated)),
    h('td', { class: 'nowrap' }, fmtTime(x.created_at), h('div', { class: 'small muted' }, x.created_by || ''))));
  const s = section(t('hunt.list', { n: list.total }), table([t('hunt.file'), t('hunt.system'), t('hunt.status'),
    t('hunt.events'), t('hunt.hits'), t('hunt.alerts'), t('hunt.started')], rows, { empty: t('hunt.none') }));
  s.id = 'hunt-list';
  main.append(s);
  return null;
}

function startForm(systems, chosen) {
  const sys = select([['', t('hunt.pick_system')], ...systems.map((x) => [x.id, x.name])], chosen);
  const file = h('input', { type: 'file', accept: '.evtx,.json,.jsonl,.ndjson,.log,.txt,.gz,.zip,.audit' });
  const button = h('button', { type: 'submit' }, t('hunt.submit'));
  const form = h('form', { novalidate: true, id: 'hunt-form' },
    h('p', { class: 'muted' }, t('hunt.start_hint')),
    h('div', { class: 'fields' },
      field(t('hunt.system'), sys, { name: 'system', required: true }),
      field(t('hunt.file'), file, { name: 'file', required: true })),
    h('div', { class: 'form-error', role: 'alert' }),
    button);
  // A choice made after a refused submit clears the old messages.
  sys.addEventListener('change', () => showError(form, null));
  file.addEventListener('change', () => showError(form, null));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    showError(form, null);
    if (!sys.value) { showError(form, { field: 'system', message: t('validate.required') }); return; }
    const f = file.files && file.files[0];
    if (!f) { showError(form, { field: 'file', message: t('validate.required') }); return; }
    button.disabled = true;
    button.textContent = t('hunt.uploading');
    try {
      const r = await api('POST', `/api/systems/${sys.value}/hunts?filename=${encodeURIComponent(f.name)}`, f);
      navigate(`/hunts/${r.id}`);
    } catch (e) {
      button.disabled = false;
      button.textContent = t('hunt.submit');
      showError(form, e.status === 409 ? { message: t('hunt.not_configured') } :
        e.status === 413 ? { field: 'file', message: t('hunt.too_large') } : e);
    }
  });
  return section(t('hunt.start'), form);
}

async function huntView(main, id) {
  let timer = null;
  let gone = false;
  const head = h('div', { class: 'title-row' });
  const status = h('section', { class: 'card', id: 'hunt-status', 'aria-live': 'polite' });
  const results = h('div', { id: 'hunt-results' });
  main.append(h('p', {}, h('a', { href: '/hunts' }, t('hunt.back'))), head, status, results);

  const bar = h('progress', { id: 'hunt-bar', max: '1', value: '0', 'aria-label': t('hunt.progress') });
  bar.style.width = '100%';	// CSSOM, allowed by the CSP (no inline style attribute)
  const line = h('p', { class: 'meta', id: 'hunt-progress' });

  function showStatus(x) {
    head.replaceChildren(h('h1', {}, t('hunt.heading', { id: x.id, file: x.filename })), statusBadge(x.status));
    const p = x.progress;
    if (p.bytes_total > 0) {
      bar.max = p.bytes_total;
      bar.value = Math.min(p.bytes_done, p.bytes_total);
    } else {
      bar.removeAttribute('value');	// unknown size: an indeterminate bar
    }
    if (x.status === 'done') bar.value = bar.max;
    line.textContent = t('hunt.progress_text', { done: size(p.bytes_done), total: size(p.bytes_total),
      events: p.events, hits: p.hits });
    status.replaceChildren(...[h('h2', {}, t('hunt.progress')),
      h('p', { class: 'small' }, `${x.system_name} · SHA-256 ${x.sha256.slice(0, 16)}… · ${size(x.size)}`,
        x.created_by ? ` · ${x.created_by}` : ''),
      bar, line,
      x.status === 'failed' ? h('p', { class: 'form-error', role: 'alert', id: 'hunt-error' }, t('hunt.failed', { error: x.error })) : null,
      x.warning ? h('p', { class: 'notice small' }, t('hunt.warning', { text: x.warning })) : null].filter(Boolean));
  }

  async function showResults(x) {
    const hits = await get(`/api/hunts/${id}/hits`);
    if (gone) return;
    const seesAlerts = hasRole('admin', 'coordinator', 'responder', 'auditor');
    const levelRows = LEVELS.map((l) => h('tr', { 'data-level': l },
      h('td', {}, levelBadge(l)), h('td', { class: 'num' }, String(x.summary.by_level ? x.summary.by_level[l] || 0 : 0))));
    const ruleRows = (x.summary.by_rule || []).map((r) => h('tr', {},
      h('td', {}, r.title, h('div', { class: 'small muted' }, r.rule_id)), h('td', {}, levelBadge(r.level)),
      h('td', { class: 'num' }, String(r.hits))));
    const alerts = section(t('hunt.alerts'),
      h('p', { id: 'hunt-alerts' }, t('hunt.alerts_result', { created: x.alerts_created, merged: x.alerts_deduplicated })),
      x.activity_id ? h('p', { class: 'small' }, t('hunt.activity')) : null,
      seesAlerts && x.alert_ids.length ? h('p', {}, h('a', { href: '/alerts?status=open', class: 'button', id: 'hunt-to-alerts' }, t('hunt.to_alerts'))) : null,
      !seesAlerts && x.alert_ids.length ? h('p', { class: 'small muted' }, t('hunt.alerts_team')) : null);
    const hitRows = hits.items.slice(0, 200).map((y) => h('tr', { 'data-hit': y.seq },
      h('td', { class: 'nowrap' }, fmtTime(y.time) || y.time || '—'),
      h('td', {}, levelBadge(y.level)),
      h('td', {}, y.title, h('div', { class: 'small muted' }, y.rule_id)),
      h('td', {}, y.host || '—', h('div', { class: 'small muted' }, `${y.source} · ${t('hunt.record')} ${y.record}`)),
      h('td', { class: 'small' }, Object.entries(y.matched).map(([k, v]) => h('div', {}, `${k}=${v}`))),
      h('td', { class: 'num' }, y.alert_id ? `#${y.alert_id}` : '—')));
    results.replaceChildren(
      h('div', { class: 'grid' },
        section(t('hunt.by_level'), table([t('hunt.level'), t('hunt.hits')], levelRows)),
        alerts),
      section(t('hunt.by_rule', { n: x.summary.rules || 0 }), table([t('hunt.rule'), t('hunt.level'), t('hunt.hits')], ruleRows, { empty: t('hunt.no_hits') })),
      section(t('hunt.hits_list', { shown: Math.min(hits.items.length, 200), total: hits.total }),
        table([t('hunt.time'), t('hunt.level'), t('hunt.rule'), t('hunt.host'), t('hunt.matched'), t('hunt.alert')], hitRows, { empty: t('hunt.no_hits'), class: 'stack' })));
  }

  async function poll() {
    timer = null;
    let x;
    try {
      x = await get(`/api/hunts/${id}`);
    } catch (e) {
      if (gone) return;
      status.replaceChildren(h('p', { class: 'form-error', role: 'alert' }, e.message));
      return;
    }
    if (gone) return;
    showStatus(x);
    if (x.status === 'queued' || x.status === 'running') timer = setTimeout(poll, POLL_MS);
    else if (x.status === 'done') await showResults(x);
  }
  await poll();
  return () => { gone = true; if (timer) clearTimeout(timer); };
}
