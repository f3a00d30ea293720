import { describe, expect, it } from 'vitest';
import { chunksLeft } from './import-undo.service';

describe("a restarted undo's chunks left", () => {
  it('are the chunks its undoneChunks does not name, when the list accounts for every chunk counted', () => {
    expect(chunksLeft(5, { chunksDone: 2, undoneChunks: [3, 0] })).toEqual([1, 2, 4]);
    expect(chunksLeft(3, { chunksDone: 3, undoneChunks: [2, 0, 1] })).toEqual([]);
    expect(chunksLeft(2, { chunksDone: 0, undoneChunks: [] })).toEqual([0, 1]);
  });

  it('are all of them when the list cannot tell (counted before it was kept, or not one entry per count)', () => {
    expect(chunksLeft(3, { chunksDone: 2 })).toEqual([0, 1, 2]);
    expect(chunksLeft(3, { chunksDone: 2, undoneChunks: [1] })).toEqual([0, 1, 2]);
    expect(chunksLeft(3, { chunksDone: 2, undoneChunks: [1, 1] })).toEqual([0, 1, 2]);
    expect(chunksLeft(3, { chunksDone: 0 })).toEqual([0, 1, 2]);
  });
});
