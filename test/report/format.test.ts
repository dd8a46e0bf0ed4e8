import { describe, expect, it } from 'vitest';
import { csvNumber, fmtHours, fmtNumber, md, roundTo, safeUrl, shortMonth } from '../../src/report/format';
import { fmtChange } from '../../src/report/view-common';

describe('number formatting', () => {
  it('rounds half away from zero without float noise', () => {
    expect(roundTo(0.1 + 0.2, 2)).toBe(0.3);
    expect(roundTo(1.005, 2)).toBe(1.01); // 1.005 is stored as 1.00499999...
    expect(roundTo(-2.345, 2)).toBe(-2.35);
    expect(csvNumber((2 / 3) * 100)).toBe('66.67');
    expect(csvNumber(5)).toBe('5');
    expect(csvNumber(-0.001)).toBe('0');
    expect(csvNumber(null)).toBe('');
    expect(csvNumber(NaN)).toBe('');
  });
  it('groups thousands and keeps the requested decimals', () => {
    expect(fmtNumber(1234567.891, 2)).toBe('1,234,567.89');
    expect(fmtNumber(-1234.5, 1)).toBe('-1,234.5');
    expect(fmtNumber(null)).toBe('no data');
  });
  it('durations in the unit a reader grasps', () => {
    expect(fmtHours(0.5 / 60)).toBe('0.5 min');
    expect(fmtHours(0.5)).toBe('30 min');
    expect(fmtHours(47.9)).toBe('47.9 h');
    expect(fmtHours(200)).toBe('8.3 days'); // 200 / 24 = 8.33
    expect(fmtHours(null)).toBe('no data');
  });
  it('short month labels for chart axes', () => {
    expect(shortMonth('2025-04')).toBe('Apr 25');
    expect(shortMonth('2024-12')).toBe('Dec 24');
  });
  it('month-over-month change: %, percentage points, absolute after a 0, n/a', () => {
    expect(fmtChange({ current: 12, previous: 10, abs: 2, pct: 20 }, 'pct', '2025-02')).toBe('▲ 20.0% vs 2025-02');
    expect(fmtChange({ current: 5, previous: 8, abs: -3, pct: -37.5 }, 'pp', '2025-02')).toBe('▼ 3.0 pp vs 2025-02');
    expect(fmtChange({ current: 3, previous: 0, abs: 3, pct: null }, 'pct', '2025-02')).toBe('▲ +3 vs 2025-02');
    expect(fmtChange({ current: 4, previous: 4, abs: 0, pct: 0 }, 'pct', '2025-02')).toBe('▬ 0.0% vs 2025-02');
    expect(fmtChange({ current: 3, previous: null, abs: null, pct: null }, 'pct', '2025-02')).toBe('n/a');
    expect(fmtChange({ current: 3, previous: 2, abs: 1, pct: 50 }, 'pct', null)).toBe('n/a');
  });
});

describe('Markdown escaping', () => {
  it('escapes Markdown punctuation, HTML and line breaks', () => {
    expect(md('a|b*c_d`e[f]#g~h\\i')).toBe('a\\|b\\*c\\_d\\`e\\[f\\]\\#g\\~h\\\\i');
    expect(md('<script>alert("x") & </script>')).toBe('&lt;script&gt;alert("x") &amp; &lt;/script&gt;');
    expect(md('one\ntwo\r\nthree')).toBe('one two three');
  });
  it('links only http(s) URLs, percent-encoding what would end the link', () => {
    expect(safeUrl('https://h/p(1)')).toBe('https://h/p%281%29');
    expect(safeUrl('javascript:alert(1)')).toBeNull();
    expect(safeUrl('https://h/a b')).toBeNull();
  });
});
