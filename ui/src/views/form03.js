// The fields of Form 03 (Báo cáo ban đầu sự cố, Circular 20/2017 Appendix I)
// grouped as the form groups them, plus the structured items that Decision
// 05/2017 Art 11.4 requires (spread, impact, measures, supporters, result).
// One description serves the new-incident form and the incident page.
import { h, field, input, textarea, select } from '../dom.js';
import { t } from '../i18n.js';
import { fromLocalInput, splitList, toLocalInput } from '../format.js';

// kind: text | area | list | level | handled | bool | time | checks
export const FORM03 = [
  { group: 'g1', fields: [['reporter_org', 'text', true], ['reporter_address', 'text'], ['reporter_phone', 'text'], ['reporter_email', 'text']] },
  { group: 'g2', fields: [['contact_name', 'text'], ['contact_position', 'text'], ['contact_phone', 'text'], ['contact_email', 'text']] },
  { group: 'g3', fields: [['operator_name', 'text'], ['owner_name', 'text'], ['system_name', 'text'], ['system_level', 'level'], ['security_provider', 'text'], ['isp', 'text']] },
  { group: 'g4', fields: [['title', 'text', true], ['description', 'area', false, true]] },
  { group: 'g5', fields: [['detected_at', 'time', true], ['handled_status', 'handled']] },
  { group: 'g7', fields: [['detection_methods', 'detection']] },
  { group: 'g8', fields: [['notified', 'notified']] },
  { group: 'g9', fields: [['os', 'text'], ['services', 'list'], ['security_measures', 'list'], ['public_ips', 'list'], ['domains', 'list'], ['purpose', 'text'], ['attachments_kind', 'list'], ['confidential', 'bool']] },
  { group: 'g10', fields: [['spread', 'area'], ['impact', 'area'], ['measures_taken', 'area'], ['supporters', 'list'], ['initial_result', 'area'], ['recommendations', 'area']] },
];

const DETECTION = ['ids', 'log_review'];
const DETECTION_TEXT = ['notified_by', 'other'];
const NOTIFIED = ['network_member', 'isp', 'coordinator'];

function checks(name, codes, values, disabled) {
  return h('fieldset', { class: 'checks', 'data-field': name },
    h('legend', {}, t('f03.' + name)),
    codes.map((c) => {
      const id = `${name}-${c}`;
      return h('div', { class: 'check' }, h('input', { type: 'checkbox', id, value: c, checked: values.includes(c), disabled }),
        h('label', { for: id }, t(`f03.${name}.${c}`)));
    }),
    h('div', { class: 'field-error', role: 'alert' }));
}

// Builds the grouped fields; returns {element, read()} where read() gives
// the JSON body for the API (only changed keys when 'original' is given).
export function form03(original, opts = {}) {
  const inc = original || {};
  const disabled = !!opts.readonly;
  const controls = {};
  const groups = [];
  for (const g of FORM03) {
    const box = h('fieldset', { class: 'group', id: 'grp-' + g.group }, h('legend', {}, t('f03.' + g.group)));
    const grid = h('div', { class: 'fields' });
    for (const [name, kind, required, wide] of g.fields) {
      const v = inc[name];
      let ctl;
      if (kind === 'detection') {
        const methods = Array.isArray(v) ? v : [];
        const fs = checks(name, DETECTION, methods, disabled);
        for (const c of DETECTION_TEXT) {
          const prefix = c + ':';
          const found = methods.find((m) => m === c || m.startsWith(prefix));
          const box2 = h('input', { type: 'text', id: `${name}-${c}`, value: found ? found.slice(prefix.length).trim() : '', disabled });
          fs.insertBefore(h('div', { class: 'check text' }, h('label', { for: `${name}-${c}` }, t(`f03.${name}.${c}`)), box2), fs.lastChild);
        }
        controls[name] = { kind, el: fs };
        grid.append(fs);
        continue;
      }
      if (kind === 'notified') {
        const fs = checks(name, NOTIFIED, Array.isArray(v) ? v : [], disabled);
        controls[name] = { kind, el: fs };
        grid.append(fs);
        continue;
      }
      if (kind === 'text') ctl = input({ value: v ?? '', disabled });
      else if (kind === 'area') ctl = textarea({ value: v ?? '', disabled, rows: wide ? 5 : 3 });
      else if (kind === 'list') ctl = textarea({ value: Array.isArray(v) ? v.join('\n') : '', disabled, rows: 2 });
      else if (kind === 'time') ctl = input({ type: 'datetime-local', value: toLocalInput(v), disabled });
      else if (kind === 'level') ctl = select([['0', t('f03.level_none')], ...[1, 2, 3, 4, 5].map((n) => [String(n), t('f03.level', { n })])], String(v || 0), { disabled });
      else if (kind === 'handled') ctl = select([['not_handled', t('f03.handled_status.not_handled')], ['handled', t('f03.handled_status.handled')]], v || 'not_handled', { disabled });
      else if (kind === 'bool') ctl = select([['false', t('common.no')], ['true', t('common.yes')]], v ? 'true' : 'false', { disabled });
      controls[name] = { kind, el: ctl };
      grid.append(field(t(name === 'title' ? 'f03.title_field' : 'f03.' + name), ctl, { name, required, wide: wide || kind === 'area',
        hint: kind === 'list' ? t('f03.list_hint') : (kind === 'time' ? t('f03.time_hint') : null) }));
    }
    box.append(grid);
    groups.push(box);
  }

  function read() {
    const out = {};
    for (const [name, { kind, el }] of Object.entries(controls)) {
      let v;
      if (kind === 'text' || kind === 'area') v = el.value.trim();
      else if (kind === 'list') v = splitList(el.value);
      else if (kind === 'time') v = fromLocalInput(el.value);
      else if (kind === 'level') v = Number(el.value);
      else if (kind === 'handled') v = el.value;
      else if (kind === 'bool') v = el.value === 'true';
      else if (kind === 'notified') v = [...el.querySelectorAll('input:checked')].map((x) => x.value);
      else if (kind === 'detection') {
        v = [...el.querySelectorAll('input[type=checkbox]:checked')].map((x) => x.value);
        for (const c of DETECTION_TEXT) {
          const txt = el.querySelector(`#${name}-${c}`).value.trim();
          if (txt) v.push(`${c}: ${txt}`);
        }
      }
      if (original && JSON.stringify(v) === JSON.stringify(original[name] ?? (kind === 'list' ? [] : ''))) continue;
      if (kind === 'time' && !v) continue;
      out[name] = v;
    }
    return out;
  }
  return { element: h('div', { class: 'form03' }, groups), read };
}
