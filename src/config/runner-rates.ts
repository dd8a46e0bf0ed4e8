import type { RunnerRate } from './types';

/** The runner_type values GitLab reports on a job's runner. */
const RUNNER_TYPES = ['instance_type', 'group_type', 'project_type'] as const;

export const RUNNER_RATES_ACCEPTED =
  'a comma list of <runner_type>=<rate> or tag:<tag>=<rate>, runner_type one of ' +
  `${RUNNER_TYPES.join(', ')}, rate a number >= 0, e.g. instance_type=0.008,tag:saas-linux-large-amd64=0.024`;

/** A decimal number as people write it in CI variables (no hex, no Infinity). */
export const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

interface RunnerRateIssue {
  entry: string;
  reason: string;
}

/** Parses every entry and collects every bad one, so all can be reported at once. */
export function readRunnerRates(text: string): { rates: RunnerRate[]; issues: RunnerRateIssue[] } {
  const rates: RunnerRate[] = [];
  const issues: RunnerRateIssue[] = [];
  // Empty entries (a trailing comma) carry nothing, so they are skipped rather than refused.
  const entries = text.split(',').map((e) => e.trim()).filter((e) => e !== '');
  for (const entry of entries) {
    const eq = entry.lastIndexOf('=');
    if (eq < 0) {
      issues.push({ entry, reason: 'expected <key>=<rate>' });
      continue;
    }
    const key = entry.slice(0, eq).trim();
    const rateText = entry.slice(eq + 1).trim();
    const rate = Number(rateText);
    if (!DECIMAL.test(rateText) || !Number.isFinite(rate)) {
      issues.push({ entry, reason: `the rate "${rateText}" is not a number` });
      continue;
    }
    if (rate < 0) {
      issues.push({ entry, reason: `the rate ${rateText} is negative` });
      continue;
    }
    if (key.toLowerCase().startsWith('tag:')) {
      const tag = key.slice(4).trim();
      if (tag === '') issues.push({ entry, reason: 'the tag name is empty' });
      else rates.push({ kind: 'tag', tag, rate });
      continue;
    }
    const runnerType = key.toLowerCase();
    if ((RUNNER_TYPES as readonly string[]).includes(runnerType)) rates.push({ kind: 'runner_type', runnerType, rate });
    else issues.push({ entry, reason: `"${key}" is neither a runner type (${RUNNER_TYPES.join(', ')}) nor tag:<tag>` });
  }
  return { rates, issues };
}

/** Parses runner_rates or throws one error describing every bad entry. */
export function parseRunnerRates(text: string): RunnerRate[] {
  const { rates, issues } = readRunnerRates(text);
  if (issues.length > 0) {
    throw new Error(`invalid runner_rates: ${issues.map((i) => `"${i.entry}": ${i.reason}`).join('; ')}`);
  }
  return rates;
}
