import { describe, expect, it } from 'vitest';
import {
  CHUNK_BUDGET_MS,
  DOOR_QUIET_MS,
  QUIET_CHUNK_BUDGET_MS,
  nextChunkRows,
  rescaledChunkRows,
  writerBudgetMs,
} from '../../electron/core/roster/chunk-size.ts';

/**
 * Issue 16: the import writer takes long chunks while the door is quiet (an organiser importing before
 * the doors open) and short ones from the door's first write on (roster/chunk-size.ts).
 */
describe('the import writer’s chunk budget', () => {
  it('is short from the door’s last write until DOOR_QUIET_MS later, long after that', () => {
    expect(writerBudgetMs(0)).toBe(CHUNK_BUDGET_MS);
    expect(writerBudgetMs(DOOR_QUIET_MS - 1)).toBe(CHUNK_BUDGET_MS);
    expect(writerBudgetMs(DOOR_QUIET_MS)).toBe(QUIET_CHUNK_BUDGET_MS);
    expect(writerBudgetMs(Number.POSITIVE_INFINITY)).toBe(QUIET_CHUNK_BUDGET_MS);
    expect(QUIET_CHUNK_BUDGET_MS).toBeGreaterThan(CHUNK_BUDGET_MS);
  });

  it('grows a chunk well under its budget, shrinks one over it, keeps one near it', () => {
    expect(nextChunkRows(1000, 1)).toBe(2000);
    expect(nextChunkRows(1000, 5)).toBe(500);
    expect(nextChunkRows(1000, 3)).toBe(1000);
    // The same 5 ms chunk is over the door's budget and well under a quiet door's.
    expect(nextChunkRows(1000, 5, QUIET_CHUNK_BUDGET_MS)).toBe(2000);
    expect(nextChunkRows(8, 0.1)).toBeGreaterThanOrEqual(16);
    expect(nextChunkRows(1_000_000, 0.1)).toBeLessThanOrEqual(16_384);
  });

  it('scales a chunk with its budget, so the first chunk after the door wakes up is already short', () => {
    expect(rescaledChunkRows(8000, QUIET_CHUNK_BUDGET_MS, CHUNK_BUDGET_MS)).toBe(1000);
    expect(rescaledChunkRows(1000, CHUNK_BUDGET_MS, QUIET_CHUNK_BUDGET_MS)).toBe(8000);
    expect(rescaledChunkRows(200, QUIET_CHUNK_BUDGET_MS, CHUNK_BUDGET_MS)).toBe(128); // not below the floor
    expect(rescaledChunkRows(16_000, CHUNK_BUDGET_MS, QUIET_CHUNK_BUDGET_MS)).toBe(16_384);
  });
});
