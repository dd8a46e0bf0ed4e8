/**
 * Teams are assigned when collecting, so a --snapshot run with another team_source (or
 * another team file) is refused with exit 2 and both assignments named, instead of printing
 * the new source over the old teams.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { teamAssignment } from '../../src/config/teams';
import { emptyDataset, type TeamAssignment } from '../../src/model/types';
import { checkSnapshotTeams, readSnapshots, SnapshotError, writeSnapshot } from '../../src/store/snapshot';
import { runCli } from '../reliability/cli';

const root = mkdtempSync(join(tmpdir(), 'dora-snapshot-teams-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function snapshot(name: string, teams: TeamAssignment | undefined): string {
  const dir = join(root, name);
  writeSnapshot(
    dir,
    emptyDataset({
      toolVersion: '0.0.0-test',
      group: 'acme',
      windowStart: '2025-02-01T00:00:00.000Z',
      windowEnd: '2025-04-01T00:00:00.000Z',
      skippedProjects: [],
      retries: {},
      requests: {},
      shards: 1,
      ...(teams ? { teams } : {}),
    }),
  );
  return dir;
}

const file = (name: string) => ({ teams: [{ name, projects: ['acme/app'] }] });

describe('team assignment of a snapshot', () => {
  it('is recorded in meta.json and read back', () => {
    const dir = snapshot('subgroup', { source: 'subgroup', fileDigest: null });
    expect(readSnapshots([dir]).meta.teams).toEqual({ source: 'subgroup', fileDigest: null });
  });

  it('a digest only for a team file, which changes with its content', () => {
    expect(teamAssignment({ teamSource: 'topic', teamFile: null }).fileDigest).toBeNull();
    const a = teamAssignment({ teamSource: 'file', teamFile: file('alpha') }).fileDigest;
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(teamAssignment({ teamSource: 'file', teamFile: file('beta') }).fileDigest).not.toBe(a);
  });

  it('accepts the same assignment and a snapshot without one; refuses another source or another file', () => {
    const meta = (teams?: TeamAssignment) => readSnapshots([snapshot(`s${Math.random()}`, teams)]).meta;
    const sub = { source: 'subgroup', fileDigest: null };
    expect(() => checkSnapshotTeams(meta(sub), sub, ['d'])).not.toThrow();
    expect(() => checkSnapshotTeams(meta(undefined), { source: 'topic', fileDigest: null }, ['d'])).not.toThrow();
    expect(() => checkSnapshotTeams(meta(sub), { source: 'topic', fileDigest: null }, ['d'])).toThrow(SnapshotError);
    expect(() => checkSnapshotTeams(meta(sub), { source: 'topic', fileDigest: null }, ['d'])).toThrow(
      '--team-source / DORA_TEAM_SOURCE: "topic" differs from the snapshot "d", whose projects were assigned to teams by "subgroup"',
    );
    const fa = teamAssignment({ teamSource: 'file', teamFile: file('alpha') });
    const fb = teamAssignment({ teamSource: 'file', teamFile: file('beta') });
    expect(() => checkSnapshotTeams(meta(fa), fb, ['d'])).toThrow('--team-file / DORA_TEAM_FILE: its content differs');
  });

  it('shards collected with different assignments do not merge', () => {
    const a = snapshot('shard1', { source: 'subgroup', fileDigest: null });
    const b = snapshot('shard2', { source: 'topic', fileDigest: null });
    expect(() => readSnapshots([a, b])).toThrow(/Snapshots disagree/);
  });

  it('through the CLI: --snapshot with another --team-source exits 2 and writes nothing', async () => {
    const dir = snapshot('cli', { source: 'subgroup', fileDigest: null });
    const out = join(root, 'out');
    const args = ['--snapshot', dir, '--group', 'acme', '--month', '2025-03', '--months', '2', '--no-wiki', '--quiet', '--output-dir', out];
    const refused = await runCli([...args, '--team-source', 'topic']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('"topic" differs from the snapshot');
    expect(refused.stderr).toContain('(exit 2)');
    expect(existsSync(join(out, '2025-03'))).toBe(false);
    // the same source is fine
    const ok = await runCli([...args, '--team-source', 'subgroup']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(existsSync(join(out, '2025-03', 'report.md'))).toBe(true);
  });
});
