// The shell: header, bottom navigation for one thumb, the language switch,
// and the hash router (#/auctions/ID): the server only serves files, and each
// page's module loads when first visited, so the auction page's first load
// carries only what it needs.
import {h, mount} from './dom.js';
import {t, lang, setLang, onLang, applyStatic} from './i18n.js';
import {session, onSession, api} from './api.js';
import {showError, toast} from './ui.js';

// [pattern, module, export]; the first match wins.
const routes = [
  [/^\/?$/, 'market'],
  [/^\/login$/, 'auth', 'login'],
  [/^\/register$/, 'auth', 'register'],
  [/^\/auctions\/([0-9a-f]{24})$/, 'auction'],
  [/^\/new$/, 'create'],
  [/^\/mine(?:\/(bids|auctions|won|orders))?$/, 'mine'],
  [/^\/orders\/([0-9a-f]{24})$/, 'mine', 'order'],
  [/^\/watch$/, 'watch'],
  [/^\/data$/, 'data'],
  [/^\/prices$/, 'prices'],
  [/^\/knowledge$/, 'knowledge'],
  [/^\/supply$/, 'supply'],
  [/^\/org$/, 'org'],
  [/^\/contest$/, 'contest'],
  [/^\/contest\/([0-9a-f]{24})$/, 'contest', 'edition'],
  [/^\/contest\/([0-9a-f]{24})\/register$/, 'contest', 'register'],
  [/^\/contest\/([0-9a-f]{24})\/results$/, 'results'],
  [/^\/entries\/([0-9a-f]{24})$/, 'contest', 'entry'],
  [/^\/judge$/, 'judge'],
  [/^\/judge\/([0-9a-f]{24})$/, 'judge', 'round'],
  [/^\/judge\/([0-9a-f]{24})\/([0-9a-f]{24})$/, 'judge', 'sheet'],
  [/^\/organize$/, 'organize'],
  [/^\/organize\/([0-9a-f]{24})$/, 'organize', 'edition'],
  [/^\/organize\/round\/([0-9a-f]{24})$/, 'organize', 'round'],
  [/^\/admin$/, 'admin'],
  [/^\/admin\/imports$/, 'admin', 'imports'],
];

const nav = [
  ['#/', 'nav.market', '¥'],
  ['#/watch', 'nav.watch', '▦'],
  ['#/data', 'nav.data', '↗'],
  ['#/contest', 'nav.contest', '★'],
  ['#/mine', 'nav.mine', '◉'],
];

const view = document.getElementById('view');
let cleanup = null;
let rendering = 0;

function header() {
  const u = session.user();
  mount(document.getElementById('top'),
    h('a', {href: '#/', class: 'brand'}, t('app.name')),
    h('span', {class: 'spacer'}),
    h('button', {type: 'button', class: 'lang', id: 'lang', title: t('lang.switch'),
      onclick: () => setLang(lang() === 'en' ? 'zh-CN' : 'en')}, t('lang.other')),
    u ? h('a', {href: '#/mine', class: 'who', id: 'who'}, u.name)
      : h('a', {href: '#/login', class: 'who', id: 'who'}, t('nav.login')));
  const here = location.hash.split('/').slice(0, 2).join('/') || '#/';
  mount(document.getElementById('nav'),
    nav.map(([href, key, icon]) => h('a', {href, 'aria-current': href === here || (href === '#/' && here === '#') ? 'page' : null},
      h('span', {class: 'ico', 'aria-hidden': 'true'}, icon), h('span', {}, t(key)))));
}

async function route() {
  const mine = ++rendering;
  if (cleanup) { try { cleanup(); } catch { /* the old page is gone anyway */ } cleanup = null; }
  const path = decodeURIComponent(location.hash.replace(/^#/, '')) || '/';
  header();
  for (const [re, mod, name] of routes) {
    const m = path.match(re);
    if (!m) continue;
    mount(view, h('p', {class: 'loading', role: 'status'}, t('common.loading')));
    try {
      const page = await import(`./pages/${mod}.js`);
      if (mine !== rendering) return;
      view.replaceChildren();
      const fn = page[name || 'default'];
      const c = await fn(view, ...m.slice(1));
      if (mine !== rendering) { if (typeof c === 'function') c(); return; }
      cleanup = typeof c === 'function' ? c : null;
    } catch (e) {
      if (mine !== rendering) return;
      showError(view, e);
    }
    const flash = sessionStorage.getItem('agri.flash');
    if (flash) { sessionStorage.removeItem('agri.flash'); toast(flash, 'warn'); }
    document.getElementById('view').focus({preventScroll: true});
    return;
  }
  mount(view, h('h1', {}, t('common.notFound')), h('p', {}, h('a', {href: '#/'}, t('nav.market'))));
}

onLang(() => { applyStatic(document); route(); });
onSession(() => header());
addEventListener('hashchange', route);
applyStatic(document);
route();

// Refresh the stored user (roles granted since the last visit).
if (session.token()) {
  api('GET', '/me').then((r) => session.set({token: session.token(), user: r.user})).catch(() => {});
}
