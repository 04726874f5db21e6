import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkFactQuickly } from '../../shared/sync/fact-quick-check.ts';
import {
  checkFact,
  MAX_FACT_BYTES,
  MAX_FACT_DEPTH,
  MAX_HLC_AHEAD_MS,
  MAX_HLC_BEHIND_MS,
} from '../../shared/sync/fact-schema.ts';
import { jsonBytesAtMost, nestedDeeperThan } from '../../shared/sync/json-walks.ts';
import { frame, hlc, NOW } from '../support/fact-fixture.ts';

const checkIn = { ...frame, type: 'check_in', payload: { door: 'North', method: 'scan', code: '123456789012' } };
const entry = {
  ...frame,
  type: 'forum_entry',
  payload: { forumId: 'forum_a', direction: 'in', admittedAnyway: true, overrides: ['room_full'] },
};

/** What checkPulled would ask the schema for: the fact without the server's receivedAt. */
function schemaAnswer(raw: unknown, receiverMs: number) {
  if (typeof raw !== 'object' || raw === null || !('receivedAt' in raw)) return checkFact(raw, receiverMs);
  const { receivedAt: _r, ...rest } = raw as Record<string, unknown>;
  return checkFact(rest, receiverMs);
}

/** The quick answer is either none (ask the schema) or exactly the schema's, key order included. */
function agrees(raw: unknown, receiverMs = NOW): boolean {
  const quick = checkFactQuickly(raw, receiverMs, 'receivedAt');
  if (quick === null) return false;
  const schema = schemaAnswer(raw, receiverMs);
  expect(quick).toStrictEqual(schema);
  expect(JSON.stringify(quick)).toBe(JSON.stringify(schema));
  return true;
}

describe('checkFactQuickly: the schema’s answer for honest check-ins and room entries, or none', () => {
  it('answers for honest facts as a server serves them (receivedAt beside), exactly as the schema does', () => {
    for (const fact of [checkIn, entry, { ...entry, payload: { ...entry.payload, overrides: [] } }])
      expect(agrees({ ...fact, receivedAt: NOW })).toBe(true);
    expect(agrees({ ...checkIn, guestId: '刘青 Jürgen Weiß 👋'.repeat(10) })).toBe(true);
    expect(agrees({ ...checkIn, payload: { door: '', method: 'walk_in', code: 'x'.repeat(4096) } })).toBe(true);
    expect(agrees({ ...checkIn, id: '00000000-0000-0000-0000-000000000000', deviceSeq: Number.MAX_SAFE_INTEGER })).toBe(
      true,
    );
  });

  it('answers only for facts far below the size bound: the largest it accepts, measured as the bound counts', () => {
    const wide = '\u4e2d'; // one UTF-16 unit, counted as a 6-byte escape by the bound
    const largest = {
      ...frame,
      deviceId: 'd'.repeat(64),
      hlc: hlc(NOW, 'd'.repeat(64)),
      guestId: wide.repeat(200),
      actor: wide.repeat(200),
      type: 'check_in',
      payload: { door: wide.repeat(200), method: 'walk_in', code: wide.repeat(4096) },
      receivedAt: NOW,
    };
    expect(agrees(largest)).toBe(true);
    expect(jsonBytesAtMost(largest)).toBeLessThan(MAX_FACT_BYTES);
    expect(nestedDeeperThan(largest, MAX_FACT_DEPTH)).toBe(false);
  });

  it('refuses a clock out of bounds with the schema’s code and words', () => {
    for (const ms of [NOW + MAX_HLC_AHEAD_MS + 1, NOW - MAX_HLC_BEHIND_MS - 1]) {
      const quick = checkFactQuickly({ ...entry, hlc: hlc(ms) }, NOW);
      expect(quick).toStrictEqual(checkFact({ ...entry, hlc: hlc(ms) }, NOW));
      expect(quick?.ok).toBe(false);
    }
  });

  it('leaves to the schema what it cannot be sure of: other types, keys missing or unknown, values out of bounds', () => {
    const unsure: unknown[] = [
      null,
      [checkIn],
      { ...checkIn, type: 'note', payload: { text: '' } },
      { ...checkIn, extra: 1 },
      { ...checkIn, ['__proto__']: { deep: 1 } },
      JSON.parse(`{"__proto__":1,${JSON.stringify(checkIn).slice(1)}`),
      { ...checkIn, payload: { door: 'North', method: 'scan' } },
      { ...checkIn, payload: { ...checkIn.payload, nested: { a: { b: { c: {} } } } } },
      { ...checkIn, payload: { ...checkIn.payload, method: 'telepathy' } },
      { ...checkIn, payload: { ...checkIn.payload, code: 'x'.repeat(4097) } },
      { ...checkIn, payload: { ...checkIn.payload, door: 'A\u0000B' } },
      { ...checkIn, guestId: '' },
      { ...checkIn, guestId: 'g'.repeat(201) },
      { ...checkIn, guestId: 'a\ud800' },
      { ...checkIn, actor: 'x\u0085' },
      { ...checkIn, id: 'not-a-uuid' },
      { ...checkIn, id: '0190f5c2-6f7a-9d7e-9b1a-2f3c4d5e6f70' },
      { ...checkIn, deviceId: 'kiosk-a' },
      { ...checkIn, deviceSeq: 0 },
      { ...checkIn, deviceSeq: 1.5 },
      { ...checkIn, deviceSeq: 2 ** 53 },
      { ...checkIn, deviceSeq: '1' },
      { ...checkIn, wallMs: -1 },
      { ...checkIn, wallMs: 1e15 },
      { ...checkIn, hlc: hlc(NOW, 'kiosk_b') },
      { ...checkIn, hlc: `${NOW}-00000-kiosk_a` },
      { ...entry, payload: { ...entry.payload, direction: 'sideways' } },
      { ...entry, payload: { ...entry.payload, admittedAnyway: 'yes' } },
      { ...entry, payload: { ...entry.payload, overrides: ['room_full', 'room_full', 'room_full'] } },
      { ...entry, payload: { ...entry.payload, overrides: ['bribe'] } },
      { ...entry, payload: { ...entry.payload, overrides: 'room_full' } },
      { ...entry, payload: { ...entry.payload, forumId: 'f'.repeat(101) } },
      { ...entry, payload: [] },
      { ...entry, payload: null },
      Object.assign(Object.create({ inherited: 1 }) as object, checkIn),
    ];
    for (const raw of unsure) expect(checkFactQuickly(raw, NOW, 'receivedAt'), JSON.stringify(raw)).toBeNull();
  });

  it('never differs from the schema on facts with any field replaced or dropped (property)', () => {
    const anyValue = fc.oneof(
      fc.string({ maxLength: 300, unit: 'binary' }),
      fc.constantFrom('', 'in', 'out', 'scan', 'walk_in', 'room_full', 'check_in', 'forum_entry', 'kiosk_a'),
      fc.integer(),
      fc.double(),
      fc.boolean(),
      fc.constant(null),
      fc.array(fc.constantFrom('room_full', 'assigned_elsewhere', 'x'), { maxLength: 3 }),
      fc.jsonValue({ maxDepth: 3 }),
    );
    const field = fc.constantFrom(...Object.keys(checkIn), 'extra', 'receivedAt');
    const payloadField = fc.constantFrom(
      'door',
      'method',
      'code',
      'forumId',
      'direction',
      'admittedAnyway',
      'overrides',
    );
    const mutation = fc.record({
      base: fc.constantFrom(checkIn, entry),
      top: fc.array(fc.tuple(field, fc.option(anyValue)), { maxLength: 2 }),
      inner: fc.array(fc.tuple(payloadField, fc.option(anyValue)), { maxLength: 2 }),
      receiverMs: fc.constantFrom(NOW, NOW - MAX_HLC_AHEAD_MS - 5, NOW + MAX_HLC_BEHIND_MS + 5),
    });
    let answered = 0;
    fc.assert(
      fc.property(mutation, ({ base, top, inner, receiverMs }) => {
        const fact: Record<string, unknown> = { ...base, payload: { ...base.payload } };
        const payload = fact['payload'] as Record<string, unknown>;
        // null: the key is dropped; anything else replaces the value.
        for (const [key, value] of inner)
          if (value === null) delete payload[key];
          else payload[key] = value;
        for (const [key, value] of top)
          if (value === null) delete fact[key];
          else fact[key] = value;
        if (agrees(fact, receiverMs)) answered += 1;
      }),
      { numRuns: 1500 },
    );
    // Most mutations change something the quick check must leave to the schema, but not all of them.
    expect(answered).toBeGreaterThan(0);
  });
});
