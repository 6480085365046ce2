// Judging (评审), built for a phone at the venue: my entries to score, and
// a score sheet with one criterion per row, large targets, autosave and a
// final submit. Pairwise rounds: pick the better of two.
import {h, add, mount, field, debounce} from '../dom.js';
import {t} from '../i18n.js';
import {api} from '../api.js';
import {clock} from '../money.js';
import {requireLogin, showError, errorText, toast} from '../ui.js';
import {loadRegions, regionName} from '../regions.js';

export default async function judge(view) {
  if (!requireLogin()) return;
  const eds = await api('GET', '/contest/editions');
  add(view, h('h1', {}, t('judge.title')));
  for (const ed of [...eds.items].reverse()) {
    const rounds = await api('GET', `/contest/editions/${ed.id}/rounds`);
    if (!rounds.items.length) continue;
    add(view, h('h2', {}, `${ed.year} ${ed.name}`),
      h('ul', {class: 'cards'}, rounds.items.map((r) => h('li', {class: 'card'},
        h('a', {class: 'title', href: '#/judge/' + r.id}, `${r.seq}. ${r.name}`), h('div', {class: 'meta'}, t('round.mode.' + r.mode))))));
  }
  if (view.children.length === 1) add(view, h('p', {class: 'meta'}, t('judge.none')));
}

const sheetIcon = {empty: '○', draft: '◐', submitted: '●'};

export async function round(view, id) {
  if (!requireLogin()) return;
  await loadRegions();
  const r = await api('GET', '/contest/rounds/' + id);
  add(view, h('h1', {}, `${r.seq}. ${r.name}`));
  if (r.mode === 'pairwise') return pairwise(view, r);
  const list = await api('GET', `/contest/rounds/${id}/my-assignments`, {query: {limit: 500}});
  const done = list.items.filter((x) => x.sheet === 'submitted').length;
  add(view, 
    h('p', {id: 'progress', role: 'status'}, t('judge.progress', {done, n: list.items.length})),
    h('progress', {max: list.items.length || 1, value: done, 'aria-labelledby': 'progress', style: 'width:100%;height:16px'}),
    h('ul', {class: 'cards', id: 'assigned'}, list.items.map((x) => h('li', {class: 'card', dataset: {entry: x.entry.id, sheet: x.sheet}},
      h('a', {class: 'title', href: `#/judge/${id}/${x.entry.id}`}, x.entry.title),
      h('div', {}, h('span', {'aria-hidden': 'true'}, sheetIcon[x.sheet], ' '), t('sheet.' + x.sheet)),
      h('div', {class: 'meta'}, `${x.entry.track} · ${t('stage.' + x.entry.stage)} · ${regionName(x.entry.region)}`)))),
    list.items.length ? null : h('p', {class: 'meta'}, t('judge.noneAssigned')));
}

// scoreInput: a row of buttons for small integer ranges (one tap each),
// else a number field.
function scoreInput(c, value, onChange) {
  const id = 'c-' + c.key;
  const span = c.max - c.min;
  if (Number.isInteger(c.min) && Number.isInteger(c.max) && span <= 10) {
    const group = h('div', {class: 'scorebtns', role: 'group', 'aria-labelledby': id + '-l'});
    const draw = (v) => group.querySelectorAll('button').forEach((b) => b.setAttribute('aria-pressed', String(Number(b.value) === v)));
    for (let v = c.min; v <= c.max; v++) {
      group.append(h('button', {type: 'button', value: v, 'aria-pressed': 'false', onclick: () => { draw(v); onChange(v); }}, String(v)));
    }
    draw(value);
    group.set = draw;
    return group;
  }
  const input = h('input', {id, name: c.key, type: 'number', inputmode: 'decimal', min: c.min, max: c.max, step: 'any', value: value ?? '',
    'aria-labelledby': id + '-l'});
  input.addEventListener('input', () => onChange(input.value === '' ? undefined : Number(input.value)));
  return input;
}

export async function sheet(view, roundId, entryId) {
  if (!requireLogin()) return;
  await loadRegions();
  const [r, e, s] = await Promise.all([api('GET', '/contest/rounds/' + roundId), api('GET', '/contest/entries/' + entryId),
    api('GET', `/contest/rounds/${roundId}/entries/${entryId}/sheet`)]);
  const scores = {...(s.scores || {})};
  const comments = {...(s.comments || {})};
  let locked = s.status === 'submitted';
  const saved = h('p', {class: 'saved', id: 'saved', role: 'status', 'aria-live': 'polite'},
    s.savedAt ? '✔ ' + t('sheet.savedAt', {t: clock(s.savedAt)}) : t('sheet.notSaved'));
  const total = h('p', {id: 'total', style: 'font-size:1.3rem;font-weight:800'});
  const msg = h('div', {role: 'alert', id: 'sheet-msg'});
  const crits = r.rubric.criteria;
  function drawTotal() {
    let sum = 0, w = 0, n = 0;
    for (const c of crits) if (scores[c.key] != null) { sum += c.weight * scores[c.key]; w += c.weight; n++; }
    total.textContent = t('sheet.filled', {n, of: crits.length}) + (n ? ' · ' + t('sheet.weighted', {v: (sum / (w || 1)).toFixed(2)}) : '');
  }
  let saving = Promise.resolve();
  const save = debounce(() => {
    saving = saving.then(async () => {
      saved.textContent = '… ' + t('sheet.saving');
      try {
        const out = await api('PUT', `/contest/rounds/${roundId}/entries/${entryId}/sheet`, {body: {scores, comments}});
        saved.textContent = '✔ ' + t('sheet.savedAt', {t: clock(out.savedAt || new Date())});
      } catch (err) {
        saved.textContent = '⚠ ' + t('sheet.saveFailed') + ' ' + errorText(err);
      }
    });
    return saving;
  }, 700);
  const rows = crits.map((c) => {
    const note = h('textarea', {name: 'comment-' + c.key, maxlength: 2000, rows: 2, disabled: locked}, comments[c.key] || '');
    note.addEventListener('input', () => { comments[c.key] = note.value; save(); });
    const input = scoreInput(c, scores[c.key], (v) => {
      if (v === undefined) delete scores[c.key]; else scores[c.key] = v;
      drawTotal(); save();
    });
    if (locked) input.querySelectorAll?.('button').forEach((b) => { b.disabled = true; });
    if (locked && input.tagName === 'INPUT') input.disabled = true;
    return h('section', {class: 'crit', dataset: {key: c.key}},
      h('h2', {id: 'c-' + c.key + '-l', style: 'margin:0'}, c.name, ' ', h('span', {class: 'meta'}, t('sheet.range', {min: c.min, max: c.max, w: c.weight}))),
      c.description ? h('p', {class: 'hint'}, c.description) : null,
      input,
      h('details', {}, h('summary', {}, t('sheet.comment')), field(t('sheet.comment'), note)));
  });
  const submit = h('button', {type: 'button', class: 'wide', id: 'submit-sheet', disabled: locked, onclick: async () => {
    const missing = crits.filter((c) => scores[c.key] == null);
    if (missing.length) { mount(msg, h('p', {class: 'notice bad'}, '⚠ ', t('sheet.missing', {names: missing.map((c) => c.name).join('、')}))); return; }
    if (!confirm(t('sheet.submitConfirm'))) return;
    submit.disabled = true;
    try {
      await save.flush();
      await api('POST', `/contest/rounds/${roundId}/entries/${entryId}/sheet/submit`, {body: {scores, comments}}); // the final values, as shown
      locked = true;
      toast('✔ ' + t('sheet.submitted'));
      location.hash = '#/judge/' + roundId;
    } catch (err) {
      submit.disabled = false;
      mount(msg, h('div', {class: 'notice bad'}, '⚠ ', errorText(err),
        err.fields ? h('ul', {}, Object.entries(err.fields).map(([k, v]) => h('li', {}, `${k}: ${v}`))) : null));
    }
  }}, t('sheet.submit'));
  drawTotal();
  add(view, 
    h('p', {}, h('a', {href: '#/judge/' + roundId}, '← ', t('judge.back'))),
    h('h1', {}, e.title),
    h('p', {class: 'meta'}, `${e.track} · ${t('stage.' + e.stage)} · ${regionName(e.region)}`),
    e.summary ? h('details', {}, h('summary', {}, t('contest.summary')), h('p', {}, e.summary)) : null,
    (e.attachments || []).length ? h('ul', {}, e.attachments.map((a) => h('li', {}, '▤ ', a.name))) : null,
    locked ? h('p', {class: 'notice good', id: 'locked'}, '✔ ', t('sheet.locked')) : null,
    rows, total, saved, msg, submit);
}

async function pairwise(view, r) {
  const box = h('div', {id: 'pair'});
  add(view, h('p', {class: 'hint'}, t('pair.hint')), box);
  async function next() {
    try {
      const p = await api('GET', `/contest/rounds/${r.id}/pairs/next`);
      if (p.done) { mount(box, h('p', {class: 'notice good'}, '✔ ', t('pair.done'))); return; }
      const vote = (w, l) => async () => {
        try { await api('POST', `/contest/rounds/${r.id}/votes`, {body: {winner: w.id, loser: l.id}}); next(); } catch (err) { toast(errorText(err), 'bad'); }
      };
      const side = (x, y, label) => h('div', {class: 'card'}, h('h2', {}, label, ': ', x.title), h('p', {class: 'meta'}, x.track, ' · ', regionName(x.region)), h('p', {}, x.summary),
        h('button', {type: 'button', class: 'wide', onclick: vote(x, y)}, t('pair.prefer', {x: label})));
      mount(box, side(p.a, p.b, 'A'), side(p.b, p.a, 'B'));
    } catch (err) { showError(box, err); }
  }
  await next();
}
