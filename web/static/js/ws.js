// AuctionSocket follows one auction's live stream (/ws/auctions/{id}) and
// keeps following it across dropped networks: it reconnects by itself with
// exponential backoff and jitter, asking for ?since=<last seq seen> so that
// bids placed while it was away are replayed in order, never twice.
import {session} from './api.js';

const HEARTBEAT_GRACE = 45000; // the server sends one every 20 s
const MAX_BACKOFF = 15000;

export class AuctionSocket {
  // handlers: {message(msg), state(s)}; s is 'connecting' | 'open' | 'closed'.
  constructor(id, handlers) {
    this.id = id;
    this.h = handlers;
    this.seq = 0; // last bid seq seen
    this.tries = 0;
    this.state = 'connecting';
    this.stopped = false;
    this.pending = new Map(); // ref → {resolve, timer}
    this.onOnline = () => { this.tries = 0; this.setState('connecting'); this.reconnectNow(); };
    this.onOffline = () => { if (this.ws) this.ws.close(); this.setState('closed'); };
    addEventListener('online', this.onOnline);
    addEventListener('offline', this.onOffline);
    this.connect();
  }

  setState(s) {
    if (this.state === s) return;
    this.state = s;
    this.h.state?.(s);
  }

  connect() {
    if (this.stopped) return;
    clearTimeout(this.retryTimer);
    // A retry after a drop keeps showing "disconnected" until it succeeds:
    // flickering between the two would tell a farmer nothing.
    if (this.state !== 'closed') this.setState('connecting');
    if (!navigator.onLine) { this.setState('closed'); this.scheduleRetry(); return; } // or 'online' brings us back
    const u = new URL(`/ws/auctions/${encodeURIComponent(this.id)}`, location.href);
    u.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
    u.searchParams.set('since', String(this.seq));
    const tok = session.token();
    if (tok) u.searchParams.set('token', tok);
    let ws;
    try { ws = new WebSocket(u); } catch { this.scheduleRetry(); return; }
    this.ws = ws;
    ws.onopen = () => { this.tries = 0; this.setState('open'); this.watchdog(); };
    ws.onmessage = (ev) => {
      this.watchdog();
      let m;
      try { m = JSON.parse(ev.data); } catch { return; }
      if (m.type === 'bid' && m.bid) {
        if (m.bid.seq <= this.seq) return; // already seen before a reconnect
        this.seq = m.bid.seq;
      }
      if (m.type === 'ack' || m.type === 'reject') this.settle(m.ref, m);
      this.h.message?.(m);
    };
    ws.onclose = () => {
      if (this.ws !== ws) return;
      this.ws = null;
      clearTimeout(this.dogTimer);
      this.failPending();
      this.setState('closed');
      this.scheduleRetry();
    };
    ws.onerror = () => { /* onclose follows */ };
  }

  // watchdog closes a socket that went silent (a phone that lost its
  // network often never sees a close), so that a reconnect can start.
  watchdog() {
    clearTimeout(this.dogTimer);
    this.dogTimer = setTimeout(() => { if (this.ws) this.ws.close(); }, HEARTBEAT_GRACE);
  }

  scheduleRetry() {
    if (this.stopped || this.closedForGood) return;
    clearTimeout(this.retryTimer);
    const base = Math.min(MAX_BACKOFF, 500 * 2 ** this.tries);
    this.tries += 1;
    const wait = base / 2 + Math.random() * base / 2; // jitter: not every phone at once
    this.retryTimer = setTimeout(() => this.connect(), wait);
  }

  reconnectNow() {
    if (this.stopped || this.closedForGood) return;
    if (this.ws && this.ws.readyState <= 1) return;
    this.connect();
  }

  // bid sends {"type":"bid","ref","amount"} and resolves with the ack or
  // reject; null when the socket is not open (the caller then uses HTTP).
  bid(amount, ref) {
    if (!this.ws || this.ws.readyState !== 1) return null;
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.settle(ref, {type: 'timeout', ref}), 10000);
      this.pending.set(ref, {resolve, timer});
      this.ws.send(JSON.stringify({type: 'bid', ref, amount}));
    });
  }

  settle(ref, m) {
    const p = this.pending.get(ref);
    if (!p) return;
    clearTimeout(p.timer);
    this.pending.delete(ref);
    p.resolve(m);
  }

  failPending() {
    for (const ref of [...this.pending.keys()]) this.settle(ref, {type: 'timeout', ref});
  }

  // finished: the auction closed; no reconnects after the socket ends.
  finished() { this.closedForGood = true; }

  stop() {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    clearTimeout(this.dogTimer);
    removeEventListener('online', this.onOnline);
    removeEventListener('offline', this.onOffline);
    this.failPending();
    if (this.ws) { const ws = this.ws; this.ws = null; ws.close(); }
  }
}
