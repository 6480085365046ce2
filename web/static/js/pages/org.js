// Organisations (接入机构): apply for API access; once approved, the
// organisation's API keys (create, rotate, revoke) and its usage.
import {h, add, mount, field, showFieldErrors} from '../dom.js';
import {t} from '../i18n.js';
import {api, session} from '../api.js';
import {when, count} from '../money.js';
import {requireLogin, showError, errorText, toast} from '../ui.js';

const SCOPES = ['prices:read', 'knowledge:read', 'supply:read', 'supply:write', 'registry:read'];
const AUDIENCES = ['buyer', 'finance', 'research', 'government', 'enterprise'];

function applyForm(done) {
  const u = session.user();
  const msg = h('div', {role: 'alert'});
  const f = h('form', {novalidate: true},
    field(t('org.name'), h('input', {name: 'orgName', maxlength: 100})),
    field(t('org.audience'), h('select', {name: 'audience'}, AUDIENCES.map((a) => h('option', {value: a}, t('audience.' + a))))),
    field(t('org.contactName'), h('input', {name: 'contactName', value: u.name, maxlength: 50})),
    field(t('org.contactPhone'), h('input', {name: 'contactPhone', type: 'tel', value: u.phone})),
    field(t('org.purpose'), h('textarea', {name: 'purpose', maxlength: 2000})),
    h('fieldset', {class: 'field'}, h('legend', {}, t('org.scopes')),
      SCOPES.map((s) => h('label', {class: 'check'}, h('input', {type: 'checkbox', name: 'scopes', value: s}), t('scope.' + s)))),
    msg, h('button', {type: 'submit', class: 'wide'}, t('org.apply')));
  f.addEventListener('submit', async (e) => {
    e.preventDefault();
    try {
      await api('POST', '/developer/applications', {body: {orgName: f.orgName.value.trim(), audience: f.audience.value,
        contactName: f.contactName.value.trim(), contactPhone: f.contactPhone.value.trim(), purpose: f.purpose.value.trim(),
        scopes: [...f.querySelectorAll('[name=scopes]:checked')].map((i) => i.value)}});
      toast('✔ ' + t('org.applied'));
      done();
    } catch (err) { showFieldErrors(f, err.fields); mount(msg, h('p', {class: 'notice bad'}, '⚠ ', errorText(err))); }
  });
  return f;
}

async function orgPanel(id) {
  const box = h('section', {class: 'card', dataset: {org: id}});
  const keys = h('ul', {class: 'history'});
  const secret = h('div', {'aria-live': 'polite'});
  const usage = h('div', {class: 'scroll'});
  async function loadKeys() {
    const r = await api('GET', `/orgs/${id}/keys`);
    mount(keys, r.items.length ? r.items.map((k) => h('li', {},
      h('span', {}, h('strong', {}, k.name), ' ', h('code', {}, k.prefix + '…'), h('br'),
        h('span', {class: 'meta'}, k.revokedAt ? '✕ ' + t('org.revoked') + ' ' + when(k.revokedAt) : '● ' + t('org.active') + ' · ' + when(k.createdAt))),
      k.revokedAt ? null : h('span', {class: 'row', style: 'flex:0 0 auto'},
        h('button', {type: 'button', class: 'secondary', onclick: async () => {
          try { const n = await api('POST', `/orgs/${id}/keys/${k.id}/rotate`, {body: {graceSeconds: 3600}}); showSecret(n.secret); loadKeys(); } catch (err) { toast(errorText(err), 'bad'); }
        }}, t('org.rotate')),
        h('button', {type: 'button', class: 'danger', onclick: async () => {
          if (!confirm(t('org.revokeConfirm'))) return;
          try { await api('DELETE', `/orgs/${id}/keys/${k.id}`); loadKeys(); } catch (err) { toast(errorText(err), 'bad'); }
        }}, t('org.revoke'))))) : h('li', {class: 'meta'}, t('org.noKeys')));
  }
  function showSecret(s) {
    mount(secret, h('div', {class: 'notice warn'}, '⚠ ', t('org.secretOnce'), h('br'), h('code', {style: 'word-break:break-all', id: 'secret'}, s)));
  }
  const name = h('input', {name: 'keyName', maxlength: 100});
  const kf = h('form', {class: 'row'}, field(t('org.keyName'), name),
    h('div', {class: 'field', style: 'align-self:end;flex:0 1 auto'}, h('button', {type: 'submit'}, t('org.newKey'))));
  kf.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (!name.value.trim()) { name.focus(); return; }
    try { const n = await api('POST', `/orgs/${id}/keys`, {body: {name: name.value.trim()}}); showSecret(n.secret); name.value = ''; loadKeys(); } catch (err) { toast(errorText(err), 'bad'); }
  });
  try {
    const [o, u] = await Promise.all([api('GET', `/orgs/${id}`), api('GET', `/orgs/${id}/usage`)]);
    const org = o.organisation;
    mount(usage, h('p', {}, t('org.today', {used: count(u.usedToday), quota: count(u.quotaPerDay)})),
      u.items.length ? h('table', {}, h('thead', {}, h('tr', {}, h('th', {scope: 'col'}, t('org.day')), h('th', {scope: 'col'}, t('org.scope')), h('th', {scope: 'col'}, t('org.calls')))),
        h('tbody', {}, u.items.map((i) => h('tr', {}, h('td', {}, i.day), h('td', {}, i.scope), h('td', {}, count(i.count)))))) : h('p', {class: 'meta'}, t('org.noUsage')));
    box.append(h('h2', {}, org.name, org.suspended ? ' · ✕ ' + t('org.suspended') : ''),
      h('p', {class: 'meta'}, org.scopes.map((s) => t('scope.' + s)).join('、'), ' · ', t('org.rate', {n: org.ratePerSecond})),
      h('h3', {}, t('org.keys')), keys, secret, kf, h('h3', {}, t('org.usage')), usage);
    await loadKeys();
  } catch (err) { showError(box, err); }
  return box;
}

export default async function org(view) {
  if (!requireLogin()) return;
  const list = h('div', {});
  async function load() {
    try {
      const r = await api('GET', '/developer/applications');
      list.replaceChildren();
      for (const a of r.items) {
        if (a.status === 'approved') list.append(await orgPanel(a.org || a.id));
        else list.append(h('div', {class: 'card'}, h('strong', {}, a.orgName), ' · ',
          a.status === 'pending' ? '◷ ' + t('org.pending') : '✕ ' + t('org.rejected') + (a.reason ? ': ' + a.reason : ''), h('div', {class: 'meta'}, when(a.createdAt))));
      }
      if (!r.items.length) list.append(h('p', {class: 'meta'}, t('org.none')));
    } catch (e) { showError(list, e); }
  }
  add(view, h('h1', {}, t('org.title')), list,
    h('details', {}, h('summary', {class: 'btn secondary'}, '＋ ', t('org.applyTitle')), applyForm(load)));
  await load();
}
