// Mine (我的): my bids, my auctions, lots I won, my orders; and the way to
// every page my roles open.
import {h, add, mount} from '../dom.js';
import {t, unitName} from '../i18n.js';
import {api, session} from '../api.js';
import {unitPrice, fen, when, count} from '../money.js';
import {loadRegions} from '../regions.js';
import {requireLogin, showError, tabs, moreButton} from '../ui.js';
import {auctionCard} from './market.js';

const lists = {
  bids: ['/me/bids', 'mine.bids'],
  auctions: ['/me/auctions', 'mine.auctions'],
  won: ['/me/won', 'mine.won'],
  orders: ['/orders', 'mine.orders'],
};

function links() {
  const u = session.user();
  const r = (x) => u.roles.includes(x);
  const items = [
    (r('farmer') || r('buyer')) && ['#/new', 'market.newAuction'],
    r('buyer') && ['#/watch', 'nav.watch'],
    ['#/org', 'org.title'],
    ['#/supply', 'supply.title'],
    r('judge') && ['#/judge', 'judge.title'],
    (r('organizer') || r('admin')) && ['#/organize', 'organize.title'],
    r('admin') && ['#/admin', 'admin.title'],
  ].filter(Boolean);
  return h('ul', {class: 'row', style: 'list-style:none;padding:0'},
    items.map(([href, key]) => h('li', {style: 'flex:0 1 auto'}, h('a', {class: 'btn secondary', href}, t(key)))));
}

function orderCard(o) {
  return h('li', {class: 'card', dataset: {id: o.id}},
    h('a', {class: 'title', href: '#/orders/' + o.id}, o.title),
    h('div', {class: 'price'}, unitPrice(o.price, o.quantity?.unit)),
    h('div', {class: 'meta'}, `${count(o.quantity?.value)} ${unitName(o.quantity?.unit)} · `,
      t('order.total'), ' ', fen(Math.round(o.price * o.quantity?.value)), ' · ', t('order.status.' + o.status)),
    h('div', {class: 'meta'}, when(o.createdAt)));
}

export default async function mine(view, tab) {
  if (!requireLogin()) return;
  await loadRegions();
  tab = tab || 'bids';
  const u = session.user();
  const list = h('ul', {class: 'cards', id: 'list'});
  const more = h('div', {});
  add(view, 
    h('h1', {}, t('mine.title')),
    h('p', {}, u.name, ' · ', u.phone, ' · ', u.roles.map((r) => t('role.' + r)).join('、')),
    links(),
    tabs(Object.entries(lists).map(([k, [, key]]) => ['#/mine/' + k, key]), '#/mine/' + tab),
    list, more,
    h('p', {}, h('button', {type: 'button', class: 'secondary', id: 'logout', onclick: async () => {
      try { await api('POST', '/auth/logout'); } catch { /* the token is dropped anyway */ }
      session.clear();
      location.hash = '#/';
    }}, t('nav.logout'))));
  const [path] = lists[tab];
  async function load(cursor) {
    try {
      const r = await api('GET', path, {query: {limit: 30, cursor}});
      list.append(...r.items.map(tab === 'orders' ? orderCard : auctionCard));
      if (!list.children.length) list.append(h('li', {class: 'meta'}, t('mine.empty')));
      mount(more, moreButton(r.next, load));
    } catch (e) { showError(list, e); }
  }
  await load();
}

// order: one deal with the other party's contact (订单).
export async function order(view, id) {
  if (!requireLogin()) return;
  const o = await api('GET', '/orders/' + id);
  const me = session.user();
  const c = o.counterparty || {};
  add(view, h('h1', {}, t('order.title')),
    h('div', {class: 'card'},
      h('a', {class: 'title', href: '#/auctions/' + o.auction}, o.title),
      h('div', {class: 'bigprice'}, unitPrice(o.price, o.quantity.unit)),
      h('dl', {class: 'kv'},
        h('dt', {}, t('auction.quantity')), h('dd', {}, `${count(o.quantity.value)} ${unitName(o.quantity.unit)}`),
        h('dt', {}, t('order.total')), h('dd', {}, fen(Math.round(o.price * o.quantity.value))),
        h('dt', {}, t('order.role')), h('dd', {}, t(o.seller === me.id ? 'order.youSell' : 'order.youBuy')),
        h('dt', {}, t('order.counterparty')), h('dd', {}, c.name || '—'),
        h('dt', {}, t('order.phone')), h('dd', {}, c.phone ? h('a', {href: 'tel:' + c.phone}, c.phone) : '—'),
        h('dt', {}, t('auction.terms')), h('dd', {}, [o.terms?.pickup && t('auction.pickup'), o.terms?.delivery && t('auction.delivery')].filter(Boolean).join(' / ') || '—'),
        h('dt', {}, t('order.statusLabel')), h('dd', {}, t('order.status.' + o.status)),
        h('dt', {}, t('order.created')), h('dd', {}, when(o.createdAt)))));
}
