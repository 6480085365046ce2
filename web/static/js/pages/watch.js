// Watch board (看板): several live auctions on one screen, each kept live by
// its own socket — for buyers following many lots at once.
import {h, add, mount} from '../dom.js';
import {t} from '../i18n.js';
import {api, session} from '../api.js';
import {unitPrice, duration} from '../money.js';
import {AuctionSocket} from '../ws.js';
import {showError, statusBadge} from '../ui.js';

const KEY = 'agri.watch';
const MAX = 12;

function chosen() {
  try { return JSON.parse(localStorage.getItem(KEY)) || []; } catch { return []; }
}

export default async function watch(view) {
  let live;
  try { live = (await api('GET', '/auctions', {query: {status: 'live', limit: 100}})).items; } catch (e) { showError(view, e); return; }
  let ids = chosen().filter((id) => live.some((a) => a.id === id));
  if (!ids.length) ids = live.slice(0, 6).map((a) => a.id);
  const board = h('ul', {class: 'board', id: 'board', style: 'list-style:none;padding:0'});
  const socks = [];
  let offset = 0;
  const cards = [];
  const me = session.user();

  function card(a) {
    const price = h('div', {class: 'price'});
    const left = h('div', {class: 'countdown', style: 'font-size:1.1rem', role: 'timer'});
    const state = h('div', {class: 'meta'});
    const conn = h('span', {class: 'meta'});
    const st = h('span', {});
    const li = h('li', {class: 'card', dataset: {id: a.id}},
      h('a', {class: 'title', href: '#/auctions/' + a.id}, a.title), st, ' ', conn, price, left, state);
    const draw = () => {
      mount(st, statusBadge(a.status));
      price.textContent = unitPrice(a.price, a.quantity.unit);
      const lead = me && a.leader === me.id;
      state.textContent = a.status === 'closed' ? (me && a.result?.winner === me.id ? '★ ' + t('auction.youWonShort') : '■ ' + t('auction.ended'))
        : lead ? '✔ ' + t('auction.leading') : (a.iBid ? '⚠ ' + t('auction.outbid') : t('auction.bids', {n: a.seq}));
    };
    const tick = () => {
      left.textContent = a.status === 'closed' ? '' : t('auction.remaining', {d: duration(Date.parse(a.endsAt) - (Date.now() + offset))});
    };
    const s = new AuctionSocket(a.id, {
      state: (x) => { conn.textContent = ({open: '● ', connecting: '◌ ', closed: '✕ '})[x] + t('conn.' + x); conn.dataset.state = x; },
      message(m) {
        if (m.serverTime) offset = Date.parse(m.serverTime) - Date.now();
        if (m.type === 'snapshot') Object.assign(a, m.auction);
        else if (m.type === 'bid') {
          a.price = m.price; a.leader = m.leader; a.endsAt = m.endsAt; a.seq = m.bid.seq;
          if (me && m.bid.bidder === me.id) a.iBid = true;
        } else if (m.type === 'closed') { a.status = 'closed'; a.result = m.result; s.finished(); }
        draw(); tick();
      },
    });
    socks.push(s);
    draw(); tick();
    cards.push(tick);
    return li;
  }

  const pick = h('fieldset', {}, h('legend', {}, t('watch.pick', {n: MAX})),
    live.map((a) => h('label', {class: 'check'},
      h('input', {type: 'checkbox', name: 'watch', value: a.id, checked: ids.includes(a.id)}), a.title)));
  pick.addEventListener('change', () => {
    const sel = [...pick.querySelectorAll('input:checked')].map((i) => i.value).slice(0, MAX);
    localStorage.setItem(KEY, JSON.stringify(sel));
    dispatchEvent(new HashChangeEvent('hashchange')); // re-render with the new set
  });
  add(view, h('h1', {}, t('watch.title')),
    live.length ? h('details', {}, h('summary', {}, t('watch.choose')), pick) : h('p', {class: 'meta'}, t('market.none')),
    board);
  board.append(...live.filter((a) => ids.includes(a.id)).map(card));
  const timer = setInterval(() => cards.forEach((f) => f()), 500);
  return () => { clearInterval(timer); socks.forEach((s) => s.stop()); };
}
