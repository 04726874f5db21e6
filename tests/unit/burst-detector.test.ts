import { describe, expect, it } from 'vitest';
import {
  BurstDetector,
  burstStart,
  burstTextInField,
  endsInBurst,
  WEDGE_GIVE_BACK_MS,
} from '../../renderer/src/wedge.ts';

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

/**
 * The door's own field (ScanInput.tsx) at Enter: a person typed half a name to search, a guest held out a
 * badge, the scanner fired into the same field. The code is what the burst typed, not the whole field —
 * taken together, "Schm103956041624" made a valid badge an unknown code (found at the door in Deutsch
 * and 中文, 2026-12-02).
 */
describe('burstTextInField: the code a burst typed after a person’s letters', () => {
  /** Keys typed at the end of the field: each key's time and the caret before it. */
  function typed(steps: Array<[text: string, msPerKey: number, pauseBefore: number]>): {
    text: string;
    times: number[];
    carets: number[];
  } {
    let text = '';
    let t = 1000;
    const times: number[] = [];
    const carets: number[] = [];
    for (const [chunk, msPerKey, pauseBefore] of steps) {
      t += pauseBefore;
      [...chunk].forEach((ch, i) => {
        if (i > 0) t += msPerKey;
        times.push(t);
        carets.push(text.length);
        text += ch;
      });
    }
    return { text, times, carets };
  }

  it('takes only the burst after a person’s slow letters, whatever the pause between them', () => {
    for (const pause of [40, 120, 250, 400, 900]) {
      const r = typed([
        ['Schm', 90, 0],
        ['103956041624', 7, pause],
      ]);
      expect(burstTextInField(r.text, r.text.length, r.times, r.carets)).toBe('103956041624');
    }
    // Eleven slow letters outnumber a 6-key burst: the old whole-run median called it a person.
    const long = typed([
      ['Schneiderma', 100, 0],
      ['LY4K2Q', 6, 300],
    ]);
    expect(endsInBurst(long.times)).toBe(true);
    expect(burstTextInField(long.text, long.text.length, long.times, long.carets)).toBe('LY4K2Q');
  });

  it('a burst typed into the middle of the text (the caret moved back) is still only the burst', () => {
    // "Müller" typed, caret put after "Mü", then a burst: the code sits between the two halves.
    const times = [0, 90, 180, 270, 360, 450, 2000, 2006, 2012, 2018, 2024];
    const carets = [0, 1, 2, 3, 4, 5, 2, 3, 4, 5, 6];
    const text = 'MüABCDEller';
    expect(burstTextInField(text, 7, times, carets)).toBe('ABCDE');
  });

  it('a whole-field burst is the whole field; a person’s typing is not a burst', () => {
    const scan = typed([['420000000001', 5, 0]]);
    expect(burstTextInField(scan.text, scan.text.length, scan.times, scan.carets)).toBe('420000000001');
    const person = typed([['Schmidt', 110, 0]]);
    expect(burstTextInField(person.text, person.text.length, person.times, person.carets)).toBeNull();
    expect(endsInBurst(person.times)).toBe(false);
    // Slow letters, then three fast ones: too few keys to be a scanner.
    const fastTypist = typed([
      ['Li', 100, 0],
      ['Wei', 30, 200],
    ]);
    expect(burstTextInField(fastTypist.text, fastTypist.text.length, fastTypist.times, fastTypist.carets)).toBeNull();
  });
});
