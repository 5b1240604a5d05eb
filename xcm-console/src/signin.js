// The sign-in form: user and password go to POST /ui/session and nowhere else.
import { signIn } from './api.js';
import { h } from './dom.js';

/**
 * @param {(session) => void} onSignedIn
 * @param {string} [message] why the form is shown again (e.g. the session ended)
 */
export function signInView(onSignedIn, message) {
  const user = h('input', {
    id: 'signin-user', name: 'user', type: 'text', autocomplete: 'username',
    required: true, autofocus: true, spellcheck: 'false', autocapitalize: 'none',
  });
  const password = h('input', {
    id: 'signin-password', name: 'password', type: 'password',
    autocomplete: 'current-password', required: true,
  });
  const submit = h('button', { id: 'signin-submit', type: 'submit', text: 'Sign in' });
  const error = h('p', { id: 'signin-error', class: 'error', role: 'alert' });
  if (message) error.textContent = message;
  else error.hidden = true;

  const form = h('form', { id: 'signin', class: 'signin', 'aria-labelledby': 'signin-title' },
    h('h1', { id: 'signin-title', text: 'XCM console' }),
    h('p', { class: 'muted', text: 'Sign in with a user of the coordinator.' }),
    h('label', { for: 'signin-user', text: 'User' }), user,
    h('label', { for: 'signin-password', text: 'Password' }), password,
    submit, error);

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    submit.disabled = true;
    error.hidden = true;
    try {
      const session = await signIn(user.value, password.value);
      password.value = '';
      onSignedIn(session);
    } catch (e) {
      password.value = '';
      error.textContent = e.message || 'sign-in failed';
      error.hidden = false;
      password.focus();
    } finally {
      submit.disabled = false;
    }
  });
  queueMicrotask(() => (user.value ? password : user).focus());
  return h('main', { class: 'signin-page' }, form);
}
