import { describe, expect, it } from 'vitest';
import { assertWellFormedTables, countCells } from './md-table';

// The checker guards every other report test, so it must itself reject broken tables.
describe('assertWellFormedTables', () => {
  it('counts cells, treating \\| as text', () => {
    expect(countCells('| a | b\\|c |')).toBe(2);
    expect(countCells('| a \\\\| b |')).toBe(2); // escaped backslash, then a real pipe
    expect(countCells('| a | b')).toBeNull();
  });
  it('accepts a well-formed table and ignores pipes in code fences', () => {
    expect(() => assertWellFormedTables('text\n\n| a | b |\n| --- | ---: |\n| 1 | x\\|y |\n\n```\n| not a table\n```\n')).not.toThrow();
  });
  it('rejects a row with an extra cell', () => {
    expect(() => assertWellFormedTables('| a | b |\n| --- | --- |\n| 1 | x|y |\n')).toThrow(/row has 3 cells, header 2/);
  });
  it('rejects a row broken by a newline', () => {
    expect(() => assertWellFormedTables('| a | b |\n| --- | --- |\n| 1 | x\ny |\n')).toThrow(/broken row/);
  });
  it('rejects a header without a separator row', () => {
    expect(() => assertWellFormedTables('| a | b |\n| 1 | 2 |\n')).toThrow(/separator/);
  });
  it('rejects a table glued to a paragraph', () => {
    expect(() => assertWellFormedTables('para\n| a |\n| --- |\n')).toThrow(/blank line/);
  });
});
