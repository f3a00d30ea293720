import { describe, expect, it } from 'vitest';
import { DEFAULT_RACE_BACKOFF, longestWaitMs, raceDelayMs } from './race-backoff';

describe('the wait between races for a stream number', () => {
  it('is a random share (full jitter) of a ceiling that doubles from 10 ms up to 250 ms', () => {
    const top = () => 0.999_999;
    expect([1, 2, 3, 4, 5, 6, 7, 15].map((race) => Math.round(raceDelayMs(race, DEFAULT_RACE_BACKOFF, top)))).toEqual([10, 20, 40, 80, 160, 250, 250, 250]);
    expect(raceDelayMs(4, DEFAULT_RACE_BACKOFF, () => 0)).toBe(0);
    expect(raceDelayMs(4, DEFAULT_RACE_BACKOFF, () => 0.5)).toBe(40);
  });

  it('waits at most 2.81 s per stream in all (16 tries), far inside the 30 s of the subscriber', () => {
    // 10 + 20 + 40 + 80 + 160 + 10 x 250, between the 16 tries (infra/function.ts: timeout 30 seconds).
    expect(DEFAULT_RACE_BACKOFF.maxRaces).toBe(16);
    expect(longestWaitMs(DEFAULT_RACE_BACKOFF)).toBe(2_810);
  });
});
