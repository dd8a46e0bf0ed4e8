/**
 * The error catalog for bad input (../../docs/outputs.md#errors-and-exit-codes): every problem names the input, the
 * value received and what is accepted, and all problems of a run are thrown at once
 * in one ConfigError (exit code 2), as semantic-release's resolveConfig does.
 */
import { RuntimeError } from './runtime-errors';

export interface Problem {
  /** Catalog code, stable for tests and tooling, e.g. "bad-month". */
  code: ProblemCode;
  /** The input as the user knows it, e.g. '--month / DORA_MONTH'. */
  input: string;
  /** The value received, already quoted and shortened; never the token. */
  received: string;
  /** What is accepted, in words. */
  accepted: string;
  /** One paragraph joining the three, as printed. */
  message: string;
}

/** code -> what went wrong, given the received value (and an optional detail). */
const catalog = {
  'unknown-flag': (r: string, d?: string) => `${r} is not an option${d ? ` (did you mean ${d}?)` : ''}`,
  'unexpected-argument': (r: string) => `${r} is not an option (options start with --)`,
  'missing-value': (r: string) => `${r} needs a value`,
  'no-value-allowed': (r: string) => `${r} takes no value`,
  required: (r: string) => `a value is required; received ${r}`,
  'not-a-number': (r: string) => `${r} is not a number`,
  'not-an-integer': (r: string) => `${r} is not a whole number`,
  'out-of-range': (r: string) => `${r} is out of range`,
  'not-one-of': (r: string) => `${r} is not one of the accepted values`,
  'bad-boolean': (r: string) => `${r} is not a boolean`,
  'bad-format': (r: string, d?: string) => `${r} is malformed${d ? `: ${d}` : ''}`,
  'bad-month': (r: string, d?: string) => `${r} is not a valid month${d ? `: ${d}` : ''}`,
  'future-month': (r: string, d?: string) => `${r} is in the future${d ? ` (${d})` : ''}`,
  'bad-regex': (r: string, d?: string) => `${r} is not a valid regular expression${d ? `: ${d}` : ''}`,
  'bad-timezone': (r: string) => `${r} is not a known IANA time zone`,
  'bad-runner-rate': (r: string, d?: string) => `the entry ${r} is invalid${d ? `: ${d}` : ''}`,
  'bad-url': (r: string, d?: string) => `${r} is not a usable GitLab URL${d ? `: ${d}` : ''}`,
  'missing-token': (r: string) => `no token found: ${r}`,
  'token-in-name': (r: string) => `${r}; it must be the NAME of the variable holding the token, not the token itself`,
  'file-missing': (r: string, d?: string) => `the file ${r} cannot be read${d ? ` (${d})` : ''}`,
  'file-parse': (r: string, d?: string) => `the file ${r} is not valid YAML or JSON${d ? `: ${d}` : ''}`,
  'file-schema': (r: string, d?: string) => `${r} does not match the team file schema${d ? ` (${d})` : ''}`,
  'duplicate-project': (r: string, d?: string) => `the project entry ${r} is listed under more than one team${d ? ` (${d})` : ''}`,
  'duplicate-team': (r: string, d?: string) => `the team name ${r} is used more than once${d ? ` (${d})` : ''}`,
  conflict: (r: string, d?: string) => `${r} conflicts with another input${d ? `: ${d}` : ''}`,
} satisfies Record<string, (received: string, detail?: string) => string>;

export type ProblemCode = keyof typeof catalog;

export function makeProblem(
  code: ProblemCode,
  input: string,
  received: string,
  accepted: string,
  detail?: string,
): Problem {
  const what = catalog[code](received, detail);
  return { code, input, received, accepted, message: `${input}: ${what}. Accepted: ${accepted}.` };
}

/** Quotes a received value for a message, shortened so one paragraph stays readable. */
export function show(value: string): string {
  const max = 80;
  const text = value.length > max ? `${value.slice(0, max)}…` : value;
  return JSON.stringify(text);
}

export class ConfigError extends RuntimeError {
  readonly code = 'bad-input' as const;
  readonly problems: Problem[];

  constructor(problems: Problem[]) {
    const head =
      problems.length === 1 ? 'dora-report: 1 problem with the configuration:' : `dora-report: ${problems.length} problems with the configuration:`;
    super([head, ...problems.map((p) => p.message)].join('\n\n'));
    this.name = 'ConfigError';
    this.problems = problems;
  }
}
