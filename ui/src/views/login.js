// Log-in. On throttling (HTTP 429) the message says how many minutes to wait,
// from the server's Retry-After.
import { post } from '../api.js';
import { h, field, input } from '../dom.js';
import { t } from '../i18n.js';
import { afterLogin, navigate } from '../main.js';

export function loginView(main) {
  const user = input({ autocomplete: 'username', required: true, name: 'username' });
  const pass = input({ type: 'password', autocomplete: 'current-password', required: true, name: 'password' });
  const msg = h('div', { class: 'form-error', role: 'alert', id: 'login-error' });
  const btn = h('button', { type: 'submit' }, t('login.submit'));
  const form = h('form', { class: 'card login', novalidate: true },
    h('h1', {}, t('login.title')),
    field(t('login.username'), user, { name: 'username', required: true }),
    field(t('login.password'), pass, { name: 'password', required: true }),
    msg, btn,
    h('p', { class: 'muted' }, t('login.public_hint'), ' ', h('a', { href: '/public' }, t('nav.public'))));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    msg.textContent = '';
    if (!user.value || !pass.value) { msg.textContent = t('login.missing'); return; }
    btn.disabled = true;
    try {
      const me = await post('/api/auth/login', { username: user.value, password: pass.value });
      await afterLogin(me);
      const next = new URLSearchParams(location.search).get('next');
      if (me.user.must_change_password) navigate('/account');
      else navigate(next && next.startsWith('/') && !next.startsWith('//') ? next : '/');
    } catch (e) {
      if (e.status === 429) {
        const min = Math.max(1, Math.ceil((e.retryAfter || 900) / 60));
        msg.textContent = t('login.throttled', { n: min });
      } else if (e.status === 401 || e.status === 403) {
        msg.textContent = t('login.bad');
      } else {
        msg.textContent = e.message;
      }
      pass.value = '';
      pass.focus();
    } finally {
      btn.disabled = false;
    }
  });
  main.append(form);
  user.focus();
}
