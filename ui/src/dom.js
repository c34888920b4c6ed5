// Small DOM helpers. Text always goes in as text nodes (never innerHTML), so
// nothing the server or a reporter wrote can become markup.

let seq = 0;

// h('div', {class: 'x', onclick: fn}, child, [children], 'text')
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (k === 'value') el.value = v;
    else if (k === 'checked' || k === 'selected' || k === 'disabled' || k === 'required' || k === 'multiple')
      el[k] = !!v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

export function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

export function uid(prefix) {
  seq += 1;
  return `${prefix || 'f'}-${seq}`;
}

// A labelled form control: every input has a <label for>, and an error slot
// beside it that showError() fills with the server's message for that field.
export function field(label, control, opts = {}) {
  const id = control.id || uid('f');
  control.id = id;
  if (opts.name) control.name = opts.name;
  const err = h('div', { class: 'field-error', id: id + '-err', role: 'alert' });
  control.setAttribute('aria-describedby', id + '-err');
  const hint = opts.hint ? h('div', { class: 'hint' }, opts.hint) : null;
  return h('div', { class: 'field' + (opts.wide ? ' wide' : ''), 'data-field': opts.name || '' },
    h('label', { for: id }, label, opts.required ? h('span', { class: 'req', 'aria-hidden': 'true' }, ' *') : null),
    control, hint, err);
}

export function input(attrs) { return h('input', { type: 'text', ...attrs }); }
export function textarea(attrs) { return h('textarea', { rows: 3, ...attrs }); }

export function select(options, value, attrs) {
  const s = h('select', attrs || {});
  for (const o of options) {
    const [v, label] = Array.isArray(o) ? o : [o, o];
    s.append(h('option', { value: v, selected: String(v) === String(value ?? '') }, label));
  }
  return s;
}

// Puts each error message beside the field it names; returns true when the
// error was placed, false when the caller should show it elsewhere.
export function showError(form, error) {
  for (const e of form.querySelectorAll('.field-error')) e.textContent = '';
  for (const e of form.querySelectorAll('[aria-invalid]')) e.removeAttribute('aria-invalid');
  const general = form.querySelector('.form-error');
  if (general) general.textContent = '';
  if (!error) return true;
  const name = error.field;
  const box = name ? form.querySelector(`[data-field="${CSS.escape(name)}"]`) : null;
  if (box) {
    box.querySelector('.field-error').textContent = error.message;
    const ctl = box.querySelector('input, select, textarea');
    if (ctl) { ctl.setAttribute('aria-invalid', 'true'); ctl.focus(); }
    return true;
  }
  if (general) { general.textContent = error.message; return true; }
  return false;
}
