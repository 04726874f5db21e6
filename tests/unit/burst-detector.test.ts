import { describe, expect, it } from 'vitest';
import { BurstDetector, burstStart, WEDGE_GIVE_BACK_MS } from '../../renderer/src/wedge.ts';

/**
 * The scanner-burst state machine behind window-level scan capture, with exact times: what reaches the
 * field, what is withheld, what a scan takes, and what is handed back when the keys were a person's.
 */
interface Typed {
  /** Text that reached the field, in order (keys let through and keys handed back). */
  field: string;
  scans: string[];
  /** For each scan, the index of its first key within the run. */
  from: number[];
}

/** Feeds `keys` (text, then the gap before the next) and an Enter `enterGap` ms after the last key. */
function feed(steps: Array<[text: string, msPerKey: number]>, enterGap: number | null): Typed {
  const detector = new BurstDetector();
  const out: Typed = { field: '', scans: [], from: [] };
  let t = 1000;
  let first = true;
  for (const [text, msPerKey] of steps) {
    for (const ch of text) {
      if (!first) t += msPerKey;
      first = false;
      const d = detector.key(ch, t);
      out.field += d.release;
      if (!d.withhold) out.field += ch;
    }
  }
  if (enterGap !== null) {
    const end = detector.end(t + enterGap);
    out.field += end.release;
    if (end.scan !== null) {
      out.scans.push(end.scan);
      out.from.push(end.fromKey);
    }
  } else out.field += detector.idle();
  return out;
}

describe('burst detector', () => {
  it('a 12-digit scan at 5 or 10 ms per key: only its first key reaches the field, then it is a scan', () => {
    for (const ms of [5, 10]) {
      const r = feed([['123456789012', ms]], ms);
      expect(r.scans).toEqual(['123456789012']);
      expect(r.from).toEqual([0]);
      expect(r.field).toBe('1'); // restored by the caller from the snapshot before key 0
    }
  });

  it('a person typing at 90 ms per key keeps every key, and Enter is theirs', () => {
    const r = feed([['Zhang Wei', 90]], 120);
    expect(r.scans).toEqual([]);
    expect(r.field).toBe('Zhang Wei');
  });

  it('a name half-typed, then a scan: the scan starts at its own first key, the name is not in it', () => {
    const r = feed(
      [
        ['Zhang W', 90],
        ['871879266690', 90],
      ],
      10,
    );
    // The gap from "W" to the first digit is the person's pace; the digits after it come at 90 ms too,
    // so this is not a scan: everything is the person's.
    expect(r.scans).toEqual([]);
    const scan = feed(
      [
        ['Zhang W', 90],
        ['8', 90],
        ['71879266690', 8],
      ],
      8,
    );
    expect(scan.scans).toEqual(['871879266690']);
    expect(scan.from).toEqual([7]);
    expect(scan.field).toBe('Zhang W8');
  });

  it('a fast pair of keys by a person is withheld for a moment, then handed back in order', () => {
    const detector = new BurstDetector();
    let field = '';
    for (const [ch, at] of [
      ['a', 0],
      ['b', 20],
      ['c', 200],
    ] as const) {
      const d = detector.key(ch, at);
      field += d.release + (d.withhold ? '' : ch);
    }
    expect(field).toBe('abc');
    // Or the pause hands them back without another key.
    const idle = new BurstDetector();
    expect(idle.key('x', 0).withhold).toBe(false);
    expect(idle.key('y', 15).withhold).toBe(true);
    expect(idle.pause()).toBe('y');
    expect(WEDGE_GIVE_BACK_MS).toBeLessThan(200);
  });

  it('a scan held back by a busy page (one slow gap) is still one scan', () => {
    const r = feed(
      [
        ['4', 0],
        ['2', 180],
        ['0000000001', 5],
      ],
      6,
    );
    // 180 ms between the first and second key, then 5 ms: burstStart crosses the single stall.
    expect(burstStart([0, 180, 185, 190, 195])).toBe(0);
    expect(r.scans).toEqual(['420000000001']);
  });

  it('too few keys, or Enter long after the burst, is not a scan', () => {
    expect(feed([['123', 5]], 5).scans).toEqual([]);
    expect(feed([['123456789012', 5]], 500).scans).toEqual([]);
    expect(feed([['123456789012', 5]], 500).field).toBe('123456789012');
  });
});
