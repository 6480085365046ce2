// 12316 Q&A knowledge search (农技问答): answered hotline questions.
import {h, add, mount, field} from '../dom.js';
import {t} from '../i18n.js';
import {api} from '../api.js';
import {day} from '../money.js';
import {requireLogin, showError, moreButton} from '../ui.js';
import {loadRegions, regionName} from '../regions.js';

export default async function knowledge(view) {
  if (!requireLogin()) return;
  await loadRegions();
  const q = h('input', {name: 'q', type: 'search', placeholder: t('knowledge.ph')});
  const crop = h('input', {name: 'crop'});
  const list = h('ul', {class: 'cards', id: 'answers', style: 'grid-template-columns:1fr'});
  const more = h('div');
  const f = h('form', {role: 'search'}, field(t('knowledge.q'), q), field(t('knowledge.crop'), crop),
    h('button', {type: 'submit', class: 'wide'}, t('knowledge.search')));
  async function load(cursor) {
    try {
      const r = await api('GET', '/knowledge', {query: {q: q.value.trim(), crop: crop.value.trim(), limit: 20, cursor}});
      if (!cursor) list.replaceChildren();
      list.append(...r.items.map((k) => h('li', {class: 'card'},
        h('details', {}, h('summary', {style: 'font-weight:700;min-height:44px'}, k.question),
          h('p', {style: 'white-space:pre-wrap'}, k.answer)),
        h('div', {class: 'meta'}, [k.category, k.crop, k.region && regionName(k.region), k.expert && t('knowledge.expert', {n: k.expert}), day(k.time)].filter(Boolean).join(' · ')))));
      if (!list.children.length) list.append(h('li', {class: 'meta'}, t('knowledge.none')));
      mount(more, moreButton(r.next, load));
    } catch (e) { showError(list, e); }
  }
  f.addEventListener('submit', (e) => { e.preventDefault(); load(); });
  add(view, h('h1', {}, t('knowledge.title')), f, list, more);
  await load();
}
