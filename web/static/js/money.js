// Money and time as people in Liaoning read them. Money is integer fen in
// the API; times are shown in Asia/Shanghai whatever the phone's zone.
import {lang, unitName} from './i18n.js';

const cny = new Intl.NumberFormat('zh-CN', {style: 'currency', currency: 'CNY'});

// fen(125550) → "¥1,255.50"
export function fen(n) {
  if (n == null) return '—';
  return cny.format(n / 100);
}

// unitPrice(1550, '斤') → "¥15.50/斤" (auction prices are per unit)
export function unitPrice(n, unit) {
  return fen(n) + (unit ? '/' + unitName(unit) : '');
}

// toFen("15.5") → 1550; null when it is not an amount of yuan with at most
// two decimals. Parsed as text so 0.1 + 0.2 never happens.
export function toFen(s) {
  const m = String(s).trim().replace(/[¥,，\s]/g, '').match(/^(\d{1,10})(?:[.。](\d{0,2}))?$/);
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] || '').padEnd(2, '0'));
}

// yuan(1550) → "15.50", for form fields.
export function yuan(n) {
  return n == null ? '' : (n / 100).toFixed(2);
}

const TZ = 'Asia/Shanghai';
const fmtCache = {};
function fmt(kind) {
  const key = lang() + kind;
  if (!fmtCache[key]) {
    const o = {timeZone: TZ, hour12: false};
    if (kind !== 'time') Object.assign(o, {year: 'numeric', month: '2-digit', day: '2-digit'});
    if (kind !== 'date') Object.assign(o, {hour: '2-digit', minute: '2-digit', second: kind === 'time' ? '2-digit' : undefined});
    fmtCache[key] = new Intl.DateTimeFormat(lang() === 'en' ? 'en-GB' : 'zh-CN', o);
  }
  return fmtCache[key];
}

// when("2026-11-27T02:20:22+08:00") → "2026/11/27 02:20" in Shanghai time.
export function when(t) { return t ? fmt('datetime').format(new Date(t)) : '—'; }
export function day(t) { return t ? fmt('date').format(new Date(t)) : '—'; }
export function clock(t) { return t ? fmt('time').format(new Date(t)) : '—'; }

// shanghaiLocal(date) → "2026-11-27T02:20:22", the value a
// datetime-local input shows for that instant in Shanghai.
export function shanghaiLocal(d) {
  const p = Object.fromEntries(new Intl.DateTimeFormat('en-CA', {timeZone: TZ, hour12: false,
    year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit'})
    .formatToParts(d).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day}T${p.hour === '24' ? '00' : p.hour}:${p.minute}:${p.second}`;
}

// fromShanghaiLocal("2026-11-27T02:20") → RFC 3339 with +08:00: what a
// farmer types is Shanghai time even on a phone set to another zone.
export function fromShanghaiLocal(v) {
  if (!v) return '';
  return (v.length === 16 ? v + ':00' : v) + '+08:00';
}

// count(12345) → "12,345"
const num = new Intl.NumberFormat('zh-CN');
export function count(n) { return n == null ? '—' : num.format(n); }

// duration(ms) → "1:02:03" or "02:03"; negative counts as zero.
export function duration(ms) {
  const s = Math.max(0, Math.floor(ms / 1000));
  const hh = Math.floor(s / 3600), mm = Math.floor((s % 3600) / 60), ss = s % 60;
  const two = (x) => String(x).padStart(2, '0');
  const d = Math.floor(hh / 24);
  if (d > 0) return `${d}d ${two(hh % 24)}:${two(mm)}:${two(ss)}`;
  return hh > 0 ? `${hh}:${two(mm)}:${two(ss)}` : `${two(mm)}:${two(ss)}`;
}
