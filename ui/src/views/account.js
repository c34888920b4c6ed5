// The user's own account: change the password (also where a user lands
// when the administrator set a password that must be changed).
import { post } from '../api.js';
import { h, field, input, showError } from '../dom.js';
import { t } from '../i18n.js';
import { session } from '../main.js';

export function accountView(main) {
  const u = session.user;
  const cur = input({ type: 'password', autocomplete: 'current-password', required: true });
  const next = input({ type: 'password', autocomplete: 'new-password', required: true });
  const again = input({ type: 'password', autocomplete: 'new-password', required: true });
  const done = h('p', { role: 'status', class: 'result', id: 'password-done' });
  const form = h('form', { class: 'card login', novalidate: true, id: 'password-form' },
    h('h1', {}, t('account.title')),
    h('p', { class: 'muted' }, `${u.full_name || u.username} (${u.username}) · ${t('role.' + u.role)}`),
    u.must_change_password ? h('p', { class: 'notice' }, t('account.must_change')) : null,
    field(t('account.current'), cur, { name: 'current_password', required: true }),
    field(t('account.new'), next, { name: 'new_password', required: true, hint: t('user.password_hint') }),
    field(t('account.again'), again, { name: 'again', required: true }),
    h('div', { class: 'form-error', role: 'alert' }),
    h('button', { type: 'submit' }, t('account.submit')), done);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    done.textContent = '';
    if (!cur.value) return showError(form, { field: 'current_password', message: t('validate.required') });
    if (!next.value) return showError(form, { field: 'new_password', message: t('validate.required') });
    if (next.value !== again.value) return showError(form, { field: 'again', message: t('account.mismatch') });
    try {
      await post('/api/auth/password', { current_password: cur.value, new_password: next.value });
      showError(form, null);
      form.reset();
      u.must_change_password = false;
      done.textContent = t('account.done');
    } catch (e) { showError(form, e); }
    return null;
  });
  main.append(form);
  return null;
}
