// Tiny DOM helpers: build elements without innerHTML, so text from the API
// can never become markup.

// h('button', {class: 'big', onclick: f}, 'text', child, ...)
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v == null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k === 'value' || k === 'checked' || k === 'selected') el[k] = v;
    else el.setAttribute(k, v === true ? '' : v);
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c == null || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

// add appends children as h() takes them (arrays flattened, null and false
// skipped); Element.append would print them as text.
export function add(el, ...children) {
  append(el, children);
  return el;
}

// Replaces el's children.
export function mount(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

let seq = 0;
// A unique id for label/input pairs.
export function uid(prefix) {
  seq += 1;
  return `${prefix || 'f'}-${seq}`;
}

// field(label, input, hint): a <label> tied to its input, and an error slot.
export function field(label, input, hint) {
  if (!input.id) input.id = uid(input.name || 'f');
  const err = h('p', {class: 'err', id: input.id + '-err', 'aria-live': 'polite'});
  input.setAttribute('aria-describedby', err.id);
  return h('div', {class: 'field'},
    h('label', {for: input.id}, label),
    input,
    hint ? h('p', {class: 'hint'}, hint) : null,
    err);
}

// Shows field errors from a 422 answer under the inputs named in it.
export function showFieldErrors(form, fields) {
  for (const p of form.querySelectorAll('.err')) p.textContent = '';
  for (const [name, reason] of Object.entries(fields || {})) {
    const input = form.querySelector(`[name="${CSS.escape(name)}"]`) ||
      form.querySelector(`[name="${CSS.escape(name.split('.').pop())}"]`);
    const slot = input && form.querySelector('#' + CSS.escape(input.id + '-err'));
    if (slot) slot.textContent = '⚠ ' + reason;
  }
}

// Debounce for autosave and search boxes.
export function debounce(fn, ms) {
  let t = 0;
  const d = (...a) => { clearTimeout(t); t = setTimeout(() => fn(...a), ms); };
  d.flush = (...a) => { clearTimeout(t); return fn(...a); };
  return d;
}
