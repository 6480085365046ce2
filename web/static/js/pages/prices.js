// Prices (价格行情): the latest board, and a commodity's prices over time
// as a chart drawn from /prices/series.
import {h, add, mount, field} from '../dom.js';
import {t, unitName} from '../i18n.js';
import {api} from '../api.js';
import {unitPrice, fen, shanghaiLocal, day} from '../money.js';
import {priceChart} from '../chart.js';
import {requireLogin, showError} from '../ui.js';
import {loadRegions, regionName} from '../regions.js';

export default async function prices(view) {
  if (!requireLogin()) return; // the data API takes a session or an API key
  await loadRegions();
  const today = shanghaiLocal(new Date()).slice(0, 10);
  const ago = shanghaiLocal(new Date(Date.now() - 90 * 864e5)).slice(0, 10);
  const commodity = h('input', {name: 'commodity', list: 'commodities', required: true});
  const period = h('select', {name: 'period'}, ['day', 'week', 'month'].map((p) => h('option', {value: p}, t('prices.' + p))));
  const from = h('input', {name: 'from', type: 'date', value: ago});
  const to = h('input', {name: 'to', type: 'date', value: today});
  const unitSel = h('select', {name: 'unit'});
  const out = h('div', {id: 'chart-out', 'aria-live': 'polite'});
  const datalist = h('datalist', {id: 'commodities'});
  const f = h('form', {role: 'search'},
    field(t('prices.commodity'), commodity),
    h('div', {class: 'row'}, field(t('prices.period'), period), field(t('prices.from'), from), field(t('prices.to'), to)),
    h('button', {type: 'submit', class: 'wide'}, t('prices.show')));
  let series = null;
  function draw() {
    const unit = unitSel.value;
    const items = series.items.filter((i) => i.unit === unit);
    const title = t('prices.chartTitle', {c: series.commodity, u: unitName(unit)});
    mount(out,
      unitSel.options.length > 1 ? field(t('prices.unit'), unitSel) : null,
      h('h2', {}, title),
      priceChart(items, title, t('prices.perUnit', {u: unitName(unit)})),
      h('p', {class: 'meta'}, t('prices.legend')),
      h('details', {}, h('summary', {}, t('prices.table')), h('div', {class: 'scroll'}, h('table', {},
        h('thead', {}, h('tr', {}, ['prices.periodCol', 'prices.min', 'prices.avg', 'prices.max', 'prices.count'].map((k) => h('th', {scope: 'col'}, t(k))))),
        h('tbody', {}, items.map((i) => h('tr', {}, h('td', {}, i.period), h('td', {}, fen(i.minPrice)), h('td', {}, fen(i.avgPrice)), h('td', {}, fen(i.maxPrice)), h('td', {}, String(i.count)))))))));
  }
  unitSel.addEventListener('change', draw);
  f.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (!commodity.value.trim()) { commodity.focus(); return; }
    try {
      series = await api('GET', '/prices/series', {query: {commodity: commodity.value.trim(), period: period.value, from: from.value, to: to.value}});
      if (!series.items.length) { mount(out, h('p', {class: 'notice'}, t('prices.none'))); return; }
      const units = [...new Set(series.items.map((i) => i.unit))];
      mount(unitSel, units.map((u) => h('option', {value: u}, unitName(u))));
      draw();
    } catch (err) { showError(out, err); }
  });

  const board = h('div', {class: 'scroll'});
  add(view, h('h1', {}, t('prices.title')), f, datalist, out, h('h2', {}, t('prices.board')), board);
  try {
    const b = await api('GET', '/prices/board');
    mount(datalist, [...new Set(b.items.map((i) => i.commodity))].map((c) => h('option', {value: c})));
    mount(board, b.items.length ? h('table', {},
      h('thead', {}, h('tr', {}, ['prices.commodity', 'prices.market', 'prices.avg', 'prices.date'].map((k) => h('th', {scope: 'col'}, t(k))))),
      h('tbody', {}, b.items.map((i) => h('tr', {},
        h('td', {}, h('a', {href: '#/prices', onclick: (e) => { e.preventDefault(); commodity.value = i.commodity; f.requestSubmit(); }}, i.commodity + (i.variety ? ' · ' + i.variety : ''))),
        h('td', {}, i.market, h('br'), h('span', {class: 'meta'}, regionName(i.region))),
        h('td', {}, h('strong', {}, unitPrice(i.avgPrice, i.unit))),
        h('td', {}, day(i.date + 'T12:00:00+08:00')))))) : h('p', {class: 'meta'}, t('prices.none')));
    if (b.items[0]) { commodity.value = b.items[0].commodity; f.requestSubmit(); }
  } catch (err) { showError(board, err); }
}
