import { describe, expect, it } from 'vitest';
import { idRuns } from './sql.ts';

describe('idRuns', () => {
  it('gives the runs of consecutive ids, whatever their order', () => {
    // Two collectors' batches drew ids from one sequence at once.
    expect(idRuns([7, 3, 4, 9, 5, 10, 12])).toEqual([
      [3, 5],
      [7, 7],
      [9, 10],
      [12, 12],
    ]);
    expect(idRuns([41])).toEqual([[41, 41]]);
    expect(idRuns([])).toEqual([]);
  });
});
