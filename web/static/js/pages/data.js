// 12316 open data (数据): the way to prices, Q&A, supply and demand, and an
// organisation's API keys.
import {h, add} from '../dom.js';
import {t} from '../i18n.js';

export default function data(view) {
  const items = [
    ['#/prices', 'prices.title', 'data.pricesText'],
    ['#/knowledge', 'knowledge.title', 'data.knowledgeText'],
    ['#/supply', 'supply.title', 'data.supplyText'],
    ['#/org', 'org.title', 'data.orgText'],
  ];
  add(view, h('h1', {}, t('data.title')),
    h('ul', {class: 'cards'}, items.map(([href, k, d]) => h('li', {class: 'card'},
      h('a', {class: 'title', href}, t(k)), h('p', {class: 'meta'}, t(d))))));
}
