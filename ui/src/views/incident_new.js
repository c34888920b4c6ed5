// New incident (operators and team members): Form 03 with the organisation,
// affected systems and type. Messages appear beside the field they concern,
// whether the browser or the server found the problem.
import { get, post } from '../api.js';
import { h, field, select, showError } from '../dom.js';
import { t } from '../i18n.js';
import { session, navigate, canWork } from '../main.js';
import { orgOptions, taxonomyOptions } from './common.js';
import { form03 } from './form03.js';

export async function incidentNewView(main) {
  if (!canWork()) {
    main.append(h('p', { class: 'notice' }, t('error.forbidden')));
    return null;
  }
  const systems = await get('/api/systems?per_page=200').catch(() => ({ items: [] }));
  const u = session.user;
  const org = select(orgOptions(t('incident.org_choose')), u.org_id || '');
  const sys = select(systems.items.map((s) => [s.id, `${s.name}${s.level ? ' — ' + t('f03.level', { n: s.level }) : ''}`]), '', { multiple: true, size: Math.min(6, Math.max(2, systems.items.length)) });
  const tax = select(taxonomyOptions(true), '');
  const f03 = form03(null);
  const submit = h('button', { type: 'submit' }, t('incident.create'));
  const form = h('form', { class: 'incident-new', novalidate: true },
    h('div', { class: 'title-row' }, h('h1', {}, t('incident.new'))),
    h('p', { class: 'muted' }, t('incident.new_hint')),
    h('fieldset', { class: 'group' }, h('legend', {}, t('incident.where')),
      h('div', { class: 'fields' },
        field(t('incident.org'), org, { name: 'org_id' }),
        field(t('incident.systems'), sys, { name: 'systems', hint: t('incident.systems_hint') }),
        field(t('incident.taxonomy'), tax, { name: 'taxonomy_code' }))),
    f03.element,
    h('div', { class: 'form-error', role: 'alert' }),
    h('div', { class: 'actions sticky' }, submit, h('a', { class: 'button secondary', href: '/incidents' }, t('common.cancel'))));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const body = f03.read();
    if (!body.title) return showError(form, { field: 'title', message: t('validate.required') });
    if (!body.detected_at) return showError(form, { field: 'detected_at', message: t('validate.required') });
    if (org.value) body.org_id = Number(org.value);
    const ids = [...sys.selectedOptions].map((o) => Number(o.value));
    if (ids.length) body.systems = ids;
    if (tax.value) body.taxonomy_code = tax.value;
    submit.disabled = true;
    try {
      const r = await post('/api/incidents', body);
      navigate(`/incidents/${r.id}`);
    } catch (e) {
      showError(form, e);
    } finally {
      submit.disabled = false;
    }
    return null;
  });
  main.append(form);
  return null;
}
