import { describe, expect, it } from 'vitest';
import { compileRegexOption } from '../../src/config/regex';

const compiled = (source: string): RegExp => {
  const o = compileRegexOption(source);
  return new RegExp(o.pattern, o.flags);
};

describe('compileRegexOption', () => {
  it('turns the RE2 inline flag group (?i) into the JavaScript i flag and keeps the source', () => {
    expect(compileRegexOption('(?i)hotfix')).toEqual({ source: '(?i)hotfix', pattern: 'hotfix', flags: 'i' });
    expect(compiled('(?i)hotfix').test('release/HOTFIX-12')).toBe(true);
    // Without the flag the match is case-sensitive, as in RE2.
    expect(compiled('hotfix').test('release/HOTFIX-12')).toBe(false);
  });

  it('translates combined flags (?is) and (?m)', () => {
    expect(compileRegexOption('(?is)a.b')).toEqual({ source: '(?is)a.b', pattern: 'a.b', flags: 'is' });
    expect(compiled('(?is)a.b').test('A\nB')).toBe(true);
    expect(compileRegexOption('(?m)^prod$').flags).toBe('m');
    expect(compiled('(?m)^prod$').test('staging\nprod')).toBe(true);
  });

  it('leaves a pattern without a flag group as it is', () => {
    expect(compileRegexOption('^production(/.*)?$')).toEqual({ source: '^production(/.*)?$', pattern: '^production(/.*)?$', flags: '' });
  });

  it('refuses RE2 flags JavaScript does not have, naming the flag', () => {
    expect(() => compileRegexOption('(?U)a+')).toThrow(/"U".*not supported/);
  });

  it('explains why an invalid pattern is invalid', () => {
    expect(() => compileRegexOption('([')).toThrow(/Unterminated/);
    expect(() => compileRegexOption('(?i)(')).toThrow(/Unterminated group/);
  });
});
