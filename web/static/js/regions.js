// Liaoning's cities and counties (GB/T 2260), from regions.json, which a Go
// test generates from package farmers/regions (there is no regions API).
import {h} from './dom.js';
import {t, lang} from './i18n.js';

let data = null;
let byCode = null;

export async function loadRegions() {
  if (data) return data;
  const res = await fetch(new URL('../regions.json', import.meta.url));
  data = await res.json();
  byCode = new Map();
  for (const c of data.cities) {
    byCode.set(c.code, c);
    for (const k of c.counties) byCode.set(k.code, {...k, city: c});
  }
  return data;
}

function nm(r) { return lang() === 'en' ? r.nameEn : r.name; }

// regionName('210602') → "丹东市 元宝区" (after loadRegions).
export function regionName(code) {
  if (!code) return '—';
  const r = byCode?.get(code);
  if (!r) return code;
  return r.city ? `${nm(r.city)} ${nm(r)}` : nm(r);
}

// regionSelect builds a <select> of cities (whole city) and their counties.
// opts: {empty: key of the empty option, or none; cityOnly}
export function regionSelect(name, value, opts = {}) {
  const sel = h('select', {name});
  if (opts.empty) sel.append(h('option', {value: ''}, t(opts.empty)));
  for (const c of data.cities) {
    const g = h('optgroup', {label: nm(c)});
    g.append(h('option', {value: c.code}, nm(c) + (opts.cityOnly ? '' : ' · ' + t('region.whole'))));
    if (!opts.cityOnly) for (const k of c.counties) g.append(h('option', {value: k.code}, nm(k)));
    sel.append(g);
  }
  sel.value = value || '';
  return sel;
}
