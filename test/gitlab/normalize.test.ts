/**
 * The boundary rules of ../../docs/collection.md#payload-variations record by record: tier guess (GitLab's
 * Environment#guess_tier order), runners without runner_type, missing tag_list and
 * failure_reason, timestamps with offsets, and when unreadable records fail the run.
 */
import { describe, expect, it } from 'vitest';
import { MalformedRecordError, PayloadTally, guessTier, normalizeDeployment, normalizeEnvironment, normalizeJob } from '../../src/gitlab/normalize';
import { parseTimestamp, toUtcIso } from '../../src/time';

describe('guessTier (gitlabhq app/models/environment.rb Environment#guess_tier)', () => {
  it.each([
    ['production', 'production'],
    ['prd-eu', 'production'],
    ['Live', 'production'],
    ['staging', 'staging'],
    ['stg', 'staging'],
    ['pre-production', 'staging'], // staging is checked before production
    ['demo', 'staging'],
    ['nonprod', 'staging'],
    ['model', 'staging'],
    ['prod-test', 'testing'], // testing before staging and production
    ['qa', 'testing'],
    ['acceptance', 'testing'],
    ['integration', 'testing'],
    ['review/feature-1', 'development'], // development first of all
    ['dev-production', 'development'],
    ['trunk', 'development'],
    ['sandbox', 'other'],
  ])('%s → %s', (name, tier) => {
    expect(guessTier(name)).toBe(tier);
  });

  it('is used only when GitLab sent no tier, and flagged', () => {
    expect(normalizeEnvironment({ id: 1, name: 'live' }, 9)).toEqual({ id: 1, projectId: 9, name: 'live', tier: 'production', tierGuessed: true });
    expect(normalizeEnvironment({ id: 1, name: 'live', tier: 'other' }, 9)).toEqual({ id: 1, projectId: 9, name: 'live', tier: 'other' });
  });
});

describe('normalizeJob', () => {
  const base = { id: 5, status: 'success', created_at: '2026-10-01T10:00:00.000Z', duration: 60, tag_list: ['a'] };
  it('a runner object without runner_type: is_shared → instance_type, else unknown; runner null stays null (deleted)', () => {
    expect(normalizeJob({ ...base, runner: { id: 1, is_shared: true } }, 1)).toMatchObject({ runnerType: 'instance_type', runnerWithoutType: true });
    expect(normalizeJob({ ...base, runner: { id: 1, is_shared: false } }, 1)).toMatchObject({ runnerType: 'unknown', runnerWithoutType: true });
    const deleted = normalizeJob({ ...base, runner: null }, 1);
    expect(deleted.runnerType).toBeNull();
    expect(deleted.runnerWithoutType).toBeUndefined();
    expect(normalizeJob({ ...base, runner: { id: 1, is_shared: false, runner_type: 'group_type' } }, 1).runnerType).toBe('group_type');
  });
  it('no tag_list: no tags, flagged; a missing failure_reason stays unknown (null)', () => {
    const { tag_list: _t, ...noTags } = base;
    expect(normalizeJob(noTags, 1)).toMatchObject({ tags: [], noTagList: true });
    expect(normalizeJob(base, 1).noTagList).toBeUndefined();
    expect(normalizeJob({ ...base, status: 'failed' }, 1).failureReason).toBeNull();
  });
});

describe('normalizeDeployment', () => {
  it('finish time: deployable.finished_at, else updated_at (flagged); neither: unreadable', () => {
    const d = { id: 3, status: 'success', updated_at: '2026-10-12T10:00:00+02:00', environment: { id: 1, name: 'production' } };
    expect(normalizeDeployment({ ...d, deployable: { finished_at: '2026-10-10T10:00:00Z', pipeline: { id: 7 } } }, 1)).toMatchObject({
      finishedAt: '2026-10-10T10:00:00.000Z',
    });
    expect(normalizeDeployment({ ...d, deployable: { finished_at: null, pipeline: { id: 7 } } }, 1)).toMatchObject({
      finishedAt: '2026-10-12T08:00:00.000Z',
      finishedAtFromUpdatedAt: true,
      pipelineId: 7,
    });
    expect(() => normalizeDeployment({ id: 3, status: 'success', deployable: null }, 1)).toThrow(MalformedRecordError);
  });
});

describe('timestamps', () => {
  it('offsets and fractional seconds of any length are normalized to UTC; no offset is UTC, never local time', () => {
    expect(toUtcIso('2026-11-01T04:00:00.123456+08:00')).toBe('2026-10-31T20:00:00.123Z');
    expect(toUtcIso('2026-10-31T21:30:00-04:30')).toBe('2026-11-01T02:00:00.000Z');
    expect(toUtcIso('2026-10-31T21:30:00+0800')).toBe('2026-10-31T13:30:00.000Z');
    expect(toUtcIso('2026-10-31T21:30:00')).toBe('2026-10-31T21:30:00.000Z');
    expect(toUtcIso('2026-10-31 21:30:00 UTC')).toBe('2026-10-31T21:30:00.000Z');
    expect(toUtcIso('2026-13-01T00:00:00Z')).toBeNull();
    expect(toUtcIso('yesterday')).toBeNull();
    expect(parseTimestamp('2026-10-31T21:30:00.000+00:00')).toEqual({ iso: '2026-10-31T21:30:00.000Z', offset: false });
    expect(parseTimestamp('2026-10-31T21:30:00.000+01:00')?.offset).toBe(true);
  });
  it('the canonical UTC form read as is gives what the general parse gives, impossible dates included', () => {
    // Every instant of a day every 7 hours 13 minutes 17.5 seconds over 1999-2031: the string
    // GitLab.com sends is already the instant (the general parse would rebuild the same string).
    for (let ms = Date.UTC(1999, 0, 1); ms < Date.UTC(2031, 0, 1); ms += 25_997_500) {
      const s = new Date(ms).toISOString();
      expect(parseTimestamp(s)).toEqual({ iso: s, offset: false });
    }
    // Days 29-31 are rolled over the general way (Date.UTC), never kept as written.
    expect(toUtcIso('2026-02-30T10:00:00.000Z')).toBe('2026-03-02T10:00:00.000Z');
    expect(toUtcIso('2024-02-29T10:00:00.000Z')).toBe('2024-02-29T10:00:00.000Z');
    expect(toUtcIso('2026-04-31T23:59:59.999Z')).toBe('2026-05-01T23:59:59.999Z');
    expect(toUtcIso('2026-10-31T24:00:00.000Z')).toBeNull();
    expect(toUtcIso('2026-10-00T10:00:00.000Z')).toBeNull();
  });
});

describe('PayloadTally', () => {
  const job = (id: unknown) => ({ id, status: 'success', created_at: '2026-10-01T10:00:00+02:00' });
  it('skips and counts unreadable records, counts offset timestamps', () => {
    const t = new PayloadTally();
    const read = t.readAll('jobs', [job(1), job(null), 'not an object', job(4)], (r) => normalizeJob(r, 1));
    expect(read.map((j) => j.id)).toEqual([1, 4]);
    expect(t.counts()).toEqual({ unreadable: { jobs: 2 }, offsetTimestamps: 2 });
  });
  it('fails only above 5% of a kind and at least 5 records', () => {
    const run = (bad: number, good: number) => {
      const t = new PayloadTally();
      t.readAll('jobs', [...Array.from({ length: bad }, () => job(null)), ...Array.from({ length: good }, (_, i) => job(i + 1))], (r) => normalizeJob(r, 1));
      return () => t.check();
    };
    expect(run(1, 2)).not.toThrow(); // 1 of 3: too few to judge the instance
    expect(run(4, 0)).not.toThrow();
    expect(run(5, 95)).not.toThrow(); // exactly 5%
    expect(run(5, 94)).toThrow(/5 of 99 job records \(5\.1%\) were unreadable/);
  });
});
