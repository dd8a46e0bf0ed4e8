import type { RegexOption } from './types';

/**
 * GitLab users write RE2 patterns (the syntax of CI `rules:` and the API), where flags
 * come as a leading inline group such as `(?i)`. JavaScript has no inline flags, so the
 * leading group becomes RegExp flags; RE2's `U` (ungreedy) has no JavaScript equivalent.
 */
const RE2_TO_JS_FLAG: Record<string, string> = { i: 'i', m: 'm', s: 's' };

export function compileRegexOption(source: string): RegexOption {
  let pattern = source;
  const flags = new Set<string>();
  const group = /^\(\?([A-Za-z]+)\)/.exec(source);
  if (group) {
    for (const f of group[1] ?? '') {
      const js = RE2_TO_JS_FLAG[f];
      if (!js) throw new Error(`the inline flag "${f}" in "(?${group[1]})" is not supported (use i, m or s)`);
      flags.add(js);
    }
    pattern = source.slice(group[0].length);
  }
  const flagText = [...flags].sort().join('');
  try {
    new RegExp(pattern, flagText);
  } catch (err) {
    // V8 repeats the pattern in its message; keep only the reason after the last colon.
    const reason = err instanceof Error ? (err.message.split(': ').pop() ?? err.message) : String(err);
    throw new Error(reason);
  }
  return { source, pattern, flags: flagText };
}
