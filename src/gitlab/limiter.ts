/**
 * One global concurrency limit and request-rate limits shared by every call (PRODUCT.md 3.2).
 * Rates are enforced by spacing request starts evenly (60 000 / limit ms apart), so no
 * sliding or fixed one-minute window on the server ever sees more than `limit` requests.
 */

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
  private readonly urgent: Array<() => void> = [];
  private readonly queue: Array<() => void> = [];
  constructor(private readonly max: number) {}

  async acquire(urgent = false): Promise<void> {
    if (this.active < this.max) {
      this.active++;
      return;
    }
    await new Promise<void>((resolve) => (urgent ? this.urgent : this.queue).push(resolve));
  }

  release(): void {
    const next = this.urgent.shift() ?? this.queue.shift();
    if (next) next();
    else this.active--;
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
  private readonly intervalMs: number;
  private readonly burst: number;
  constructor(
    perMinute: number,
    private readonly now: () => number = Date.now,
    private readonly sleep: Sleep = realSleep,
  ) {
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
