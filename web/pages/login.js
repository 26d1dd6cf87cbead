import { ApiError, post } from '../api.js';
import { field, h } from '../dom.js';
import { t } from '../i18n.js';
import { pageHeading, showError } from '../ui.js';

export async function render(main) {
  pageHeading(main, 'login.title');
  const username = h('input', { type: 'text', name: 'username', autocomplete: 'username', required: true, autocapitalize: 'none', spellcheck: 'false' });
  const password = h('input', { type: 'password', name: 'password', autocomplete: 'current-password', required: true });
  const status = h('p', { class: 'form-status', role: 'status', 'aria-live': 'polite' });
  const form = h('form', { class: 'card login', method: 'post', novalidate: false },
    field('login-username', t('login.username'), username),
    field('login-password', t('login.password'), password),
    h('button', { type: 'submit' }, t('login.submit')),
    status,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    status.textContent = t('state.signingIn');
    try {
      await post('/login', { username: username.value, password: password.value });
      location.assign('/');
    } catch (err) {
      password.value = '';
      status.textContent = '';
      if (err instanceof ApiError && err.code === 'LOGIN_LOCKED') {
        const seconds = err.body?.error?.retryAfterSeconds;
        showError(new ApiError(429, { error: { code: 'LOGIN_LOCKED', message: t('error.LOGIN_LOCKED_FOR', { minutes: Math.ceil((seconds ?? 900) / 60) }) } }));
      } else {
        showError(err);
      }
      password.focus();
    }
  });
  main.append(form);
  username.focus();
}
