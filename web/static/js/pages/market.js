// Market (竞拍大厅): live and upcoming auctions, filtered by commodity,
// region and kind.
import {h, add, mount, field} from '../dom.js';
import {t, unitName} from '../i18n.js';
import {api, session} from '../api.js';
import {unitPrice, when, count} from '../money.js';
import {loadRegions, regionSelect, regionName} from '../regions.js';
import {showError, statusBadge, moreButton} from '../ui.js';

// auctionCard is shared by the lists of "mine".
export function auctionCard(a) {
  return h('li', {class: 'card', dataset: {id: a.id}},
    h('a', {class: 'title', href: '#/auctions/' + a.id}, a.title),
    h('div', {class: 'row'},
      h('div', {}, statusBadge(a.status), ' ', h('span', {class: 'meta'}, t('kind.' + a.kind))),
      h('div', {class: 'price', 'aria-label': t('auction.price')}, unitPrice(a.price, a.quantity?.unit))),
    h('div', {class: 'meta'},
      `${a.commodity} · ${count(a.quantity?.value)} ${unitName(a.quantity?.unit)} · ${regionName(a.lot?.origin)}`),
    h('div', {class: 'meta'}, a.status === 'scheduled' ? t('auction.startsAt') + ' ' + when(a.startsAt)
      : t('auction.endsAt') + ' ' + when(a.endsAt), ' · ', t('auction.bids', {n: a.seq})));
}

export default async function market(view) {
  await loadRegions();
  const q = new URLSearchParams(sessionStorage.getItem('agri.marketFilter') || 'status=live');
  const status = h('select', {name: 'status'},
    h('option', {value: 'live'}, t('status.live')), h('option', {value: 'scheduled'}, t('status.scheduled')),
    h('option', {value: 'closed'}, t('status.closed')));
  status.value = q.get('status') || 'live';
  const kind = h('select', {name: 'kind'}, h('option', {value: ''}, t('kind.all')),
    h('option', {value: 'sell'}, t('kind.sell')), h('option', {value: 'buy'}, t('kind.buy')));
  kind.value = q.get('kind') || '';
  const commodity = h('input', {name: 'commodity', type: 'search', value: q.get('commodity') || '', placeholder: t('market.commodityPh')});
  const region = regionSelect('region', q.get('region') || '', {empty: 'region.all'});
  const list = h('ul', {class: 'cards', id: 'auctions', 'aria-live': 'polite'});
  const more = h('div', {});
  const form = h('form', {class: 'row', role: 'search'},
    field(t('market.status'), status), field(t('market.kind'), kind),
    field(t('market.commodity'), commodity), field(t('market.region'), region));

  async function load(cursor) {
    const query = {status: status.value, kind: kind.value, commodity: commodity.value.trim(), region: region.value, limit: 30, cursor};
    sessionStorage.setItem('agri.marketFilter', new URLSearchParams(
      Object.entries(query).filter(([k, v]) => v && k !== 'cursor' && k !== 'limit')).toString());
    try {
      const r = await api('GET', '/auctions', {query});
      if (!cursor) list.replaceChildren();
      list.append(...r.items.map(auctionCard));
      if (!list.children.length) list.append(h('li', {class: 'meta'}, t('market.none')));
      mount(more, moreButton(r.next, load));
    } catch (e) { showError(list, e); }
  }
  form.addEventListener('change', () => load());
  form.addEventListener('submit', (e) => { e.preventDefault(); load(); });

  const u = session.user();
  add(view, h('h1', {}, t('market.title')),
    u && (u.roles.includes('farmer') || u.roles.includes('buyer'))
      ? h('p', {}, h('a', {class: 'btn', href: '#/new', id: 'new-auction'}, '＋ ', t(u.roles.includes('farmer') ? 'market.newSell' : 'market.newBuy')))
      : null,
    form, list, more);
  await load();
  // Lists are a moment behind the live state; refresh while on screen.
  const timer = setInterval(() => { if (!document.hidden) load(); }, 15000);
  return () => clearInterval(timer);
}
