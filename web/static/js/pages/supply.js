// Supply and demand posts (供求信息): read, filter, and post one.
import {h, add, mount, field, showFieldErrors} from '../dom.js';
import {t, UNITS} from '../i18n.js';
import {api, session} from '../api.js';
import {unitPrice, toFen, day, count, shanghaiLocal} from '../money.js';
import {requireLogin, showError, moreButton, errorText, toast} from '../ui.js';
import {loadRegions, regionSelect, regionName} from '../regions.js';

function postForm(done) {
  const msg = h('div', {role: 'alert'});
  const f = h('form', {novalidate: true},
    field(t('supply.kind'), h('select', {name: 'kind'}, h('option', {value: 'supply'}, t('supply.supply')), h('option', {value: 'demand'}, t('supply.demand')))),
    field(t('create.titleField'), h('input', {name: 'title', maxlength: 100})),
    h('div', {class: 'row'}, field(t('create.commodity'), h('input', {name: 'commodity', maxlength: 50})),
      field(t('create.variety'), h('input', {name: 'variety', maxlength: 50}))),
    h('div', {class: 'row'}, field(t('create.quantity'), h('input', {name: 'qty', inputmode: 'decimal'})),
      field(t('create.unit'), h('input', {name: 'unit', maxlength: 10, value: UNITS[0]}))),
    field(t('supply.price'), h('input', {name: 'price', inputmode: 'decimal'}), t('supply.priceHint')),
    field(t('supply.region'), regionSelect('region', '')),
    field(t('supply.validUntil'), h('input', {name: 'validUntil', type: 'date', value: shanghaiLocal(new Date(Date.now() + 30 * 864e5)).slice(0, 10)})),
    field(t('create.description'), h('textarea', {name: 'description', maxlength: 2000})),
    msg, h('button', {type: 'submit', class: 'wide'}, t('supply.post')));
  f.addEventListener('submit', async (e) => {
    e.preventDefault();
    const price = f.price.value.trim() ? toFen(f.price.value) : undefined;
    try {
      await api('POST', '/supply', {body: {kind: f.kind.value, title: f.title.value.trim(), commodity: f.commodity.value.trim(),
        variety: f.variety.value.trim() || undefined, quantity: {value: Number(f.qty.value), unit: f.unit.value.trim()},
        price: price || undefined, region: f.region.value, validUntil: f.validUntil.value, description: f.description.value.trim() || undefined}});
      toast('✔ ' + t('supply.posted'));
      done();
    } catch (err) {
      showFieldErrors(f, err.fields);
      mount(msg, h('p', {class: 'notice bad'}, '⚠ ', errorText(err)));
    }
  });
  return f;
}

export default async function supply(view) {
  if (!requireLogin()) return;
  await loadRegions();
  const kind = h('select', {name: 'kind'}, h('option', {value: ''}, t('kind.all')),
    h('option', {value: 'supply'}, t('supply.supply')), h('option', {value: 'demand'}, t('supply.demand')));
  const commodity = h('input', {name: 'commodity', type: 'search'});
  const region = regionSelect('region', '', {empty: 'region.all'});
  const list = h('ul', {class: 'cards', id: 'posts'});
  const more = h('div');
  const f = h('form', {class: 'row', role: 'search'}, field(t('supply.kind'), kind), field(t('market.commodity'), commodity), field(t('market.region'), region));
  async function load(cursor) {
    try {
      const r = await api('GET', '/supply', {query: {kind: kind.value, commodity: commodity.value.trim(), region: region.value, status: 'open', limit: 30, cursor}});
      if (!cursor) list.replaceChildren();
      list.append(...r.items.map((p) => h('li', {class: 'card'},
        h('div', {}, h('span', {class: 'badge'}, t('supply.' + p.kind)), ' ', h('strong', {}, p.title)),
        h('div', {class: 'price'}, p.price == null ? t('supply.negotiable') : unitPrice(p.price, p.quantity.unit)),
        h('div', {class: 'meta'}, `${p.commodity}${p.variety ? ' · ' + p.variety : ''} · ${count(p.quantity.value)} ${p.quantity.unit} · ${regionName(p.region)}`),
        p.description ? h('p', {}, p.description) : null,
        h('div', {class: 'meta'}, p.contact.name, ' ', h('a', {href: 'tel:' + p.contact.phone}, p.contact.phone), ' · ', t('supply.until', {d: day(p.validUntil + 'T12:00:00+08:00')})))));
      if (!list.children.length) list.append(h('li', {class: 'meta'}, t('supply.none')));
      mount(more, moreButton(r.next, load));
    } catch (e) { showError(list, e); }
  }
  f.addEventListener('change', () => load());
  f.addEventListener('submit', (e) => { e.preventDefault(); load(); });
  add(view, h('h1', {}, t('supply.title')), f, list, more,
    session.user() ? h('details', {}, h('summary', {class: 'btn secondary'}, '＋ ', t('supply.new')), postForm(() => load())) : null);
  await load();
}
