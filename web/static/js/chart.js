// priceChart draws a commodity's price series as SVG, by our own code: the
// average as a line, the day's (week's, month's) low–high as a band, and
// the axes in yuan and dates. Points carry <title>s; the page also shows a
// table of the same numbers for screen readers.
import {fen} from './money.js';

const NS = 'http://www.w3.org/2000/svg';
function s(tag, attrs, text) {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs || {})) el.setAttribute(k, v);
  if (text != null) el.textContent = text;
  return el;
}

// niceStep: 1, 2 or 5 × 10^k, so ticks fall on round amounts.
export function niceStep(span, ticks) {
  const raw = span / Math.max(1, ticks);
  const p = 10 ** Math.floor(Math.log10(raw || 1));
  for (const m of [1, 2, 5, 10]) if (m * p >= raw) return m * p;
  return 10 * p;
}

// items: [{start, minPrice, avgPrice, maxPrice}] in time order; title for aria.
export function priceChart(items, title, unitLabel) {
  const W = 640, H = 300, L = 64, R = 12, T = 14, B = 40;
  const svg = s('svg', {viewBox: `0 0 ${W} ${H}`, class: 'chart', role: 'img', 'aria-label': title});
  svg.append(s('title', {}, title));
  if (!items.length) return svg;
  let lo = Math.min(...items.map((i) => i.minPrice)), hi = Math.max(...items.map((i) => i.maxPrice));
  if (hi === lo) { hi += 100; lo = Math.max(0, lo - 100); }
  const st = niceStep(hi - lo, 5);
  lo = Math.floor(lo / st) * st; hi = Math.ceil(hi / st) * st;
  const x = (i) => L + (items.length === 1 ? (W - L - R) / 2 : i * (W - L - R) / (items.length - 1));
  const y = (v) => T + (hi - v) * (H - T - B) / (hi - lo);
  // grid and y labels
  for (let v = lo; v <= hi + 1e-9; v += st) {
    svg.append(s('line', {x1: L, x2: W - R, y1: y(v), y2: y(v), stroke: '#ddd'}));
    svg.append(s('text', {x: L - 6, y: y(v) + 4, 'text-anchor': 'end'}, fen(v)));
  }
  svg.append(s('text', {x: 4, y: 10}, unitLabel));
  // x labels: at most 6
  const every = Math.max(1, Math.ceil(items.length / 6));
  items.forEach((it, i) => {
    if (i % every === 0 || i === items.length - 1) {
      svg.append(s('text', {x: x(i), y: H - B + 18, 'text-anchor': 'middle'}, String(it.start).slice(5)));
    }
  });
  // low–high band
  const top = items.map((it, i) => `${x(i)},${y(it.maxPrice)}`);
  const bottom = items.map((it, i) => `${x(i)},${y(it.minPrice)}`).reverse();
  svg.append(s('polygon', {points: top.concat(bottom).join(' '), fill: '#cfe3d3', stroke: 'none', class: 'band'}));
  // average line and points
  svg.append(s('polyline', {points: items.map((it, i) => `${x(i)},${y(it.avgPrice)}`).join(' '),
    fill: 'none', stroke: '#0b5d1e', 'stroke-width': 3, class: 'avg'}));
  items.forEach((it, i) => {
    const c = s('circle', {cx: x(i), cy: y(it.avgPrice), r: 4, fill: '#0b5d1e', class: 'pt'});
    c.append(s('title', {}, `${it.start}: ${fen(it.avgPrice)} (${fen(it.minPrice)}–${fen(it.maxPrice)})`));
    svg.append(c);
  });
  svg.append(s('line', {x1: L, x2: L, y1: T, y2: H - B, stroke: '#333'}));
  svg.append(s('line', {x1: L, x2: W - R, y1: H - B, y2: H - B, stroke: '#333'}));
  return svg;
}
