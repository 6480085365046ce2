// Shared page helpers: errors in words, the login gate, toasts, tabs.
import {h, mount} from './dom.js';
import {t} from './i18n.js';
import {session} from './api.js';

// showError renders an API error where a page would be.
export function showError(el, e) {
  console.error(e);
  mount(el, h('div', {class: 'notice bad', role: 'alert'}, '⚠ ', errorText(e)),
    e?.status === 401 ? h('p', {}, h('a', {href: '#/login', class: 'btn'}, t('nav.login'))) : null);
}

// errorText turns an ApiError into a sentence in the current language.
export function errorText(e) {
  if (!e) return t('err.unknown');
  if (e.code === 'network') return t('err.network');
  const key = 'err.' + e.code;
  const s = t(key);
  return s !== key ? s : (e.message || t('err.unknown'));
}

// requireLogin sends a signed-out visitor to the login page and back.
export function requireLogin() {
  if (session.user()) return true;
  sessionStorage.setItem('agri.after', location.hash);
  location.hash = '#/login';
  return false;
}

// toast says something briefly in the live region (read by screen readers).
export function toast(msg, kind) {
  const el = document.getElementById('toast');
  mount(el, h('div', {class: 'notice ' + (kind || 'good')}, msg));
  clearTimeout(toast.t);
  toast.t = setTimeout(() => el.replaceChildren(), 4000);
}


// tabs([[href, key], ...], current) → a row of links, the current one marked.
export function tabs(items, current) {
  return h('nav', {class: 'tabs', 'aria-label': t('common.sections')},
    items.map(([href, key]) => h('a', {href, 'aria-current': href === current ? 'page' : null}, t(key))));
}

// statusBadge shows an auction's status as icon + words, never colour alone.
const statusIcon = {live: '●', scheduled: '◷', closed: '■', cancelled: '✕'};
export function statusBadge(status) {
  return h('span', {class: 'badge st-' + status}, h('span', {'aria-hidden': 'true'}, statusIcon[status] || ''), ' ', t('status.' + status));
}

// who shows a user id as "me" or an anonymous tail (bidders' names are private).
export function who(id) {
  if (!id) return '—';
  if (id === session.user()?.id) return t('common.me');
  return t('common.bidder') + ' ···' + id.slice(-4);
}

// listMore renders a "load more" button while a list has a next cursor.
export function moreButton(next, load) {
  if (!next) return null;
  const b = h('button', {type: 'button', class: 'btn secondary', onclick: async () => { b.disabled = true; await load(next); b.remove(); }}, t('common.more'));
  return b;
}
