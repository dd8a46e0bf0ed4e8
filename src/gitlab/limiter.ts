/**
 * One global concurrency limit and request-rate limits shared by every call (../../docs/collection.md#pacing).
 * Rates are enforced by spacing request starts evenly (60 000 / limit ms apart), so no
 * sliding or fixed one-minute window on the server ever sees more than `limit` requests.
 */

/**
 * A first-in first-out queue whose `shift` is O(1). `Array.prototype.shift` moves every
 * element left: with the fan-out's tens of thousands of waiters, each permit handed on cost
 * ~50 µs of the client's event loop (5.6 s of a 200-project run's CPU profile).
 */
export class Fifo<T> {
  private items: T[] = [];
  private head = 0;

  get length(): number {
    return this.items.length - this.head;
  }

  push(item: T): void {
    this.items.push(item);
  }

  shift(): T | undefined {
    if (this.head === this.items.length) return undefined;
    const item = this.items[this.head]!;
    this.items[this.head++] = undefined as T; // let the waiter be collected
    // Drop the consumed prefix once it is most of the array (amortized O(1) per item).
    if (this.head >= 1024 && this.head * 2 >= this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }
}

/**
 * A counting semaphore with two FIFO queues: `urgent` waiters are served first. Collection
 * fans out thousands of independent requests (one per deployment, one per MR) next to a few
 * long page chains (job pages follow a cursor, group listings follow next links). In one
 * FIFO a chain's next page would wait behind the whole fan-out every time, and the run
 * would end with the fan-out done and the chains crawling; served first, a chain advances
 * one page per round trip while the fan-out fills the remaining permits.
 */
export class Semaphore {
  private active = 0;
  private activeUrgent = 0;
  private readonly urgent = new Fifo<() => void>();
  private readonly queue = new Fifo<() => void>();
  /**
   * `urgentMax`: permits urgent requests may hold while the fan-out waits (default: all).
   * Listings are the heavy pages (100 jobs or deployments, ~0.2-0.3 MB of JSON each) and the
   * fan-out the light ones; with every permit on listings at the start of a run, both the
   * client and the server parse and serialize at once while the light requests wait, and
   * the later phases have CPU to spare. Beyond the cap, urgent requests still take any
   * permit the fan-out does not want.
   */
  constructor(
    private readonly max: number,
    private readonly urgentMax: number = max,
  ) {}

  async acquire(urgent = false): Promise<void> {
    if (this.active < this.max && (!urgent || this.activeUrgent < this.urgentMax || this.queue.length === 0)) {
      this.active++;
      if (urgent) this.activeUrgent++;
      return;
    }
    await new Promise<void>((resolve) => (urgent ? this.urgent : this.queue).push(resolve));
  }

  /** Gives back a permit taken with `acquire(urgent)`; hands it to the next waiter, if any. */
  release(urgent = false): void {
    if (urgent) this.activeUrgent--;
    const urgentNext = this.urgent.length > 0 && (this.activeUrgent < this.urgentMax || this.queue.length === 0);
    const next = urgentNext ? this.urgent.shift() : this.queue.shift();
    if (!next) {
      this.active--;
      return;
    }
    if (urgentNext) this.activeUrgent++;
    next();
  }
}

export type Sleep = (ms: number) => Promise<void>;
export const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

/**
 * Evenly spaced request starts with a small burst allowance (a token bucket): at most
 * `perMinute` starts in any 60 s interval. The burst lets the limiter catch up after the
 * event loop was busy (a late timer would otherwise lose its slot for good); it is sized so
 * that burst + 60 s of refill stays under the limit.
 */
export class RateLimiter {
  private nextSlot = 0;
  private intervalMs = 0;
  private burst = 1;
  private perMinute = 0;
  constructor(
    perMinute: number,
    private readonly now: () => number = Date.now,
    private readonly sleep: Sleep = realSleep,
  ) {
    this.setRate(perMinute);
  }

  get rate(): number {
    return this.perMinute;
  }

  /** Changes the limit for the slots reserved from now on. */
  setRate(perMinute: number): void {
    this.perMinute = perMinute;
    // A hair over 60 000 / limit keeps us under the limit even when the server's window
    // boundaries and our clock disagree by a few milliseconds.
    this.intervalMs = perMinute > 0 ? (60_000 / perMinute) * 1.01 : 0;
    // burst + 60 000 / interval = burst + limit / 1.01 <= limit  ⇔  burst <= limit × 0.0099
    this.burst = Math.max(1, Math.floor(perMinute * 0.009));
  }

  /** Waits for the next free slot. */
  async take(): Promise<void> {
    if (this.intervalMs === 0) return;
    const now = this.now();
    // Slots left unused while we were late are kept, up to `burst` of them.
    const slot = Math.max(this.nextSlot, now - (this.burst - 1) * this.intervalMs);
    this.nextSlot = slot + this.intervalMs;
    if (slot > now) await this.sleep(slot - now);
  }

  /** Pushes every future slot back until `untilMs` (after a 429 told us to wait). */
  pauseUntil(untilMs: number): void {
    this.nextSlot = Math.max(this.nextSlot, untilMs + (this.burst - 1) * this.intervalMs);
  }
}

/**
 * What one response said about one server-side throttle (GitLab's RateLimit-* headers,
 * S:lib/gitlab/rack_attack/request_throttle_data.rb). `limitPerMinute` is the period's limit
 * converted to a minute and rounded up, so the period length is recovered from
 * observed + remaining (the period's own limit) divided by it.
 */
export interface QuotaReport {
  name: string;
  limitPerMinute: number;
  observed: number;
  remaining: number;
  /** local-clock ms at which the current period ends */
  resetMs: number;
}

interface Quota {
  periodLimit: number;
  periodMs: number;
  remaining: number;
  resetMs: number;
  /** seq of the request whose response set `remaining`; later reservations count as spent */
  reportSeq: number;
}

/**
 * Paces requests by the quota the server announces (../../docs/collection.md#pacing): the quota left in the
 * current period is spread evenly until the period ends. A fixed window of 7,200 per hour is
 * spent at ~2/s instead of in one burst followed by an hour of 429s; a 2,000/min window at
 * ~33/s. Without any report (self-managed GitLab with throttles off) nothing is paced.
 *
 * Slots are reserved synchronously in `take()` order (like RateLimiter), each with a
 * sequence number. Responses come back out of order, so a report only replaces a quota when
 * its request is newer than the one behind the last accepted report; the reservations made
 * after that request count as already spent against it.
 */
export class QuotaPacer {
  private seq = 0;
  private lastSlot = Number.NEGATIVE_INFINITY;
  private pausedUntil = 0;
  private readonly quotas = new Map<string, Quota>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly sleep: Sleep = realSleep,
  ) {}

  /** True once any response carried RateLimit-* headers. */
  get known(): boolean {
    return this.quotas.size > 0;
  }

  /** Reserves the next slot, waits for it and returns the request's sequence number. */
  async take(): Promise<number> {
    const seq = ++this.seq;
    const now = this.now();
    let slot = Math.max(now, this.pausedUntil);
    if (this.quotas.size > 0) {
      let paced = slot;
      for (const q of this.quotas.values()) paced = Math.max(paced, this.slotFor(q, seq, slot));
      slot = paced;
      this.lastSlot = slot;
    }
    if (slot > now) await this.sleep(slot - now);
    return seq;
  }

  private slotFor(q: Quota, seq: number, start: number): number {
    // Spacing runs from the latest reservation, not from now: with requests queued ahead,
    // measuring from now would stretch every gap and leave part of the quota unspent.
    const base = Math.max(start, this.lastSlot);
    if (base >= q.resetMs) this.roll(q, base, seq);
    // A small reserve for other clients of the same user and for reports a little stale.
    const safety = Math.max(2, Math.ceil(q.periodLimit * 0.01));
    const budget = q.remaining - (seq - 1 - q.reportSeq) - safety;
    if (budget <= 0) {
      // Nothing left this period: the first request of the next one goes at its start.
      const from = Math.max(base, q.resetMs);
      this.roll(q, from, seq);
      return from;
    }
    const spacing = (q.resetMs - base) / budget;
    return Math.max(start, this.lastSlot + spacing);
  }

  /** Moves a quota whose period has ended to the period containing `t`, full again. */
  private roll(q: Quota, t: number, seq: number): void {
    const k = q.periodMs > 0 ? Math.floor((t - q.resetMs) / q.periodMs) + 1 : 1;
    q.resetMs += Math.max(1, k) * q.periodMs;
    q.remaining = q.periodLimit;
    q.reportSeq = seq - 1;
  }

  /** Records a response's RateLimit-* headers; `seq` is the request's sequence number. */
  report(seq: number, r: QuotaReport): void {
    if (!(r.limitPerMinute > 0) || !Number.isFinite(r.resetMs)) return;
    const q = this.quotas.get(r.name);
    if (q) {
      if (seq <= q.reportSeq) return; // older than what we know
      // A late answer from a period we have already rolled past says nothing about this one.
      if (r.resetMs < q.resetMs - 1000) return;
    }
    // observed + remaining is the period's limit while there is room. Once throttled,
    // observed also counts the refused requests: keep what we knew; with nothing known (an
    // older GitLab announces the quota on its 429s only), the limit was reached one request
    // before this one, or a few more when several were in flight.
    let periodLimit = Math.max(1, r.observed + r.remaining);
    if (r.remaining === 0) periodLimit = q ? q.periodLimit : Math.max(1, r.observed - 1);
    const periodMs = Math.max(1000, Math.round((periodLimit * 60_000) / r.limitPerMinute));
    this.quotas.set(r.name, { periodLimit, periodMs, remaining: Math.max(0, r.remaining), resetMs: r.resetMs, reportSeq: seq });
  }

  /** Holds every slot until `untilMs` (a 429 without any quota headers). */
  pauseUntil(untilMs: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, untilMs);
  }
}
