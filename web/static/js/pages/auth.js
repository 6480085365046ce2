// Sign-up and log-in by mobile number (手机号注册/登录).
import {h, add, field, showFieldErrors} from '../dom.js';
import {t} from '../i18n.js';
import {api, session} from '../api.js';
import {errorText} from '../ui.js';

const PHONE = '^1[3-9][0-9]{9}$';

function phoneInput() {
  return h('input', {name: 'phone', type: 'tel', inputmode: 'numeric', autocomplete: 'tel', pattern: PHONE, maxlength: 11, required: true});
}

function done(r) {
  session.set({token: r.token, user: r.user});
  const back = sessionStorage.getItem('agri.after');
  sessionStorage.removeItem('agri.after');
  location.hash = back && back !== '#/login' && back !== '#/register' ? back : '#/';
}

function form(view, title, inputs, submitKey, send, foot) {
  const msg = h('div', {role: 'alert'});
  const btn = h('button', {type: 'submit', class: 'wide', id: 'submit'}, t(submitKey));
  const f = h('form', {novalidate: true, class: 'stack'}, ...inputs, msg, btn, foot);
  f.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    msg.replaceChildren();
    const phone = f.phone.value.trim();
    if (!new RegExp(PHONE).test(phone)) {
      showFieldErrors(f, {phone: t('auth.badPhone')});
      f.phone.focus();
      return;
    }
    btn.disabled = true;
    try {
      done(await send(f));
    } catch (e) {
      showFieldErrors(f, e.fields);
      msg.replaceChildren(h('p', {class: 'notice bad'}, '⚠ ', errorText(e)));
    } finally {
      btn.disabled = false;
    }
  });
  add(view, h('h1', {}, t(title)), f);
  f.phone.focus();
}

export function login(view) {
  form(view, 'auth.loginTitle', [
    field(t('auth.phone'), phoneInput()),
    field(t('auth.password'), h('input', {name: 'password', type: 'password', autocomplete: 'current-password', required: true})),
  ], 'auth.login', (f) => api('POST', '/auth/login', {body: {phone: f.phone.value.trim(), password: f.password.value}}),
  h('p', {}, t('auth.noAccount'), ' ', h('a', {href: '#/register'}, t('auth.register'))));
}

export function register(view) {
  const role = h('fieldset', {class: 'field'}, h('legend', {}, t('auth.role')),
    ...['farmer', 'buyer'].map((r, i) => h('label', {class: 'check'},
      h('input', {type: 'radio', name: 'role', value: r, checked: i === 0}), t('role.' + r))));
  form(view, 'auth.registerTitle', [
    field(t('auth.phone'), phoneInput()),
    field(t('auth.name'), h('input', {name: 'name', autocomplete: 'name', maxlength: 50, required: true}), t('auth.nameHint')),
    field(t('auth.password'), h('input', {name: 'password', type: 'password', autocomplete: 'new-password', minlength: 8, required: true}), t('auth.passwordHint')),
    role,
  ], 'auth.register', (f) => api('POST', '/auth/register', {body: {
    phone: f.phone.value.trim(), name: f.name.value.trim(), password: f.password.value, role: f.role.value}}),
  h('p', {}, t('auth.haveAccount'), ' ', h('a', {href: '#/login'}, t('auth.login'))));
}
