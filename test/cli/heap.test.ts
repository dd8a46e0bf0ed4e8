import { describe, expect, it } from 'vitest';
import { tuneHeap } from '../../src/cli';

// The effect on peak memory is measured by `npm run bench` (peak RSS row), not here.
describe('heap growth of the CLI', () => {
  it('leaves a --heap-growing-percent given to node alone, sets its own otherwise', () => {
    expect(tuneHeap(['--heap-growing-percent=80'])).toBe(false);
    expect(tuneHeap(['--heap_growing_percent', '80'])).toBe(false);
    expect(tuneHeap(['--max-old-space-size=900'])).toBe(true);
    expect(tuneHeap([])).toBe(true);
  });
});
