import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LanyardFailure } from '../../shared/result.ts';
import { canonicalJson } from '../../shared/sync/canonical.ts';
import { checkFact, checkOwnFact, MAX_FACT_BYTES, MAX_HLC_AHEAD_MS } from '../../shared/sync/fact-schema.ts';
import { nestedDeeperThan, utf8Bytes } from '../../shared/sync/json-walks.ts';
import { cleanText, hasControlCharacters } from '../../shared/text/clean.ts';
import { checkInFact, hlc, NOW } from '../support/fact-fixture.ts';

const event = checkInFact;
const deep = (depth: number): unknown => {
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) value = { a: value };
  return value;
};

describe('cleanText: the one place control characters leave text', () => {
  it('removes NUL and C0/C1 controls from a name, keeps every script', () => {
    expect(cleanText('Ann\u0000 Lee')).toBe('Ann Lee');
    expect(cleanText('Jürgen\u0007 Weiß\u0085')).toBe('Jürgen Weiß');
    expect(cleanText('刘\u0000青')).toBe('刘青');
    expect(cleanText('Françoise\t\r\nDupont')).toBe('FrançoiseDupont');
    expect(cleanText('a\ud800b')).toBe('a\ufffdb');
    expect(cleanText('emoji 👋 stays')).toBe('emoji 👋 stays');
  });

  it('keeps TAB and newlines in multi-line text, as LF', () => {
    expect(cleanText('line 1\r\nline 2\rline 3\u0000\tend', 'multiline')).toBe('line 1\nline 2\nline 3\tend');
  });

  it('cleaned text is always accepted, and anything it would change is flagged', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.constantFrom('line' as const, 'multiline' as const), (s, kind) => {
        const clean = cleanText(s, kind);
        expect(hasControlCharacters(clean, kind)).toBe(false);
        expect(cleanText(clean, kind)).toBe(clean);
        expect(hasControlCharacters(s, kind)).toBe(clean !== s);
      }),
      { numRuns: 300 },
    );
  }, 60_000);
});

describe('checkFact: one schema per event type', () => {
  it("accepts what the kiosk's own writers produce, of every type", () => {
    const payloads: Record<string, unknown> = {
      check_in: { door: 'North', method: 'walk_in', code: '123456789012' },
      check_in_void: { voids: '0190f5c2-6f7a-4d7e-9b1a-2f3c4d5e6f71', door: 'North' },
      walk_in: {
        guest: {
          displayName: '刘青',
          familyName: '刘',
          givenName: '青',
          nativeName: '刘青',
          latinName: '',
          organization: 'ACME',
          role: 'guest',
          email: '',
          note: '',
          vip: false,
          status: 'active',
          walkIn: true,
          forumPreferences: [],
          phone: '',
          source: 'walk_in',
          codes: ['123456789012'],
        },
      },
      forum_assign: { forumId: 'f1', replaces: [], overrideReason: '' },
      forum_entry: { forumId: 'f1', direction: 'out', admittedAnyway: false, overrides: [] },
      badge_print: { template: 'standard', reason: '', door: 'North' },
      note: { text: 'two\nlines' },
      guest_edit: { changes: { organization: 'ACME' } },
    };
    for (const [type, payload] of Object.entries(payloads)) {
      const check = checkFact(event({ type, payload }), NOW);
      expect(check, type).toMatchObject({ ok: true });
      // Nothing honest is changed by parsing, so the content hash is the same on every side.
      if (check.ok) expect(canonicalJson(check.fact)).toBe(canonicalJson(event({ type, payload })));
    }
  });

  it('refuses each kind of poison with its code', () => {
    const codeOf = (raw: unknown, now: number | null = NOW) => {
      const check = checkFact(raw, now);
      return check.ok ? 'ok' : check.code;
    };
    expect(codeOf(event({ guestId: 'Ann\u0000 Lee' }))).toBe('event_invalid');
    expect(codeOf(event({ type: 'walk_in', payload: { guest: { codes: '123' } } }))).toBe('event_invalid');
    expect(codeOf(event({ type: 'note', payload: { text: 'x'.repeat(MAX_FACT_BYTES) } }))).toBe('event_too_large');
    expect(codeOf(event({ payload: deep(100_000) }))).toBe('event_too_deep');
    expect(codeOf(event({ hlc: '999999999999999-99999-kiosk_a' }))).toBe('event_clock_skew');
    expect(codeOf(event({ hlc: hlc(NOW + MAX_HLC_AHEAD_MS + 1) }))).toBe('event_clock_skew');
    expect(codeOf(event({ hlc: hlc(NOW + MAX_HLC_AHEAD_MS) }))).toBe('ok');
    expect(codeOf(event({ hlc: hlc(NOW, 'kiosk_b') }))).toBe('event_invalid'); // node ≠ device
    expect(codeOf(event({ hlc: '1-2-kiosk_a' }))).toBe('event_invalid');
    expect(codeOf(event({ type: 'teleport' }))).toBe('event_invalid');
    expect(codeOf('not an event')).toBe('event_invalid');
    // A kiosk's own events skip the clock rule: its door never stops because of its clock (R10).
    expect(codeOf(event({ hlc: hlc(NOW + 48 * 3_600_000) }), null)).toBe('ok');
  });

  it("checkOwnFact (the kiosk's own facts, its hot path) answers exactly as checkFact without the clock rule", () => {
    let n = 0;
    const same = (raw: ReturnType<typeof event>) =>
      expect(checkOwnFact(raw as Parameters<typeof checkOwnFact>[0]), `case ${++n}`).toEqual(checkFact(raw, null));
    // Honest facts, defaults filled in the same way.
    same(event());
    same(event({ payload: {} }));
    same(event({ type: 'check_in_void', payload: { voids: 'c1' } }));
    same(event({ type: 'walk_in', payload: { guest: { displayName: '刘青', codes: ['1'] } } }));
    same(event({ type: 'forum_entry', payload: { forumId: 'f1' } }));
    same(event({ type: 'guest_edit', payload: { changes: { vip: true } } }));
    same(event({ type: 'badge_print', payload: { template: 'standard' } }));
    same(event({ hlc: hlc(NOW + 48 * 3_600_000) }));
    // What a caller could get wrong, and a broken frame.
    same(event({ guestId: 'Ann\u0000 Lee' }));
    same(event({ guestId: '' }));
    same(event({ actor: 'x'.repeat(201) }));
    same(event({ payload: { door: 'North\u0007', method: 'scan', code: '' } }));
    same(event({ payload: { method: 'teleport' } }));
    same(event({ type: 'walk_in', payload: { guest: { codes: '123' } } }));
    same(event({ type: 'note', payload: { text: 'x'.repeat(MAX_FACT_BYTES) } }));
    same(event({ payload: deep(100_000) }));
    same(event({ hlc: hlc(NOW, 'kiosk_b') }));
    same(event({ hlc: '1-2-kiosk_a' }));
    same(event({ deviceId: 'kiosk a', hlc: hlc(NOW, 'kiosk a') }));
    same(event({ deviceSeq: 0 }));
    same(event({ wallMs: -1 }));
    same(event({ type: 'teleport' }));
  });

  it('depth and size are measured without recursion', () => {
    expect(nestedDeeperThan(deep(100_000), 8)).toBe(true);
    expect(nestedDeeperThan(deep(8), 8)).toBe(false);
    expect(nestedDeeperThan(deep(9), 8)).toBe(true);
    expect(utf8Bytes('aß刘👋')).toBe(new TextEncoder().encode('aß刘👋').length);
  });
});

it('finding 5: canonical JSON of a value nested 100,000 deep is refused with a code, not a stack overflow', () => {
  let thrown: unknown;
  try {
    canonicalJson(deep(100_000));
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(LanyardFailure);
  expect((thrown as LanyardFailure).code).toBe('event_too_deep');
  expect(canonicalJson({ b: [1, { d: 2, c: 3 }], a: 'x' })).toBe('{"a":"x","b":[1,{"c":3,"d":2}]}');
});
