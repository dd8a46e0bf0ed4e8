/**
 * Progress and ETA (src/progress.ts) with an injected clock: CI output is throttled to one
 * plain line per LINE_EVERY_MS (a heartbeat after HEARTBEAT_MS of silence), never a carriage
 * return; the ETA is projects left / the measured rate of fetched projects.
 */
import { describe, expect, it } from 'vitest';
import { EtaEstimator, ProgressReporter, formatDuration, formatLine, progressMode } from '../src/progress';

function clocked() {
  let t = 0;
  let requests = 0;
  const lines: string[] = [];
  const p = new ProgressReporter({ mode: 'lines', now: () => t, write: (l) => lines.push(l) });
  p.requests = () => requests;
  return {
    p,
    lines,
    at(ms: number, req = requests) {
      t = ms;
      requests = req;
    },
  };
}

describe('progress lines in a CI log', () => {
  it('prints at most one line per 10 s, a heartbeat after 60 s of silence, and no carriage return', () => {
    const c = clocked();
    c.p.start(10);
    c.at(1_000, 50);
    c.p.projectDone(false); // first line at once
    c.at(5_000, 100);
    c.p.projectDone(false); // 4 s after the last line: none
    c.at(10_999, 150);
    c.p.projectDone(false); // 9.999 s: none
    c.at(11_000, 160);
    c.p.projectDone(false); // 10 s: a line
    c.at(21_000, 300);
    c.p.heartbeat(); // 10 s of silence: no heartbeat yet
    c.at(71_000, 900);
    c.p.heartbeat(); // 60 s of silence: a line even though no project finished
    expect(c.lines).toHaveLength(3);
    // 1 project in 1 s, 9 left: 9 s. 50 requests in 1 s = 3,000/min.
    expect(c.lines[0]).toBe('collecting: 1/10 projects, 50 requests (3,000/min), less than a minute left');
    // 4 projects in 11 s, 6 left: 16.5 s. 160 requests in 11 s = 872.7/min.
    expect(c.lines[1]).toBe('collecting: 4/10 projects, 160 requests (873/min), less than a minute left');
    // 4 projects in 71 s, 6 left: 106.5 s = 2 min (rounded). 900 requests in 71 s = 760.6/min.
    expect(c.lines[2]).toBe('collecting: 4/10 projects, 900 requests (761/min), about 2 min left');
    for (const l of c.lines) expect(l).not.toMatch(/[\r\n]/);
  });

  it('ends with a closing line; --quiet prints nothing', () => {
    const c = clocked();
    c.p.start(2);
    c.at(30_000, 40);
    c.p.projectDone(false);
    c.at(130_000, 90);
    c.p.projectDone(false);
    c.p.end();
    c.p.end(); // idempotent
    expect(c.lines.at(-1)).toBe('collecting: 2/2 projects, 90 requests (42/min), done in 2 min');
    const lines: string[] = [];
    const quiet = new ProgressReporter({ mode: progressMode(true, false, {}), now: () => 0, write: (l) => lines.push(l) });
    quiet.start(3);
    quiet.projectDone(false);
    quiet.heartbeat();
    quiet.end();
    expect(lines).toEqual([]);
  });

  it('is plain lines in CI or without a terminal, a redrawn bar only on a terminal outside CI', () => {
    expect(progressMode(false, true, {})).toBe('tty');
    expect(progressMode(false, true, { CI: 'true' })).toBe('lines');
    expect(progressMode(false, false, {})).toBe('lines');
    expect(progressMode(true, true, {})).toBe('off');
  });
});

describe('the ETA', () => {
  it('is projects left over the rate of fetched projects; projects from a checkpoint are done but not in the rate', () => {
    let t = 0;
    const e = new EtaEstimator(() => t, () => 0);
    e.start(10);
    e.projectDone(true);
    e.projectDone(true);
    expect(e.status().etaMs).toBeNull(); // nothing fetched yet: nothing to measure
    t = 60_000;
    e.projectDone(false);
    t = 120_000;
    e.projectDone(false);
    // 2 fetched in 120 s; 6 left: 6 x 60 s = 360 s.
    const s = e.status();
    expect(s).toMatchObject({ done: 4, total: 10, resumed: 2, etaMs: 360_000 });
    expect(formatLine(s)).toBe('collecting: 4/10 projects (2 from the checkpoint), 0 requests (0/min), about 6 min left');
  });

  it('follows the recent rate: counted from the last measure taken at or before 5 minutes ago', () => {
    let t = 0;
    const e = new EtaEstimator(() => t, () => 0);
    e.start(10);
    t = 60_000;
    e.projectDone(false); // slow start: 1 project in the first 10 minutes
    for (const at of [600_000, 660_000, 720_000]) {
      t = at;
      e.projectDone(false);
    }
    // Measures at 0, 60, 600, 660, 720 s; 5 min before 720 s is 420 s: the last measure at or
    // before it is 60 s (1 done). 3 fetched in 660 s; 6 left: 6 x 220 s = 1,320 s.
    expect(e.status().etaMs).toBe(1_320_000);
  });

  it("starts from the preflight's estimate of the requests, and weighs the projects' rate in as projects finish", () => {
    let t = 0;
    let requests = 0;
    const e = new EtaEstimator(() => t, () => requests);
    e.start(43);
    e.expectRequests(22_600);
    // 30 s in, no project finished yet (all 43 are read at once), 11,000 requests made:
    // 11,600 expected requests left at 22,000/min = 31.6 s; before, "time left: measuring".
    t = 30_000;
    requests = 11_000;
    expect(e.status().etaMs).toBeCloseTo((11_600 / 11_000) * 30_000, 6);
    // 40 s in, 20 of 43 done, 16,000 requests: by requests 6,600 left at 400/s = 16.5 s; by
    // projects 23 left at 0.5/s = 46 s; weights 23/43 and 20/43.
    t = 40_000;
    requests = 16_000;
    for (let i = 0; i < 20; i++) e.projectDone(false);
    expect(e.status().etaMs).toBeCloseTo((23 / 43) * 16_500 + (20 / 43) * 46_000, 6);
    // more requests than expected: the estimate was low, the projects' rate alone decides
    t = 50_000;
    requests = 23_000;
    e.projectDone(false);
    expect(e.status().etaMs).toBeCloseTo(22 / (21 / 50_000), 6);
  });

  it('expects no requests for projects taken from the checkpoint', () => {
    let t = 0;
    let requests = 0;
    const e = new EtaEstimator(() => t, () => requests);
    e.start(10);
    e.expectRequests(10_000);
    for (let i = 0; i < 5; i++) e.projectDone(true);
    // 5 of 10 from the checkpoint: 5,000 requests expected; 1,000 made in 10 s; 4,000 left at 100/s = 40 s,
    // (no fetched project has finished: by requests alone)
    t = 10_000;
    requests = 1_000;
    expect(e.status().etaMs).toBeCloseTo(40_000, 6);
  });

  it('formats durations for people', () => {
    expect(formatDuration(59_000)).toBe('under a minute');
    expect(formatDuration(12 * 60_000)).toBe('12 min');
    expect(formatDuration(89 * 60_000)).toBe('89 min');
    expect(formatDuration(185 * 60_000)).toBe('3 h 05 min');
  });
});
