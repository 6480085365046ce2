// One auction, live (竞拍详情): the lot, the current price in large type,
// a countdown on the server's clock, the bid history, one-tap bids, a custom
// amount, a proxy maximum, and whether you lead — all kept current by the
// auction's websocket, which reconnects by itself.
import {h, add, mount, field} from '../dom.js';
import {t, unitName} from '../i18n.js';
import {api, session, newKey} from '../api.js';
import {unitPrice, fen, toFen, when, clock, count, duration} from '../money.js';
import {AuctionSocket} from '../ws.js';
import {errorText, statusBadge, who, toast} from '../ui.js';
import {loadRegions, regionName} from '../regions.js';

// step(a, p): the increment at price p (the increment table's band wins).
export function step(a, p) {
  let s = a.increment;
  for (const b of a.incrementTable || []) if (p >= b.from) s = b.step;
  return s;
}

// nextMin: the least good amount a new bid may have (see market/rules.go).
export function nextMin(a) {
  if (!a.seq) return a.startPrice;
  return a.kind === 'buy' ? a.price - step(a, a.price) : a.price + step(a, a.price);
}

// quickBid: the amount of the "+k steps" button.
export function quickBid(a, k) {
  const s = step(a, a.seq ? a.price : a.startPrice) * (k - 1);
  return a.kind === 'buy' ? nextMin(a) - s : nextMin(a) + s;
}

const connIcon = {open: '●', connecting: '◌', closed: '✕'};

export default async function auction(view, id) {
  const [a] = await Promise.all([api('GET', '/auctions/' + id), loadRegions()]);
  const me = session.user();
  const unit = a.quantity.unit;
  let offset = a.serverTime ? Date.parse(a.serverTime) - Date.now() : 0; // server − phone clock
  const bids = new Map(); // seq → bid
  let iBid = false; // have I bid on it (from the history)
  let proxyMax = null;

  const el = {
    status: h('span', {id: 'status'}),
    conn: h('span', {id: 'conn', class: 'conn connecting', role: 'status', 'aria-live': 'polite'}),
    price: h('div', {id: 'price', class: 'bigprice'}),
    priceLabel: h('div', {class: 'meta'}),
    countdown: h('div', {id: 'countdown', class: 'countdown', role: 'timer'}),
    endsAt: h('div', {class: 'meta', id: 'ends-at'}),
    standing: h('div', {id: 'standing', class: 'standing', role: 'status', 'aria-live': 'polite'}),
    result: h('div', {id: 'result', 'aria-live': 'polite'}),
    quick: h('div', {class: 'bidbar', id: 'quick'}),
    msg: h('div', {id: 'bid-msg', role: 'alert'}),
    history: h('ol', {class: 'history', id: 'history', reversed: true}),
    count: h('span', {id: 'bid-count'}),
  };

  // --- forms: custom amount and proxy maximum ---
  const amountIn = h('input', {name: 'amount', id: 'amount', inputmode: 'decimal', autocomplete: 'off', placeholder: '0.00'});
  const custom = h('form', {class: 'row', id: 'custom-bid'},
    field(t('auction.customAmount', {unit: unitName(unit)}), amountIn),
    h('div', {class: 'field', style: 'align-self:end;flex:0 1 auto'}, h('button', {type: 'submit'}, t('auction.bid'))));
  custom.addEventListener('submit', (e) => {
    e.preventDefault();
    const v = toFen(amountIn.value);
    if (!v) { el.msg.replaceChildren(h('p', {class: 'notice bad'}, '⚠ ', t('auction.badAmount'))); amountIn.focus(); return; }
    placeBid(v);
  });
  const proxyIn = h('input', {name: 'max', id: 'proxy-max', inputmode: 'decimal', autocomplete: 'off'});
  const proxyNote = h('p', {class: 'hint', id: 'proxy-note'});
  const proxy = h('form', {id: 'proxy'},
    h('details', {}, h('summary', {}, t(a.kind === 'buy' ? 'auction.proxyBuy' : 'auction.proxy')),
      h('p', {class: 'hint'}, t(a.kind === 'buy' ? 'auction.proxyBuyHint' : 'auction.proxyHint')),
      h('div', {class: 'row'}, field(t('auction.proxyMax', {unit: unitName(unit)}), proxyIn),
        h('div', {class: 'field', style: 'align-self:end;flex:0 1 auto'}, h('button', {type: 'submit', class: 'secondary'}, t('auction.proxySet')))),
      proxyNote));
  proxy.addEventListener('submit', async (e) => {
    e.preventDefault();
    const v = toFen(proxyIn.value);
    if (!v) { proxyNote.textContent = '⚠ ' + t('auction.badAmount'); return; }
    try {
      const r = await api('PUT', `/auctions/${id}/proxy`, {body: {max: v}});
      proxyMax = r.proxy.max;
      proxyNote.textContent = '✔ ' + t('auction.proxyStored', {amount: unitPrice(proxyMax, unit)});
      merge(r.auction);
      render();
    } catch (err) { proxyNote.textContent = '⚠ ' + errorText(err); }
  });

  const owner = me && me.id === a.owner;
  const cancelBtn = h('button', {type: 'button', class: 'danger', id: 'cancel', onclick: async () => {
    if (!confirm(t('auction.cancelConfirm'))) return;
    try { merge(await api('POST', `/auctions/${id}/cancel`)); render(); } catch (err) { toast(errorText(err), 'bad'); }
  }}, t('auction.cancel'));

  const canBid = () => me && !owner && liveNow();
  function liveNow() {
    const now = Date.now() + offset;
    if (a.status === 'closed' || a.status === 'cancelled') return false;
    return now >= Date.parse(a.startsAt) && now < Date.parse(a.endsAt);
  }

  function merge(x) {
    for (const k of ['status', 'price', 'leader', 'seq', 'endsAt', 'startsAt', 'result', 'nextMin', 'watchers']) {
      if (x[k] !== undefined) a[k] = x[k];
    }
  }

  function addBid(b) {
    if (bids.has(b.seq)) return;
    bids.set(b.seq, b);
    if (me && b.bidder === me.id) iBid = true;
    el.history.prepend(h('li', {class: me && b.bidder === me.id ? 'mine' : '', dataset: {seq: b.seq}},
      h('span', {}, '#' + b.seq, ' ', who(b.bidder), b.proxy ? ' · ' + t('auction.byProxy') : ''),
      h('strong', {}, unitPrice(b.amount, unit)),
      h('span', {class: 'meta'}, clock(b.at))));
  }

  function placeBid(amount) {
    if (!me) { location.hash = '#/login'; return; }
    const ref = newKey();
    el.msg.replaceChildren(h('p', {class: 'notice'}, '… ', t('auction.sending', {amount: unitPrice(amount, unit)})));
    const viaSocket = sock.bid(amount, ref);
    const viaHTTP = () => api('POST', `/auctions/${id}/bids`, {body: {amount}, headers: {'Idempotency-Key': ref}})
      .then((r) => ({type: 'ack', bid: r.bid, auction: r.auction}), (e) => ({type: 'reject', code: e.code, message: e.message, status: e.status}));
    // A socket that died mid-bid: the same key over HTTP gets the first answer, never a second bid.
    Promise.resolve(viaSocket).then((m) => (!m || m.type === 'timeout' ? viaHTTP() : m)).then((m) => {
      if (m.type === 'ack') {
        addBid(m.bid);
        if (m.auction) merge(m.auction);
        else if (m.bid.seq > a.seq) { a.seq = m.bid.seq; a.price = m.bid.amount; a.leader = m.bid.bidder; }
        el.msg.replaceChildren(h('p', {class: 'notice good'}, '✔ ', t('auction.accepted', {amount: unitPrice(m.bid.amount, unit)})));
        amountIn.value = '';
      } else {
        el.msg.replaceChildren(h('p', {class: 'notice bad'}, '⚠ ', errorText({code: m.code, message: m.message})));
      }
      render();
    });
  }

  function quickButtons() {
    const steps = [1, 2, 5];
    mount(el.quick, steps.map((k) => {
      const amt = quickBid(a, k);
      const ok = canBid() && amt > 0;
      return h('button', {type: 'button', dataset: {steps: k}, disabled: !ok,
        'aria-label': t('auction.bidAria', {amount: unitPrice(amt, unit)}),
        onclick: () => placeBid(amt)},
      h('span', {}, k === 1 ? t('auction.minBid') : t('auction.plusSteps', {k: k - 1})), h('small', {}, fen(amt)));
    }));
  }

  function render() {
    mount(el.status, statusBadge(a.status));
    el.priceLabel.textContent = t(a.seq ? (a.kind === 'buy' ? 'auction.lowestOffer' : 'auction.highestBid') : 'auction.startPrice');
    el.price.textContent = unitPrice(a.price, unit);
    el.count.textContent = t('auction.bids', {n: a.seq});
    el.endsAt.textContent = (a.status === 'scheduled' ? t('auction.startsAt') + ' ' + when(a.startsAt) + ' · ' : '') + t('auction.endsAt') + ' ' + when(a.endsAt);
    // standing: words and an icon, the colour only helps
    let cls = 'standing', txt = '';
    const mine = me && a.leader === me.id;
    if (a.status === 'closed' || a.status === 'cancelled') {
      const r = a.result || {};
      if (a.status === 'cancelled' || r.cancelled) txt = '✕ ' + t('auction.cancelled');
      else if (me && r.winner === me.id) { cls += ' lead'; txt = '★ ' + t('auction.youWon', {amount: unitPrice(r.price, unit)}); }
      else if (r.winner) { txt = '■ ' + t('auction.wonBy', {who: who(r.winner), amount: unitPrice(r.price, unit)}); if (iBid) cls += ' outbid'; }
      else txt = '■ ' + t(r.bids ? 'auction.reserveNotMet' : 'auction.noBids');
      mount(el.result, h('p', {class: 'notice', id: 'winner'}, txt));
    } else if (owner) {
      txt = 'ℹ ' + t('auction.yourAuction');
    } else if (mine) { cls += ' lead'; txt = '✔ ' + t('auction.leading'); }
    else if (iBid) { cls += ' outbid'; txt = '⚠ ' + t('auction.outbid'); }
    else if (!me) txt = t('auction.loginToBid');
    else txt = t('auction.notBidYet');
    el.standing.className = cls;
    el.standing.textContent = txt;
    el.standing.hidden = !txt;
    quickButtons();
    custom.hidden = proxy.hidden = !me || owner || a.status === 'closed' || a.status === 'cancelled';
    cancelBtn.hidden = !owner || a.seq > 0 || a.status === 'closed' || a.status === 'cancelled';
    tick();
  }

  function tick() {
    const now = Date.now() + offset;
    if (a.status === 'closed' || a.status === 'cancelled') {
      el.countdown.textContent = t('auction.ended');
    } else if (now < Date.parse(a.startsAt)) {
      el.countdown.textContent = t('auction.startsIn', {d: duration(Date.parse(a.startsAt) - now)});
    } else if (now < Date.parse(a.endsAt)) {
      el.countdown.textContent = t('auction.remaining', {d: duration(Date.parse(a.endsAt) - now)});
    } else {
      el.countdown.textContent = t('auction.closing');
    }
    const live = canBid();
    if (live !== tick.live) { tick.live = live; quickButtons(); }
  }

  function setConn(s) {
    el.conn.className = 'conn ' + s;
    mount(el.conn, h('span', {'aria-hidden': 'true'}, connIcon[s]), ' ', t('conn.' + s));
    el.conn.dataset.state = s;
  }

  const sock = new AuctionSocket(id, {
    state: setConn,
    message(m) {
      if (m.serverTime) offset = Date.parse(m.serverTime) - Date.now();
      switch (m.type) {
        case 'snapshot': merge(m.auction); break;
        case 'bid':
          addBid(m.bid);
          if (m.bid.seq >= a.seq) { a.seq = m.bid.seq; a.price = m.price; a.leader = m.leader; a.endsAt = m.endsAt; }
          if (a.status === 'scheduled') a.status = 'live';
          break;
        case 'closed':
          a.status = m.result?.cancelled ? 'cancelled' : 'closed';
          a.result = m.result;
          sock.finished();
          break;
        default: return;
      }
      render();
    },
  });
  setConn('connecting');

  const photos = (a.photos || []).map((src, i) => h('img', {class: 'lot-photo', src, alt: t('auction.photoAlt', {n: i + 1, title: a.title}), loading: i ? 'lazy' : 'eager'}));
  const lot = a.lot || {};
  const terms = [lot.terms?.pickup && t('auction.pickup'), lot.terms?.delivery && t('auction.delivery')].filter(Boolean).join(' / ');
  const dl = h('dl', {class: 'kv'},
    h('dt', {}, t('auction.kind')), h('dd', {}, t('kind.' + a.kind)),
    h('dt', {}, t('auction.commodity')), h('dd', {}, a.commodity),
    h('dt', {}, t('auction.quantity')), h('dd', {}, `${count(a.quantity.value)} ${unitName(unit)}`),
    lot.variety ? [h('dt', {}, t('auction.variety')), h('dd', {}, lot.variety)] : null,
    lot.grade ? [h('dt', {}, t('auction.grade')), h('dd', {}, lot.grade)] : null,
    lot.origin ? [h('dt', {}, t('auction.origin')), h('dd', {}, regionName(lot.origin))] : null,
    lot.harvestDate ? [h('dt', {}, t('auction.harvest')), h('dd', {}, lot.harvestDate)] : null,
    terms ? [h('dt', {}, t('auction.terms')), h('dd', {}, terms)] : null,
    h('dt', {}, t('auction.startPrice')), h('dd', {}, unitPrice(a.startPrice, unit)),
    h('dt', {}, t('auction.increment')), h('dd', {}, fen(a.increment)),
    a.hasReserve ? [h('dt', {}, t('auction.reserve')), h('dd', {}, owner && a.reservePrice ? unitPrice(a.reservePrice, unit) : t('auction.hasReserve'))] : null,
    a.extendSeconds ? [h('dt', {}, t('auction.softClose')), h('dd', {}, t('auction.softCloseText', {s: a.extendSeconds}))] : null,
    owner && a.watchers != null ? [h('dt', {}, t('auction.watchers')), h('dd', {}, String(a.watchers))] : null);

  add(view, 
    h('h1', {id: 'title'}, a.title),
    h('div', {class: 'row', style: 'align-items:center'}, h('div', {}, el.status, ' ', el.conn)),
    h('div', {class: 'auction-grid'},
      h('section', {'aria-labelledby': 'price-h'},
        photos[0] || null,
        h('h2', {id: 'price-h', class: 'meta', style: 'margin:8px 0 0;font-size:1rem'}, el.priceLabel),
        el.price, el.countdown, el.endsAt, el.standing, el.result,
        el.quick, el.msg, custom, proxy,
        owner ? cancelBtn : null,
        !me ? h('p', {}, h('a', {class: 'btn', href: '#/login', onclick: () => sessionStorage.setItem('agri.after', location.hash)}, t('nav.login'))) : null),
      h('section', {},
        h('h2', {}, t('auction.lot')), dl,
        lot.description ? h('p', {}, lot.description) : null,
        photos.slice(1),
        h('h2', {}, t('auction.history'), ' (', el.count, ')'), el.history)));
  render();
  const timer = setInterval(tick, 250);
  return () => { clearInterval(timer); sock.stop(); };
}

