// Organisers (赛事组织): set up an edition and its rounds, review entries,
// the judge pool, run the assignment, follow judging progress, award and
// publish.
import {h, add, mount, field} from '../dom.js';
import {t} from '../i18n.js';
import {api, session} from '../api.js';
import {when, shanghaiLocal, fromShanghaiLocal} from '../money.js';
import {requireLogin, showError, errorText, toast} from '../ui.js';
import {loadRegions, regionSelect, regionName} from '../regions.js';

const reload = () => dispatchEvent(new HashChangeEvent('hashchange'));
const fail = (err) => toast('⚠ ' + errorText(err) + (err.fields ? ' ' + Object.entries(err.fields).map(([k, v]) => `${k}: ${v}`).join('; ') : ''), 'bad');

export default async function organize(view) {
  if (!requireLogin()) return;
  const eds = await api('GET', '/contest/editions');
  const f = h('form', {},
    h('div', {class: 'row'}, field(t('org.year'), h('input', {name: 'year', type: 'number', value: new Date().getFullYear()})),
      field(t('org.edName'), h('input', {name: 'name', maxlength: 100}))),
    field(t('contest.tracks'), h('input', {name: 'tracks', value: ''}), t('org.tracksHint')),
    h('div', {class: 'row'}, field(t('org.minMembers'), h('input', {name: 'minMembers', type: 'number', value: 1, min: 1})),
      field(t('org.maxMembers'), h('input', {name: 'maxMembers', type: 'number', value: 5, min: 1}))),
    h('div', {class: 'row'}, field(t('org.opens'), h('input', {name: 'opens', type: 'datetime-local', value: shanghaiLocal(new Date())})),
      field(t('org.closes'), h('input', {name: 'closes', type: 'datetime-local', value: shanghaiLocal(new Date(Date.now() + 30 * 864e5))}))),
    h('button', {type: 'submit'}, t('org.createEdition')));
  f.addEventListener('submit', async (e) => {
    e.preventDefault();
    try {
      const ed = await api('POST', '/contest/editions', {body: {year: Number(f.year.value), name: f.name.value.trim(),
        tracks: f.tracks.value.split(/[,，、\s]+/).filter(Boolean),
        eligibility: {minMembers: Number(f.minMembers.value), maxMembers: Number(f.maxMembers.value)},
        registration: {opens: fromShanghaiLocal(f.opens.value), closes: fromShanghaiLocal(f.closes.value)}}});
      location.hash = '#/organize/' + ed.id;
    } catch (err) { fail(err); }
  });
  add(view, h('h1', {}, t('organize.title')),
    h('ul', {class: 'cards'}, [...eds.items].reverse().map((ed) => h('li', {class: 'card'}, h('a', {class: 'title', href: '#/organize/' + ed.id}, `${ed.year} ${ed.name}`)))),
    h('details', {}, h('summary', {class: 'btn secondary'}, '＋ ', t('org.createEdition')), f));
}

function roundForm(edId, seq) {
  const crits = h('div', {});
  const critRow = (c) => h('fieldset', {class: 'card crit-row'}, h('legend', {}, t('org.criterion')),
    h('div', {class: 'row'}, field(t('org.cName'), h('input', {name: 'c-name', value: c.name || ''})), field(t('org.cKey'), h('input', {name: 'c-key', value: c.key || ''}))),
    h('div', {class: 'row'}, field(t('org.cWeight'), h('input', {name: 'c-weight', type: 'number', step: 'any', value: c.weight ?? 1})),
      field(t('org.cMin'), h('input', {name: 'c-min', type: 'number', value: c.min ?? 0})), field(t('org.cMax'), h('input', {name: 'c-max', type: 'number', value: c.max ?? 10}))));
  crits.append(critRow({key: 'innovation', name: '', weight: 1, min: 0, max: 10}));
  const f = h('form', {},
    h('div', {class: 'row'}, field(t('org.seq'), h('input', {name: 'seq', type: 'number', value: seq, min: 1, max: 10})),
      field(t('org.rName'), h('input', {name: 'name'}))),
    field(t('org.mode'), h('select', {name: 'mode'}, ['scores', 'pairwise'].map((m) => h('option', {value: m}, t('round.mode.' + m))))),
    field(t('org.k'), h('input', {name: 'k', type: 'number', value: 3, min: 0, max: 20})),
    h('h3', {}, t('org.rubric')), crits,
    h('button', {type: 'button', class: 'secondary', onclick: () => crits.append(critRow({}))}, '＋ ', t('org.addCriterion')),
    h('button', {type: 'submit'}, t('org.addRound')));
  f.addEventListener('submit', async (e) => {
    e.preventDefault();
    const criteria = [...crits.querySelectorAll('.crit-row')].map((r) => {
      const v = (n) => r.querySelector(`[name="${n}"]`).value.trim();
      return {key: v('c-key'), name: v('c-name'), weight: Number(v('c-weight')), min: Number(v('c-min')), max: Number(v('c-max'))};
    });
    try {
      await api('POST', `/contest/editions/${edId}/rounds`, {body: {seq: Number(f.seq.value), name: f.name.value.trim(), mode: f.mode.value,
        k: Number(f.k.value), rubric: {criteria}, aggregate: {method: f.mode.value === 'scores' ? 'weighted_mean' : ''}}});
      reload();
    } catch (err) { fail(err); }
  });
  return f;
}

export async function edition(view, id) {
  if (!requireLogin()) return;
  await loadRegions();
  const [ed, rounds, entries, judges] = await Promise.all([api('GET', '/contest/editions/' + id), api('GET', `/contest/editions/${id}/rounds`),
    api('GET', `/contest/editions/${id}/entries`, {query: {limit: 500}}), api('GET', `/contest/editions/${id}/judges`, {query: {limit: 500}})]);
  const review = (e, verdict) => async () => {
    const reason = verdict === 'ineligible' ? prompt(t('org.reason')) || '' : '';
    try { await api('POST', `/contest/entries/${e.id}/review`, {body: {verdict, reason}}); reload(); } catch (err) { fail(err); }
  };
  // judges: pick from the users holding the judge role (administrators can list them)
  const jf = h('form', {class: 'stack'});
  let candidates = [];
  if (session.has('admin')) candidates = (await api('GET', '/users', {query: {role: 'judge', limit: 500}}).catch(() => ({items: []}))).items;
  jf.append(candidates.length ? field(t('org.judge'), h('select', {name: 'user'}, candidates.map((u) => h('option', {value: u.id}, `${u.name} ${u.phone}`))))
    : field(t('org.judgeId'), h('input', {name: 'user', pattern: '[0-9a-f]{24}'})),
  field(t('contest.mOrg'), h('input', {name: 'org'})), field(t('contest.mRegion'), regionSelect('region', '')),
  field(t('org.expertise'), h('input', {name: 'expertise'}), t('org.tracksHint')),
  h('button', {type: 'submit'}, t('org.addJudge')));
  jf.addEventListener('submit', async (e) => {
    e.preventDefault();
    try {
      await api('PUT', `/contest/editions/${id}/judges/${jf.user.value.trim()}`, {body: {org: jf.org.value.trim(), region: jf.region.value,
        expertise: jf.expertise.value.split(/[,，、\s]+/).filter(Boolean)}});
      reload();
    } catch (err) { fail(err); }
  });
  add(view, h('h1', {}, `${ed.year} ${ed.name}`),
    h('h2', {}, t('org.entries'), ` (${entries.items.length})`),
    h('div', {class: 'scroll'}, h('table', {id: 'entries'}, h('thead', {}, h('tr', {}, ['results.entry', 'results.track', 'results.region', 'org.status', 'org.review'].map((k) => h('th', {scope: 'col'}, t(k))))),
      h('tbody', {}, entries.items.map((e) => h('tr', {dataset: {id: e.id}},
        h('td', {}, h('a', {href: '#/entries/' + e.id}, e.title), h('br'), h('span', {class: 'meta'}, t('org.attachments', {n: (e.attachments || []).length}))),
        h('td', {}, e.track), h('td', {}, regionName(e.region)), h('td', {}, t('entry.status.' + e.status)),
        h('td', {}, e.review ? (e.review.verdict === 'eligible' ? '✔ ' : '✕ ') + t('review.' + e.review.verdict) : '—', ' ',
          e.status === 'submitted' ? [h('button', {type: 'button', class: 'secondary', onclick: review(e, 'eligible')}, t('review.eligible')), ' ',
            h('button', {type: 'button', class: 'danger', onclick: review(e, 'ineligible')}, t('review.ineligible'))] : null)))))),
    h('h2', {}, t('org.judges'), ` (${judges.items.length})`),
    h('ul', {}, judges.items.map((j) => h('li', {}, `${j.name} · ${j.org} · ${regionName(j.region)} · ${(j.expertise || []).join('、')}`))),
    h('details', {}, h('summary', {class: 'btn secondary'}, '＋ ', t('org.addJudge')), jf),
    h('h2', {}, t('contest.rounds')),
    h('ul', {}, rounds.items.map((r) => h('li', {}, h('a', {href: '#/organize/round/' + r.id}, `${r.seq}. ${r.name}`), ' · ', t('round.mode.' + r.mode)))),
    h('details', {}, h('summary', {class: 'btn secondary'}, '＋ ', t('org.addRound')), roundForm(id, rounds.items.length + 1)),
    h('h2', {}, t('results.title')),
    h('div', {class: 'row'}, h('button', {type: 'button', onclick: async () => {
      try { await api('POST', `/contest/editions/${id}/publish`); toast('✔ ' + t('org.published')); } catch (err) { fail(err); }
    }}, t('org.publish')), h('a', {class: 'btn secondary', href: `#/contest/${id}/results`}, t('results.title'))));
}

export async function round(view, id) {
  if (!requireLogin()) return;
  await loadRegions();
  const r = await api('GET', '/contest/rounds/' + id);
  const [asg, res, judges] = await Promise.all([
    api('GET', `/contest/rounds/${id}/assignment`).catch(() => null),
    api('GET', `/contest/rounds/${id}/results`).catch(() => null),
    api('GET', `/contest/editions/${r.edition}/judges`, {query: {limit: 500}}).catch(() => ({items: []}))]);
  const jname = Object.fromEntries(judges.items.map((j) => [j.user, j.name]));
  const post = (path, body) => async () => { try { await api('POST', `/contest/rounds/${id}/${path}`, {body}); reload(); } catch (err) { fail(err); } };
  add(view, h('p', {}, h('a', {href: '#/organize/' + r.edition}, '← ', t('judge.back'))),
    h('h1', {}, `${r.seq}. ${r.name}`),
    h('p', {class: 'meta'}, t('round.mode.' + r.mode), ' · k=', String(r.k), ' · ', r.rubric.criteria.map((c) => `${c.name} ×${c.weight}`).join('、')),
    h('h2', {}, t('org.assignment')),
    h('button', {type: 'button', id: 'run-assignment', onclick: post('assignment')}, t('org.runAssignment')),
    asg ? [h('p', {class: 'meta'}, t('org.runAt', {t: when(asg.runAt)}), ' · ', t('org.pairs', {n: asg.assignments.length})),
      h('ul', {}, Object.entries(asg.loads || {}).map(([j, n]) => h('li', {}, `${jname[j] || j.slice(-6)}: ${n}`))),
      (asg.shortfalls || []).length ? h('div', {class: 'notice warn'}, '⚠ ', t('org.shortfalls', {n: asg.shortfalls.length})) : null,
      (asg.notices || []).map((n) => h('p', {class: 'notice'}, n))] : h('p', {class: 'meta'}, t('org.notAssigned')),
    h('h2', {}, t('org.progress')),
    res ? h('div', {class: 'scroll'}, h('table', {id: 'progress'}, h('thead', {}, h('tr', {}, ['results.place', 'results.entry', 'org.sheets', 'org.score', 'org.flag'].map((k) => h('th', {scope: 'col'}, t(k))))),
      h('tbody', {}, (res.ranking || []).map((x) => h('tr', {},
        h('td', {}, String(x.rank)), h('td', {}, x.title), h('td', {}, `${x.submitted}/${x.assigned}`),
        h('td', {}, x.score != null ? x.score.toFixed(2) : '—'), h('td', {}, x.disagreement ? '⚠ ' + t('org.disagree') : '')))))) : h('p', {class: 'meta'}, t('org.noResults')),
    h('h2', {}, t('org.finish')),
    h('div', {class: 'row'}, h('button', {type: 'button', class: 'secondary', onclick: post('advance')}, t('org.advance'))),
    h('div', {class: 'row'}, h('button', {type: 'button', onclick: post('awards')}, t('org.award'))));
}
