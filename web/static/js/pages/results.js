// Public contest results (获奖名单): the published snapshot, prize winners
// first. No sign-in needed.
import {h, add} from '../dom.js';
import {t} from '../i18n.js';
import {api} from '../api.js';
import {when} from '../money.js';
import {loadRegions, regionName} from '../regions.js';

export default async function results(view, id) {
  await loadRegions();
  let r;
  try { r = await api('GET', `/contest/editions/${id}/results`); } catch (e) {
    if (e.code === 'not_published' || e.status === 404) { add(view, h('h1', {}, t('results.title')), h('p', {class: 'notice', id: 'not-published'}, '◷ ', t('results.notYet'))); return; }
    throw e;
  }
  add(view, h('h1', {}, `${r.year} ${r.name} · ${t('results.title')}`),
    h('p', {class: 'meta'}, t('results.published', {t: when(r.publishedAt)})),
    h('div', {class: 'scroll'}, h('table', {id: 'results'},
      h('thead', {}, h('tr', {}, ['results.place', 'results.entry', 'results.track', 'results.region', 'results.award'].map((k) => h('th', {scope: 'col'}, t(k))))),
      h('tbody', {}, r.entries.map((e) => h('tr', {},
        h('td', {}, e.place ? String(e.place) : '—'),
        h('td', {}, h('strong', {}, e.title)),
        h('td', {}, e.track),
        h('td', {}, regionName(e.region)),
        h('td', {}, e.award ? '★ ' + e.award : (e.rounds || []).join(' → '))))))));
}
