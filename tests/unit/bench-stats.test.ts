import { describe, expect, it } from 'vitest';
import { atLeast, atMost, figure, inRounds, median, percentile } from '../bench/stats.ts';

describe('bench figures', () => {
  it('a figure is the median of its rounds with min and max beside it', () => {
    expect(figure([5, 1, 3])).toEqual({ min: 1, median: 3, max: 5, rounds: 3 });
    expect(figure([4, 1, 3, 2])).toEqual({ min: 1, median: 2.5, max: 4, rounds: 4 });
    expect(() => figure([])).toThrow();
  });

  it('one noisy round moves the max, not the median', () => {
    expect(figure([2, 2.1, 40]).median).toBe(2.1);
    expect(median([1, 100, 2, 3, 4])).toBe(3);
  });

  it('percentiles pick a sample, p99 of 100 samples the 100th', () => {
    const samples = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentile(samples, 50)).toBe(51);
    expect(percentile(samples, 99)).toBe(100);
    expect(percentile([7], 99)).toBe(7);
  });

  it('runs async rounds in order', async () => {
    const seen: number[] = [];
    const f = await inRounds(3, async (r) => {
      seen.push(r);
      return r * 10;
    });
    expect(seen).toEqual([0, 1, 2]);
    expect(f).toEqual({ min: 0, median: 10, max: 20, rounds: 3 });
  });

  it('targets say whether the goal is met, in the right direction', () => {
    expect(atMost(4.9999, 5)).toEqual({ value: 5, goal: 5, met: true });
    expect(atMost(5.01, 5).met).toBe(false);
    expect(atLeast(0.79, 0.8).met).toBe(false);
    expect(atLeast(0.8, 0.8).met).toBe(true);
  });
});
