// Create an auction from the phone (发布竞拍): farmers sell a lot (with a
// photo), buyers ask for supply. Prices are per unit of the lot.
import {h, add, field, showFieldErrors} from '../dom.js';
import {t, unitName, UNITS} from '../i18n.js';
import {api, session} from '../api.js';
import {toFen, shanghaiLocal, fromShanghaiLocal} from '../money.js';
import {loadRegions, regionSelect} from '../regions.js';
import {errorText, requireLogin} from '../ui.js';

const MAX_PHOTO = 500 * 1024; // the API takes 512 KiB

// shrink re-encodes a phone photo (often 3–8 MB) as a JPEG of at most
// 1280 px and under the API's limit, on the phone, before it is sent.
export async function shrink(file) {
  if (file.size <= MAX_PHOTO && /^image\/(jpeg|png|webp)$/.test(file.type)) return file;
  const bmp = await createImageBitmap(file);
  for (const [side, q] of [[1280, 0.82], [1024, 0.72], [800, 0.6], [640, 0.5]]) {
    const k = Math.min(1, side / Math.max(bmp.width, bmp.height));
    const c = document.createElement('canvas');
    c.width = Math.round(bmp.width * k);
    c.height = Math.round(bmp.height * k);
    c.getContext('2d').drawImage(bmp, 0, 0, c.width, c.height);
    const blob = await new Promise((r) => c.toBlob(r, 'image/jpeg', q));
    if (blob && blob.size <= MAX_PHOTO) return blob;
  }
  throw new Error(t('create.photoTooBig'));
}

export default async function create(view) {
  if (!requireLogin()) return;
  await loadRegions();
  const roles = session.user().roles;
  const kinds = ['sell', 'buy'].filter((k) => roles.includes(k === 'sell' ? 'farmer' : 'buyer'));
  if (!kinds.length) {
    add(view, h('h1', {}, t('create.title')), h('p', {class: 'notice warn'}, '⚠ ', t('create.needRole')));
    return;
  }
  const kind = h('select', {name: 'kind'}, kinds.map((k) => h('option', {value: k}, t('kind.' + k))));
  const unit = h('select', {name: 'unit'}, UNITS.map((u) => h('option', {value: u}, unitName(u))));
  const end = h('input', {name: 'endsAt', type: 'datetime-local', step: 1, required: true, value: shanghaiLocal(new Date(Date.now() + 3600e3))});
  const start = h('input', {name: 'startsAt', type: 'datetime-local', step: 1});
  const photo = h('input', {name: 'photo', type: 'file', accept: 'image/*', capture: 'environment'});
  const msg = h('div', {role: 'alert'});
  const btn = h('button', {type: 'submit', class: 'wide', id: 'create'}, t('create.submit'));
  const f = h('form', {novalidate: true},
    field(t('create.kind'), kind, t('create.kindHint')),
    field(t('create.titleField'), h('input', {name: 'title', maxlength: 100, required: true})),
    field(t('create.commodity'), h('input', {name: 'commodity', maxlength: 50, required: true}), t('create.commodityHint')),
    h('div', {class: 'row'},
      field(t('create.quantity'), h('input', {name: 'quantity', inputmode: 'decimal', required: true})),
      field(t('create.unit'), unit)),
    h('div', {class: 'row'},
      field(t('create.variety'), h('input', {name: 'variety', maxlength: 50})),
      field(t('create.grade'), h('input', {name: 'grade', maxlength: 30}))),
    field(t('create.origin'), regionSelect('origin', '', {empty: 'region.none'})),
    field(t('create.harvest'), h('input', {name: 'harvestDate', type: 'date'})),
    field(t('create.description'), h('textarea', {name: 'description', maxlength: 2000})),
    h('fieldset', {class: 'field'}, h('legend', {}, t('create.terms')),
      h('label', {class: 'check'}, h('input', {type: 'checkbox', name: 'pickup', checked: true}), t('auction.pickup')),
      h('label', {class: 'check'}, h('input', {type: 'checkbox', name: 'delivery'}), t('auction.delivery'))),
    h('div', {class: 'row'},
      field(t('create.startPrice'), h('input', {name: 'startPrice', inputmode: 'decimal', required: true}), t('create.perUnit')),
      field(t('create.increment'), h('input', {name: 'increment', inputmode: 'decimal', required: true}))),
    field(t('create.reserve'), h('input', {name: 'reservePrice', inputmode: 'decimal'}), t('create.reserveHint')),
    field(t('create.startsAt'), start, t('create.startsAtHint')),
    field(t('create.endsAt'), end, t('create.timeHint')),
    field(t('create.extend'), h('input', {name: 'extendSeconds', type: 'number', min: 0, max: 600, value: 60, inputmode: 'numeric'}), t('create.extendHint')),
    field(t('create.photo'), photo, t('create.photoHint')),
    msg, btn);

  f.addEventListener('submit', async (e) => {
    e.preventDefault();
    msg.replaceChildren();
    const errs = {};
    const money = (name, required) => {
      const v = f[name].value.trim();
      if (!v) { if (required) errs[name] = t('create.required'); return undefined; }
      const n = toFen(v);
      if (!n) errs[name] = t('auction.badAmount');
      return n || undefined;
    };
    const body = {
      kind: kind.value, title: f.title.value.trim(), commodity: f.commodity.value.trim(),
      quantity: {value: Number(f.quantity.value), unit: unit.value},
      lot: {variety: f.variety.value.trim() || undefined, grade: f.grade.value.trim() || undefined,
        origin: f.origin.value || undefined, harvestDate: f.harvestDate.value || undefined,
        description: f.description.value.trim() || undefined,
        terms: {pickup: f.pickup.checked, delivery: f.delivery.checked}},
      startPrice: money('startPrice', true), increment: money('increment', true), reservePrice: money('reservePrice'),
      startsAt: fromShanghaiLocal(start.value) || undefined, endsAt: fromShanghaiLocal(end.value),
      extendSeconds: Number(f.extendSeconds.value || 0),
    };
    if (!body.title) errs.title = t('create.required');
    if (!body.commodity) errs.commodity = t('create.required');
    if (!(body.quantity.value > 0)) errs.quantity = t('create.positive');
    if (!end.value) errs.endsAt = t('create.required');
    showFieldErrors(f, errs);
    if (Object.keys(errs).length) { msg.append(h('p', {class: 'notice bad'}, '⚠ ', t('create.fix'))); return; }
    btn.disabled = true;
    try {
      const a = await api('POST', '/auctions', {body});
      if (photo.files[0]) {
        try {
          const blob = await shrink(photo.files[0]);
          await api('POST', `/auctions/${a.id}/photos`, {raw: blob});
        } catch (err) {
          sessionStorage.setItem('agri.flash', t('create.photoFailed') + ' ' + errorText(err));
        }
      }
      location.hash = '#/auctions/' + a.id;
    } catch (err) {
      // the API names nested fields "quantity.value", "lot.origin": match the last part
      const fields = {};
      for (const [k, v] of Object.entries(err.fields || {})) fields[k.split('.').pop()] = v;
      showFieldErrors(f, fields);
      msg.append(h('p', {class: 'notice bad'}, '⚠ ', errorText(err)));
    } finally { btn.disabled = false; }
  });
  add(view, h('h1', {}, t('create.title')), f);
}
