// Public page (no log-in): a citizen or agency reports an incident and gets
// a tracking code, or looks up the status of a report by its code. Nothing
// else of the system is visible here.
import { get, post } from '../api.js';
import { h, field, input, textarea, select, showError } from '../dom.js';
import { t, nm } from '../i18n.js';
import { fmtTime, fromLocalInput, splitList } from '../format.js';

export function publicView(main) {
  main.classList.add('public');
  main.append(h('h1', {}, t('public.title')), h('p', { class: 'muted' }, t('public.intro')));

  const title = input({ required: true });
  const description = textarea({ rows: 5, required: true });
  const detected = input({ type: 'datetime-local', required: true });
  const org = input({});
  const name = input({ autocomplete: 'name' });
  const phone = input({ type: 'tel', autocomplete: 'tel' });
  const email = input({ type: 'email', autocomplete: 'email' });
  const system = input({});
  const ips = textarea({ rows: 2 });
  const domains = textarea({ rows: 2 });
  const handled = select([['not_handled', t('f03.handled_status.not_handled')], ['handled', t('f03.handled_status.handled')]], 'not_handled');
  const result = h('div', { class: 'result', role: 'status', id: 'report-result' });
  const submit = h('button', { type: 'submit' }, t('public.submit'));
  const form = h('form', { class: 'card', novalidate: true, id: 'report-form' },
    h('h2', {}, t('public.report')),
    h('div', { class: 'fields' },
      field(t('f03.title_field'), title, { name: 'title', required: true, wide: true }),
      field(t('f03.description'), description, { name: 'description', required: true, wide: true, hint: t('public.description_hint') }),
      field(t('f03.detected_at'), detected, { name: 'detected_at', required: true, hint: t('f03.time_hint') }),
      field(t('f03.handled_status'), handled, { name: 'handled_status' }),
      field(t('f03.reporter_org'), org, { name: 'reporter_org' }),
      field(t('f03.contact_name'), name, { name: 'contact_name' }),
      field(t('f03.contact_phone'), phone, { name: 'contact_phone' }),
      field(t('f03.contact_email'), email, { name: 'reporter_email', hint: t('public.contact_hint') }),
      field(t('f03.system_name'), system, { name: 'system_name' }),
      field(t('f03.public_ips'), ips, { name: 'public_ips', hint: t('f03.list_hint') }),
      field(t('f03.domains'), domains, { name: 'domains', hint: t('f03.list_hint') })),
    h('div', { class: 'form-error', role: 'alert' }),
    h('div', { class: 'actions' }, submit), result);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    result.textContent = '';
    if (!title.value.trim()) return showError(form, { field: 'title', message: t('validate.required') });
    if (!detected.value) return showError(form, { field: 'detected_at', message: t('validate.required') });
    if (!phone.value.trim() && !email.value.trim()) return showError(form, { field: 'reporter_email', message: t('public.need_contact') });
    const body = { title: title.value.trim(), description: description.value.trim(), detected_at: fromLocalInput(detected.value),
      handled_status: handled.value, reporter_org: org.value.trim(), contact_name: name.value.trim(),
      contact_phone: phone.value.trim(), reporter_phone: phone.value.trim(), reporter_email: email.value.trim(), contact_email: email.value.trim(),
      system_name: system.value.trim(), public_ips: splitList(ips.value), domains: splitList(domains.value) };
    submit.disabled = true;
    try {
      const r = await post('/api/public/reports', body);
      showError(form, null);
      result.append(h('p', {}, t('public.received')), h('p', { class: 'tracking' }, t('public.your_code'), ' ', h('strong', { id: 'new-code' }, r.tracking_code)),
        h('p', { class: 'small' }, t('public.keep_code')));
      form.reset();
      lookupCode.value = r.tracking_code;
    } catch (e) {
      if (e.status === 429) showError(form, { message: t('public.too_many') });
      else showError(form, e);
    } finally { submit.disabled = false; }
    return null;
  });

  const lookupCode = input({ required: true, autocomplete: 'off', spellcheck: 'false' });
  const status = h('div', { class: 'result', role: 'status', id: 'lookup-result' });
  const lookup = h('form', { class: 'card', novalidate: true, id: 'lookup-form' },
    h('h2', {}, t('public.lookup')),
    field(t('public.code'), lookupCode, { name: 'code', required: true, hint: t('public.code_hint') }),
    h('div', { class: 'form-error', role: 'alert' }),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, t('public.lookup_submit'))), status);
  lookup.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    status.textContent = '';
    const code = lookupCode.value.trim().toUpperCase();
    if (!code) return showError(lookup, { field: 'code', message: t('validate.required') });
    try {
      const r = await get('/api/public/reports/' + encodeURIComponent(code));
      showError(lookup, null);
      status.append(h('dl', { class: 'kv' },
        h('dt', {}, t('public.code')), h('dd', {}, r.tracking_code),
        h('dt', {}, t('incident.status')), h('dd', { id: 'lookup-status' }, t('status.' + r.status)),
        h('dt', {}, t('incident.step')), h('dd', { id: 'lookup-step' }, nm(r, 'step_name')),
        h('dt', {}, t('incident.reported_at')), h('dd', {}, fmtTime(r.reported_at)),
        h('dt', {}, t('public.updated_at')), h('dd', {}, fmtTime(r.updated_at)),
        r.closed_at ? [h('dt', {}, t('public.closed_at')), h('dd', {}, fmtTime(r.closed_at))] : null));
    } catch (e) {
      showError(lookup, { field: 'code', message: e.status === 404 ? t('public.not_found') : e.message });
    }
    return null;
  });
  main.append(h('div', { class: 'grid two public-grid' }, form, lookup),
    h('p', { class: 'small muted' }, h('a', { href: '/login' }, t('public.staff_login'))));
  return null;
}
