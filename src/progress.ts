/**
 * Progress of the collection with an estimate of the time left, on stderr.
 *
 * The estimate blends two. By requests: the requests the preflight's estimate still expects,
 * over the recent request rate; it is right from the first seconds as far as the estimate is
 * (a bench model: real groups differ), and is dropped once the run has made more requests
 * than expected. By projects: projects left over the rate at which fetched projects finished
 * over the last few minutes (projects taken from a checkpoint are counted as done but kept
 * out of the rate and out of the expected requests: they cost no time); it knows nothing
 * until projects finish, and up to 64 projects are read at once, so the first ones finish
 * late. The blend weighs the second by the share of projects done.
 *
 * In a CI log (stderr not a TTY, or CI=true) it prints plain lines, at most one every
 * LINE_EVERY_MS and at least one every HEARTBEAT_MS while requests go on; no carriage
 * returns. On a terminal it redraws one line (cli-progress) and prints log lines above it.
 */
import { MultiBar, type SingleBar } from 'cli-progress';
import type { CollectProgress } from './gitlab/collect';

const LINE_EVERY_MS = 10_000;
const HEARTBEAT_MS = 60_000;
/**
 * The rate is measured over about this much recent time: from the last measure taken at or
 * before RATE_WINDOW_MS ago (or the start) to now. Measures are taken as projects finish.
 */
const RATE_WINDOW_MS = 5 * 60_000;

interface Sample {
  t: number;
  fetched: number;
  requests: number;
}

interface ProgressStatus {
  done: number;
  total: number;
  resumed: number;
  requests: number;
  /** Requests per minute over the recent window; null before any time has passed. */
  requestsPerMinute: number | null;
  /** Estimated time left; null while there is nothing to measure (no request rate with an estimate, no fetched project finished). */
  etaMs: number | null;
  elapsedMs: number;
}

/** Done/total, rates and the time left from timestamped samples (pure; the clock is injected). */
export class EtaEstimator {
  private total = 0;
  private done = 0;
  private resumed = 0;
  private started = 0;
  private samples: Sample[] = [];
  private expected: number | null = null;
  private requestsAtExpect = 0;

  constructor(
    private readonly now: () => number,
    private readonly requests: () => number,
  ) {}

  start(total: number): void {
    this.total = total;
    this.started = this.now();
    this.samples = [{ t: this.started, fetched: 0, requests: this.requests() }];
  }

  /** The requests the collection is expected to make from now (the preflight's estimate). */
  expectRequests(requests: number): void {
    this.expected = requests;
    this.requestsAtExpect = this.requests();
  }

  projectDone(resumed: boolean): void {
    this.done++;
    if (resumed) this.resumed++;
    this.sample();
  }

  private sample(): Sample {
    const s = { t: this.now(), fetched: this.done - this.resumed, requests: this.requests() };
    this.samples.push(s);
    // Keep one sample at or before the window start as the baseline of the rate.
    while (this.samples.length > 2 && this.samples[1]!.t <= s.t - RATE_WINDOW_MS) this.samples.shift();
    return s;
  }

  status(): ProgressStatus {
    const last = this.sample();
    const base = this.samples[0]!;
    const span = last.t - base.t;
    const fetchedRate = span > 0 ? (last.fetched - base.fetched) / span : 0;
    const left = this.total - this.done;
    const byProjects = fetchedRate > 0 ? left / fetchedRate : null;
    const requestRate = span > 0 ? (last.requests - base.requests) / span : 0;
    let byRequests: number | null = null;
    if (this.expected !== null && requestRate > 0 && this.total > 0) {
      const expected = (this.expected * (this.total - this.resumed)) / this.total;
      const made = last.requests - this.requestsAtExpect;
      if (made < expected) byRequests = (expected - made) / requestRate;
    }
    const w = this.total > 0 ? this.done / this.total : 1;
    const blended = byRequests !== null && byProjects !== null ? (1 - w) * byRequests + w * byProjects : (byRequests ?? byProjects);
    return {
      done: this.done,
      total: this.total,
      resumed: this.resumed,
      requests: last.requests,
      requestsPerMinute: span > 0 ? requestRate * 60_000 : null,
      etaMs: left === 0 ? 0 : blended,
      elapsedMs: last.t - this.started,
    };
  }
}

const num = (n: number) => Math.round(n).toLocaleString('en-US');

export function formatDuration(ms: number): string {
  const min = Math.round(ms / 60_000);
  if (ms < 60_000) return 'under a minute';
  if (min < 90) return `${min} min`;
  return `${Math.floor(min / 60)} h ${String(min % 60).padStart(2, '0')} min`;
}

function etaText(s: ProgressStatus): string {
  if (s.done === s.total) return `done in ${formatDuration(s.elapsedMs)}`;
  if (s.etaMs === null) return 'time left: measuring';
  return s.etaMs < 60_000 ? 'less than a minute left' : `about ${formatDuration(s.etaMs)} left`;
}

/** One plain line, e.g. "collecting: 37/200 projects, 4,321 requests (812/min), about 12 min left". */
export function formatLine(s: ProgressStatus): string {
  const resumed = s.resumed > 0 ? ` (${num(s.resumed)} from the checkpoint)` : '';
  const rate = s.requestsPerMinute === null ? '' : ` (${num(s.requestsPerMinute)}/min)`;
  return `collecting: ${num(s.done)}/${num(s.total)} projects${resumed}, ${num(s.requests)} requests${rate}, ${etaText(s)}`;
}

type ProgressMode = 'off' | 'lines' | 'tty';

interface ProgressOptions {
  mode: ProgressMode;
  now?: () => number;
  /** Where plain lines go (lines mode, and log lines in every mode). */
  write?: (line: string) => void;
  /** The terminal (tty mode). */
  stream?: NodeJS.WriteStream;
}

/** CI, or stderr is not a terminal: plain throttled lines. Else a redrawn bar. `--quiet`: nothing. */
export function progressMode(quiet: boolean, stderrIsTty: boolean, env: Record<string, string | undefined>): ProgressMode {
  if (quiet) return 'off';
  return stderrIsTty && env.CI !== 'true' ? 'tty' : 'lines';
}

export class ProgressReporter implements CollectProgress {
  /** Total requests so far; set by whoever owns the GitLab client. */
  requests: () => number = () => 0;
  private readonly now: () => number;
  private readonly writeRaw: (line: string) => void;
  private readonly eta: EtaEstimator;
  private lastLine = -Infinity;
  private timer: NodeJS.Timeout | null = null;
  private multibar: MultiBar | null = null;
  private bar: SingleBar | null = null;
  private closed = false;

  /** Whether collection has ended (or failed): the progress display is gone. */
  get closedOnce(): boolean {
    return this.closed;
  }

  constructor(private readonly o: ProgressOptions) {
    this.now = o.now ?? Date.now;
    this.writeRaw = o.write ?? ((line) => process.stderr.write(line + '\n'));
    this.eta = new EtaEstimator(this.now, () => this.requests());
  }

  /** A log line: above the bar while it is shown, else as it is. */
  writeLine = (line: string): void => {
    if (this.multibar) this.multibar.log(line + '\n');
    else this.writeRaw(line);
  };

  start(total: number): void {
    if (this.o.mode === 'off') return;
    this.eta.start(total);
    if (this.o.mode === 'tty') {
      this.multibar = new MultiBar({
        stream: this.o.stream ?? process.stderr,
        // Short enough for an 80-column terminal (cli-progress cuts the line at the width).
        format: 'collecting {bar} {value}/{total} projects | {rate} | {eta}',
        hideCursor: true,
        clearOnComplete: true,
        fps: 2,
        barsize: 20,
      });
      this.bar = this.multibar.create(total, 0, this.payload());
      this.timer = setInterval(() => this.bar?.update(this.payload()), 1000);
    } else {
      this.timer = setInterval(() => this.heartbeat(), LINE_EVERY_MS);
    }
    this.timer.unref();
  }

  private payload(): Record<string, string> {
    const s = this.eta.status();
    return {
      rate: s.requestsPerMinute === null ? `${num(s.requests)} requests` : `${num(s.requestsPerMinute)} requests/min`,
      eta: etaText(s),
    };
  }

  private line(): void {
    this.lastLine = this.now();
    this.writeRaw(formatLine(this.eta.status()));
  }

  /** The preflight's estimate of the requests to come (sharpens the time left from the start). */
  expectRequests(requests: number): void {
    if (this.o.mode !== 'off') this.eta.expectRequests(requests);
  }

  projectDone(resumed: boolean): void {
    if (this.o.mode === 'off') return;
    this.eta.projectDone(resumed);
    if (this.bar) this.bar.increment(1, this.payload());
    else if (this.now() - this.lastLine >= LINE_EVERY_MS) this.line();
  }

  /** Called every LINE_EVERY_MS in lines mode: a line when none came for HEARTBEAT_MS. */
  heartbeat(): void {
    if (this.o.mode === 'lines' && this.now() - this.lastLine >= HEARTBEAT_MS) this.line();
  }

  /** Collection finished: the closing line (with the time it took). */
  end(): void {
    if (this.o.mode === 'off' || this.closed) return;
    this.close();
    this.line();
  }

  /** Stops the timer and the bar (the cursor comes back); idempotent, also after a failure. */
  close(): void {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    if (this.multibar) {
      this.multibar.stop();
      this.multibar = null;
      this.bar = null;
    }
  }
}
