// Administration (管理): users and their roles; dataset imports and their
// row reports.
import {h, add, mount, field} from '../dom.js';
import {t, lang} from '../i18n.js';
import {api} from '../api.js';
import {when, count} from '../money.js';
import {requireLogin, showError, errorText, toast, tabs, moreButton} from '../ui.js';

const ROLES = ['farmer', 'buyer', 'organizer', 'judge', 'admin'];

export default async function admin(view) {
  if (!requireLogin()) return;
  const phone = h('input', {name: 'phone', type: 'search', inputmode: 'numeric', maxlength: 11});
  const role = h('select', {name: 'role'}, h('option', {value: ''}, t('admin.anyRole')), ROLES.map((r) => h('option', {value: r}, t('role.' + r))));
  const list = h('ul', {class: 'cards', id: 'users'});
  const more = h('div');
  const f = h('form', {class: 'row', role: 'search'}, field(t('admin.phonePrefix'), phone), field(t('admin.role'), role));
  function userCard(u) {
    const boxes = ROLES.map((r) => h('label', {class: 'check'}, h('input', {type: 'checkbox', value: r, checked: u.roles.includes(r)}), t('role.' + r)));
    const save = h('button', {type: 'button', class: 'secondary', onclick: async () => {
      const roles = boxes.map((b) => b.querySelector('input')).filter((i) => i.checked).map((i) => i.value);
      try { await api('PUT', `/users/${u.id}/roles`, {body: {roles}}); toast('✔ ' + t('admin.saved')); } catch (err) { toast(errorText(err), 'bad'); }
    }}, t('admin.saveRoles'));
    return h('li', {class: 'card', dataset: {id: u.id}}, h('strong', {}, u.name), ' ', h('span', {class: 'meta'}, u.phone, ' · ', when(u.createdAt)),
      h('fieldset', {}, h('legend', {}, t('admin.roles')), boxes), save);
  }
  async function load(cursor) {
    try {
      const r = await api('GET', '/users', {query: {phone: phone.value.trim(), role: role.value, limit: 30, cursor}});
      if (!cursor) list.replaceChildren();
      list.append(...r.items.map(userCard));
      mount(more, moreButton(r.next, load));
    } catch (e) { showError(list, e); }
  }
  f.addEventListener('input', () => load());
  f.addEventListener('submit', (e) => { e.preventDefault(); load(); });
  add(view, h('h1', {}, t('admin.title')), tabs([['#/admin', 'admin.users'], ['#/admin/imports', 'admin.imports']], '#/admin'), f, list, more);
  await load();
}

export async function imports(view) {
  if (!requireLogin()) return;
  const ds = await api('GET', '/datasets').catch(() => ({items: []}));
  const jobs = h('div', {id: 'imports'});
  const file = h('input', {type: 'file', name: 'file', accept: '.csv,.xlsx,.xls,text/csv'});
  const name = h('select', {name: 'dataset'}, ds.items.map((d) => h('option', {value: d.name}, (lang() === 'en' && d.titleEn) || d.title || d.name)));
  const up = h('form', {}, field(t('admin.dataset'), name), field(t('admin.file'), file), h('button', {type: 'submit'}, t('admin.import')));
  up.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (!file.files[0]) { file.focus(); return; }
    try {
      await api('POST', `/datasets/${encodeURIComponent(name.value)}/imports`, {raw: file.files[0], query: {filename: file.files[0].name}});
      toast('✔ ' + t('admin.importStarted'));
      load();
    } catch (err) { toast(errorText(err), 'bad'); }
  });
  async function rows(id, box) {
    try {
      const r = await api('GET', `/imports/${id}/rows`, {query: {limit: 100}});
      mount(box, r.items.length ? h('table', {}, h('thead', {}, h('tr', {}, h('th', {}, t('admin.row')), h('th', {}, t('admin.outcome')), h('th', {}, t('admin.detail')))),
        h('tbody', {}, r.items.map((x) => h('tr', {}, h('td', {}, String(x.row)), h('td', {}, (x.outcome === 'rejected' ? '✕ ' : '✔ ') + t('admin.outcome.' + x.outcome)),
          h('td', {}, Object.entries(x.reasons || {}).map(([k, v]) => `${k}: ${v}`).join('; ')))))) : h('p', {class: 'meta'}, t('admin.noRows')));
    } catch (err) { showError(box, err); }
  }
  async function load() {
    try {
      const r = await api('GET', '/imports', {query: {limit: 30}});
      const items = r.items || []; // an empty job list comes as null
      mount(jobs, items.length ? items.map((j) => {
        const box = h('div', {class: 'scroll'});
        const rep = j.report || {};
        return h('details', {class: 'card', dataset: {id: j.id}}, h('summary', {style: 'min-height:44px'},
          `${j.dataset} · ${j.filename || ''} · ${t('admin.state.' + j.state)}${j.dryRun ? ' · ' + t('admin.dryRun') : ''} · ${when(j.startedAt)}`),
          h('p', {}, t('admin.report', {rows: count(rep.rows), imported: count(rep.imported), updated: count(rep.updated), unchanged: count(rep.unchanged), rejected: count(rep.rejected)})),
          j.error ? h('p', {class: 'notice bad'}, '⚠ ', j.error.message) : null, box,
        h('button', {type: 'button', class: 'secondary', onclick: () => rows(j.id, box)}, t('admin.showRows')));
      }) : h('p', {class: 'meta'}, t('admin.noImports')));
    } catch (err) { showError(jobs, err); }
  }
  add(view, h('h1', {}, t('admin.title')), tabs([['#/admin', 'admin.users'], ['#/admin/imports', 'admin.imports']], '#/admin/imports'), up, h('h2', {}, t('admin.recent')), jobs);
  await load();
}
