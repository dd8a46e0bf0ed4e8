/** A tiny builder for hand-made Datasets: every record gets plain defaults and an auto id. */

import type { Config } from '../../src/config/types';
import { computeMetrics } from '../../src/metrics/compute';
import type { MetricsResult, MonthMetrics } from '../../src/metrics/types';
import { baseConfig } from '../gitlab/config-fixture';
import {
  emptyDataset,
  type Dataset,
  DeploymentMergeRequestRecord,
  DeploymentRecord,
  type EnvironmentRecord,
  type IssueRecord,
  type JobRecord,
  type MergeRequestRecord,
  type PipelineRecord,
  type ProjectRecord,
} from '../../src/model/types';

/** The shared test Config with the defaults these hand-worked scenarios assume. */
export function makeConfig(over: Partial<Config> = {}): Config {
  return baseConfig({ costPerMinute: 0.01, month: '2025-03', months: 1, ...over });
}

export class Data {
  readonly ds: Dataset = emptyDataset({
    toolVersion: 'test',
    group: 'acme',
    windowStart: '2025-01-01T00:00:00.000Z',
    windowEnd: '2025-04-01T00:00:00.000Z',
    skippedProjects: [],
    retries: {},
    requests: {},
    shards: 1,
  });
  private nextId = 1;
  private id(): number {
    return this.nextId++;
  }

  project(path: string, team: string | null = null): ProjectRecord {
    const id = this.id();
    const p: ProjectRecord = {
      id,
      name: path.split('/').pop() as string,
      path,
      webUrl: `https://gitlab.example.com/${path}`,
      namespacePath: path.split('/').slice(0, -1).join('/'),
      topics: [],
      team,
    };
    this.ds.projects.push(p);
    return p;
  }

  env(project: ProjectRecord, name = 'production', tier: string | null = 'production'): EnvironmentRecord {
    const e: EnvironmentRecord = { id: this.id(), projectId: project.id, name, tier };
    this.ds.environments.push(e);
    return e;
  }

  /** A deployment; each call gets its own pipeline unless `pipelineId` is given. */
  deploy(
    env: EnvironmentRecord,
    finishedAt: string,
    over: Partial<Omit<DeploymentRecord, 'projectId' | 'environmentId' | 'environmentName' | 'finishedAt'>> = {},
  ): DeploymentRecord {
    const id = this.id();
    const d: DeploymentRecord = {
      id,
      iid: id,
      projectId: env.projectId,
      environmentId: env.id,
      environmentName: env.name,
      status: 'success',
      ref: 'main',
      sha: `sha${id}`,
      createdAt: finishedAt,
      updatedAt: finishedAt,
      finishedAt,
      pipelineId: 10_000 + id,
      commitAuthoredAt: null,
      ...over,
    };
    this.ds.deployments.push(d);
    return d;
  }

  baseline(env: EnvironmentRecord, hasEarlierSuccess: boolean, lastSha: string | null = null): void {
    this.ds.baselines.push({
      projectId: env.projectId,
      environmentId: env.id,
      environmentName: env.name,
      hasEarlierSuccess,
      lastSha,
      lastFinishedAt: lastSha === null ? null : '2024-12-01T00:00:00.000Z',
    });
  }

  /** Links an MR (by iid, in the deployment's project) to a deployment. */
  link(
    d: DeploymentRecord,
    mrIid: number,
    over: Partial<Omit<DeploymentMergeRequestRecord, 'deploymentId' | 'projectId' | 'mrIid'>> = {},
  ): DeploymentMergeRequestRecord {
    const l: DeploymentMergeRequestRecord = {
      projectId: d.projectId,
      deploymentId: d.id,
      mrId: 50_000 + mrIid,
      mrIid,
      mrProjectId: d.projectId,
      createdAt: '2025-01-01T00:00:00.000Z',
      mergedAt: null,
      labels: [],
      firstCommitAuthoredAt: null,
      commitCount: 1,
      ...over,
    };
    this.ds.deploymentMergeRequests.push(l);
    return l;
  }

  pipeline(project: ProjectRecord, createdAt: string, status = 'success', id = this.id()): PipelineRecord {
    const p: PipelineRecord = {
      id,
      projectId: project.id,
      ref: 'main',
      status,
      source: 'push',
      createdAt,
      updatedAt: createdAt,
      webUrl: `${project.webUrl}/-/pipelines/${id}`,
    };
    this.ds.pipelines.push(p);
    return p;
  }

  /** A job that ran; duration in seconds. */
  job(project: ProjectRecord, createdAt: string, duration: number | null, over: Partial<JobRecord> = {}): JobRecord {
    const j: JobRecord = {
      id: this.id(),
      projectId: project.id,
      pipelineId: null,
      name: 'build',
      stage: 'build',
      status: 'success',
      ref: 'main',
      createdAt,
      startedAt: null,
      finishedAt: null,
      duration,
      queuedDuration: null,
      failureReason: null,
      runnerType: 'instance_type',
      tags: [],
      ...over,
    };
    this.ds.jobs.push(j);
    return j;
  }

  issue(project: ProjectRecord, createdAt: string, over: Partial<IssueRecord> = {}): IssueRecord {
    const id = this.id();
    const i: IssueRecord = {
      id,
      iid: id,
      projectId: project.id,
      state: over.closedAt ? 'closed' : 'opened',
      createdAt,
      closedAt: null,
      labels: [],
      issueType: 'issue',
      milestoneDueDate: null,
      ...over,
    };
    this.ds.issues.push(i);
    return i;
  }

  incident(project: ProjectRecord, createdAt: string, closedAt: string | null = null, labels: string[] = []): IssueRecord {
    return this.issue(project, createdAt, { issueType: 'incident', closedAt, labels });
  }

  mr(project: ProjectRecord, createdAt: string, mergedAt: string | null): MergeRequestRecord {
    const id = this.id();
    const m: MergeRequestRecord = {
      id,
      iid: id,
      projectId: project.id,
      state: mergedAt ? 'merged' : 'opened',
      targetBranch: 'main',
      createdAt,
      mergedAt,
      labels: [],
    };
    this.ds.mergeRequests.push(m);
    return m;
  }

  run(over: Partial<Config> = {}): MetricsResult {
    return computeMetrics(this.ds, makeConfig(over));
  }
}

/** The portfolio's metrics for one month (default: the report month). */
export function portfolioMonth(r: MetricsResult, month = r.reportMonth): MonthMetrics {
  const m = r.portfolio.months.find((x) => x.month === month);
  if (!m) throw new Error(`no portfolio month ${month}`);
  return m;
}

export function teamMonth(r: MetricsResult, team: string, month = r.reportMonth): MonthMetrics {
  const m = r.teams.find((t) => t.team === team)?.months.find((x) => x.month === month);
  if (!m) throw new Error(`no team month ${team} ${month}`);
  return m;
}

export function projectMonth(r: MetricsResult, path: string, month = r.reportMonth): MonthMetrics {
  const m = r.projects.find((p) => p.project === path)?.months.find((x) => x.month === month);
  if (!m) throw new Error(`no project month ${path} ${month}`);
  return m;
}

/** Hours → ms, for readable timestamps arithmetic. */
export const H = 3_600_000;
export function at(iso: string, plusHours = 0): string {
  return new Date(Date.parse(iso) + plusHours * H).toISOString();
}
