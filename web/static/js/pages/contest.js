// The agri-maker contest for teams (农业创客大赛): editions, team
// registration with members and attachments, and my entries.
import {h, add, mount, field, showFieldErrors} from '../dom.js';
import {t} from '../i18n.js';
import {api, session} from '../api.js';
import {when, count} from '../money.js';
import {requireLogin, showError, errorText, toast} from '../ui.js';
import {loadRegions, regionSelect, regionName} from '../regions.js';

const STAGES = ['idea', 'startup', 'growing'];
const MEMBER_ROLES = ['leader', 'member', 'advisor'];

function regOpen(ed) {
  const now = Date.now();
  return now >= Date.parse(ed.registration.opens) && now < Date.parse(ed.registration.closes);
}

export default async function contest(view) {
  const r = await api('GET', '/contest/editions');
  const mine = session.user() ? await api('GET', '/contest/me/entries').catch(() => ({items: []})) : {items: []};
  add(view, h('h1', {}, t('contest.title')),
    mine.items.length ? [h('h2', {}, t('contest.myEntries')), h('ul', {class: 'cards', id: 'my-entries'}, mine.items.map((e) => h('li', {class: 'card'},
      h('a', {class: 'title', href: '#/entries/' + e.id}, e.title), h('div', {class: 'meta'}, t('entry.status.' + e.status), ' · ', e.track))))] : null,
    h('h2', {}, t('contest.editions')),
    h('ul', {class: 'cards', id: 'editions'}, [...r.items].reverse().map((ed) => h('li', {class: 'card'},
      h('a', {class: 'title', href: '#/contest/' + ed.id}, `${ed.year} ${ed.name}`),
      h('div', {class: 'meta'}, ed.tracks.join('、')),
      h('div', {class: 'meta'}, regOpen(ed) ? '● ' + t('contest.regOpen') : '■ ' + t('contest.regClosed'), ' · ',
        t('contest.regWindow', {a: when(ed.registration.opens), b: when(ed.registration.closes)}))))),
    !r.items.length ? h('p', {class: 'meta'}, t('contest.none')) : null);
}

export async function edition(view, id) {
  const [ed, rounds] = await Promise.all([api('GET', '/contest/editions/' + id), api('GET', `/contest/editions/${id}/rounds`)]);
  const el = ed.eligibility;
  add(view, h('h1', {}, `${ed.year} ${ed.name}`),
    h('dl', {class: 'kv'},
      h('dt', {}, t('contest.tracks')), h('dd', {}, ed.tracks.join('、')),
      h('dt', {}, t('contest.members')), h('dd', {}, t('contest.memberRange', {a: el.minMembers, b: el.maxMembers})),
      el.maxAge ? [h('dt', {}, t('contest.age')), h('dd', {}, `${el.minAge || 0}–${el.maxAge}`)] : null,
      h('dt', {}, t('contest.registration')), h('dd', {}, t('contest.regWindow', {a: when(ed.registration.opens), b: when(ed.registration.closes)}))),
    regOpen(ed) ? h('p', {}, h('a', {class: 'btn', id: 'register', href: `#/contest/${id}/register`}, t('contest.register'))) : h('p', {class: 'notice'}, '■ ', t('contest.regClosed')),
    h('h2', {}, t('contest.rounds')),
    h('ul', {}, rounds.items.map((r) => h('li', {}, `${r.seq}. ${r.name} · ${t('round.mode.' + r.mode)}`,
      session.has('judge') ? [' · ', h('a', {href: '#/judge/' + r.id}, t('judge.open'))] : null))),
    h('p', {}, h('a', {class: 'btn secondary', href: `#/contest/${id}/results`}, t('results.title'))));
}

function memberRow(m, idx) {
  const row = h('fieldset', {class: 'card member', dataset: {i: idx}},
    h('legend', {}, t('contest.memberN', {n: idx + 1})),
    field(t('contest.mName'), h('input', {name: 'm-name', value: m.name || '', maxlength: 50})),
    field(t('auth.phone'), h('input', {name: 'm-phone', type: 'tel', inputmode: 'numeric', value: m.phone || '', maxlength: 11})),
    field(t('contest.mOrg'), h('input', {name: 'm-org', value: m.org || '', maxlength: 100})),
    field(t('contest.mRole'), h('select', {name: 'm-role'}, MEMBER_ROLES.map((r) => h('option', {value: r, selected: (m.role || (idx ? 'member' : 'leader')) === r}, t('member.' + r))))),
    field(t('contest.mRegion'), regionSelect('m-region', m.region || '')),
    field(t('contest.mBirth'), h('input', {name: 'm-birth', type: 'date', value: m.birthDate || ''})),
    idx ? h('button', {type: 'button', class: 'danger', onclick: () => row.remove()}, t('contest.removeMember')) : null);
  return row;
}

// entryForm: registration and editing of a draft (the same fields).
function entryForm(ed, entry, done) {
  const me = session.user();
  const members = h('div', {id: 'members'});
  const initial = entry?.members?.length ? entry.members : [{name: me.name, phone: me.phone, role: 'leader'}];
  initial.forEach((m, i) => members.append(memberRow(m, i)));
  const msg = h('div', {role: 'alert'});
  const f = h('form', {novalidate: true, id: 'entry-form'},
    field(t('contest.eTitle'), h('input', {name: 'title', maxlength: 100, value: entry?.title || ''})),
    field(t('contest.summary'), h('textarea', {name: 'summary', maxlength: 2000}, entry?.summary || '')),
    field(t('contest.track'), h('select', {name: 'track'}, ed.tracks.map((x) => h('option', {value: x, selected: entry?.track === x}, x)))),
    field(t('contest.stage'), h('select', {name: 'stage'}, STAGES.map((x) => h('option', {value: x, selected: entry?.stage === x}, t('stage.' + x))))),
    field(t('contest.region'), regionSelect('region', entry?.region || '')),
    h('h2', {}, t('contest.teamMembers')), members,
    h('button', {type: 'button', class: 'secondary', id: 'add-member', onclick: () => members.append(memberRow({}, members.children.length))}, '＋ ', t('contest.addMember')),
    msg, h('button', {type: 'submit', class: 'wide', id: 'save-entry'}, t('contest.saveDraft')));
  f.addEventListener('submit', async (e) => {
    e.preventDefault();
    const ms = [...members.querySelectorAll('.member')].map((row) => {
      const v = (n) => row.querySelector(`[name="${n}"]`).value.trim();
      return {name: v('m-name'), phone: v('m-phone'), org: v('m-org'), role: v('m-role'), region: v('m-region'), birthDate: v('m-birth') || undefined};
    });
    const body = {title: f.title.value.trim(), summary: f.summary.value.trim(), track: f.track.value, stage: f.stage.value, region: f.region.value, members: ms};
    try {
      const saved = entry ? await api('PUT', '/contest/entries/' + entry.id, {body}) : await api('POST', '/contest/entries', {body: {...body, edition: ed.id}});
      done(saved);
    } catch (err) {
      showFieldErrors(f, err.fields);
      const extra = err.fields ? Object.entries(err.fields).map(([k, v]) => h('li', {}, `${k}: ${v}`)) : [];
      mount(msg, h('div', {class: 'notice bad'}, '⚠ ', errorText(err), extra.length ? h('ul', {}, extra) : null));
    }
  });
  return f;
}

export async function register(view, id) {
  if (!requireLogin()) return;
  const [ed] = await Promise.all([api('GET', '/contest/editions/' + id), loadRegions()]);
  add(view, h('h1', {}, t('contest.register'), ' · ', `${ed.year} ${ed.name}`),
    h('p', {class: 'hint'}, t('contest.registerHint')),
    entryForm(ed, null, (e) => { toast('✔ ' + t('contest.saved')); location.hash = '#/entries/' + e.id; }));
}

// entry: my team's entry: edit the draft, attachments, submit, withdraw, result.
export async function entry(view, id) {
  if (!requireLogin()) return;
  await loadRegions();
  const e = await api('GET', '/contest/entries/' + id);
  const ed = await api('GET', '/contest/editions/' + e.edition);
  const leader = session.user().id === e.leader;
  const draft = e.status === 'draft';
  const msg = h('div', {role: 'alert', id: 'entry-msg'});
  const att = h('ul', {id: 'attachments'}, (e.attachments || []).map((a) => h('li', {}, '▤ ', a.name, ' ', h('span', {class: 'meta'}, `${a.contentType} · ${count(Math.ceil(a.size / 1024))} KB`))));
  const file = h('input', {type: 'file', name: 'file', accept: 'application/pdf,image/jpeg,image/png,image/webp'});
  const up = h('form', {class: 'row', id: 'upload'}, field(t('contest.attachment'), file, t('contest.attachmentHint')),
    h('div', {class: 'field', style: 'align-self:end;flex:0 1 auto'}, h('button', {type: 'submit', class: 'secondary'}, t('contest.upload'))));
  up.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const f = file.files[0];
    if (!f) { file.focus(); return; }
    try {
      const a = await api('POST', `/contest/entries/${id}/attachments`, {raw: f, query: {name: f.name.replace(/[\\/]/g, '_')}});
      att.append(h('li', {}, '▤ ', a.name || f.name, ' ', h('span', {class: 'meta'}, `${count(Math.ceil((a.size || f.size) / 1024))} KB`)));
      file.value = '';
    } catch (err) { mount(msg, h('p', {class: 'notice bad'}, '⚠ ', errorText(err))); }
  });
  const act = (path, key, confirmKey) => h('button', {type: 'button', class: key === 'contest.withdraw' ? 'danger' : '', id: path,
    onclick: async () => {
      if (confirmKey && !confirm(t(confirmKey))) return;
      try { await api('POST', `/contest/entries/${id}/${path}`, path === 'withdraw' ? {body: {}} : {}); toast('✔ ' + t(key + 'Done')); dispatchEvent(new HashChangeEvent('hashchange')); } catch (err) {
        const extra = err.fields ? Object.entries(err.fields).map(([k, v]) => h('li', {}, `${k}: ${v}`)) : [];
        mount(msg, h('div', {class: 'notice bad'}, '⚠ ', errorText(err), extra.length ? h('ul', {}, extra) : null));
      }
    }}, t(key));
  let result = null;
  if (e.status === 'submitted') result = await api('GET', `/contest/entries/${id}/result`).catch(() => null);
  add(view, h('h1', {}, e.title),
    h('p', {}, h('span', {class: 'badge', id: 'entry-status'}, t('entry.status.' + e.status)), ' ', `${ed.year} ${ed.name} · ${e.track} · ${t('stage.' + e.stage)} · ${regionName(e.region)}`),
    e.review ? h('p', {class: 'notice'}, e.review.verdict === 'eligible' ? '✔ ' + t('review.eligible') : '✕ ' + t('review.ineligible'), e.review.reason ? ': ' + e.review.reason : '') : null,
    e.summary ? h('p', {}, e.summary) : null,
    h('h2', {}, t('contest.teamMembers')),
    h('ul', {}, e.members.map((m) => h('li', {}, `${m.name} · ${t('member.' + m.role)} · ${m.org} · ${regionName(m.region)}`))),
    h('h2', {}, t('contest.attachments')), att,
    leader && draft ? up : null,
    msg,
    leader && draft ? h('div', {class: 'row'}, act('submit', 'contest.submit', 'contest.submitConfirm')) : null,
    leader && e.status !== 'withdrawn' ? h('div', {class: 'row', style: 'margin-top:8px'}, act('withdraw', 'contest.withdraw', 'contest.withdrawConfirm')) : null,
    result ? [h('h2', {}, t('contest.result')), h('pre', {class: 'card', style: 'white-space:pre-wrap'}, resultText(result))] : null,
    leader && draft && regOpen(ed) ? h('details', {}, h('summary', {class: 'btn secondary'}, t('contest.edit')),
      entryForm(ed, e, () => { toast('✔ ' + t('contest.saved')); dispatchEvent(new HashChangeEvent('hashchange')); })) : null);
}

function resultText(r) {
  if (!r.published || !r.result) return t('contest.noResult');
  const x = r.result;
  return [x.award ? '★ ' + x.award : '', x.place ? '#' + x.place : '', (x.rounds || []).join(' → ')].filter(Boolean).join('\n');
}
