import type { Config } from '../../src/config/types';

/** A complete Config for tests that talk to the fake GitLab; override what a test needs. */
export function baseConfig(over: Partial<Config> = {}): Config {
  return {
    group: 'acme',
    gitlabUrl: 'https://gitlab.fake',
    token: 'tok-123',
    tokenVariable: 'GITLAB_TOKEN',
    environmentTier: 'production',
    environment: null,
    costPerMinute: 0.008,
    runnerRates: [],
    runnerRatesText: '',
    currency: 'USD',
    month: '2026-10',
    months: 12,
    timezone: 'UTC',
    teamSource: 'subgroup',
    teamFile: null,
    teamFilePath: '',
    changeFailure: 'deployments',
    incidentLabels: ['type::incident'],
    hotfixPattern: { source: '(?i)hotfix', pattern: 'hotfix', flags: 'i' },
    wiki: false,
    wikiProject: 'acme/reporting',
    wikiPrefix: 'dora-reports',
    // Off unless a test is about them: rendering them costs time every other run test would pay.
    deck: false,
    xlsx: false,
    outputDir: 'reports',
    cacheDir: null,
    snapshotDirs: [],
    snapshotOut: null,
    concurrency: 8,
    shard: null,
    quiet: true,
    requestTimeoutMs: 10_000,
    maxAttempts: 4,
    rateLimitPerMinute: 100_000,
    jobsRateLimitPerMinute: 100_000,
    ...over,
  };
}
