import fc from 'fast-check';
import { expect, it } from 'vitest';
import { canonicalJson } from '../../shared/sync/canonical.ts';
import { checkFactQuickly } from '../../shared/sync/fact-quick-check.ts';
import { checkFact, MAX_FACT_BYTES, MAX_HLC_AHEAD_MS, MAX_HLC_BEHIND_MS } from '../../shared/sync/fact-schema.ts';
import { checkInFact, hlc, NOW } from '../support/fact-fixture.ts';

/**
 * The server checks every pushed fact with `checkFactQuickly(raw, now) ?? checkFact(raw, now)` (as the pull
 * does, without its receivedAt): it must give checkFact's answer for every input of every type — accept
 * what it accepts with the same fact (defaults filled in, unknown fields dropped, so the same content
 * hash), refuse what it refuses with the same code and message.
 */
const pushCheck = (raw: unknown, now: number) => checkFactQuickly(raw, now) ?? checkFact(raw, now);
const honest: Record<string, unknown> = {
  check_in: { door: 'North', method: 'walk_in', code: '123456789012' },
  check_in_void: { voids: '0190f5c2-6f7a-4d7e-9b1a-2f3c4d5e6f71', door: 'North' },
  walk_in: { guest: { displayName: '刘青', familyName: '刘', givenName: '青', codes: ['123456789012'], vip: true } },
  forum_assign: { forumId: 'f1', replaces: ['a1'], overrideReason: '' },
  forum_entry: { forumId: 'f1', direction: 'out', admittedAnyway: false, overrides: ['room_full'] },
  badge_print: { template: 'standard', reason: '', door: 'North' },
  note: { text: 'two\nlines' },
  guest_edit: { changes: { organization: 'ACME', vip: true, z: 3 } },
};
const fact = (overrides: Record<string, unknown> = {}): Record<string, unknown> =>
  checkInFact({ payload: honest['check_in'], ...overrides });

function expectSameAnswer(raw: unknown, label: string): void {
  const fast = pushCheck(raw, NOW);
  const full = checkFact(raw, NOW);
  expect(fast, label).toEqual(full);
  if (fast.ok && full.ok) expect(canonicalJson(fast.fact), label).toBe(canonicalJson(full.fact));
}

it('answers exactly as checkFact on honest facts of every type and on each kind of poison', () => {
  const deep = (depth: number): unknown => {
    let value: unknown = 1;
    for (let i = 0; i < depth; i++) value = { a: value };
    return value;
  };
  const cases: Array<[string, unknown]> = [
    ...Object.entries(honest).map(([type, payload]): [string, unknown] => [type, fact({ type, payload })]),
    ['defaults', fact({ payload: {} })],
    ['extra fields dropped', fact({ colour: 'red', payload: { door: 'N', extra: [1, 2] } })],
    ['upper-case id (the schema takes it)', fact({ id: '0190F5C2-6F7A-4D7E-9B1A-2F3C4D5E6F70' })],
    ['nil uuid', fact({ id: '00000000-0000-0000-0000-000000000000' })],
    ['not a uuid', fact({ id: '0190f5c2-6f7a-0d7e-9b1a-2f3c4d5e6f70' })],
    ['control character', fact({ guestId: 'Ann\u0000 Lee' })],
    ['lone surrogate', fact({ actor: 'a\ud800' })],
    ['empty guest', fact({ guestId: '' })],
    ['guest 200', fact({ guestId: 'g'.repeat(200) })],
    ['guest 201', fact({ guestId: 'g'.repeat(201) })],
    ['actor 201', fact({ actor: 'x'.repeat(201) })],
    ['seq 0', fact({ deviceSeq: 0 })],
    ['seq 1.5', fact({ deviceSeq: 1.5 })],
    ['seq unsafe', fact({ deviceSeq: 2 ** 53 })],
    ['seq as text', fact({ deviceSeq: '1' })],
    ['wall -1', fact({ wallMs: -1 })],
    ['wall too far', fact({ wallMs: 1_000_000_000_000_000 })],
    ['wall -0', fact({ wallMs: -0 })],
    ['device with a space', fact({ deviceId: 'kiosk a', hlc: hlc(NOW, 'kiosk a') })],
    ['hlc of another node', fact({ hlc: hlc(NOW, 'kiosk_b') })],
    ['hlc malformed', fact({ hlc: '1-2-kiosk_a' })],
    ['hlc ahead', fact({ hlc: hlc(NOW + MAX_HLC_AHEAD_MS + 1) })],
    ['hlc at the edge', fact({ hlc: hlc(NOW + MAX_HLC_AHEAD_MS) })],
    ['hlc behind', fact({ hlc: hlc(NOW - MAX_HLC_BEHIND_MS - 1) })],
    ['unknown type', fact({ type: 'teleport' })],
    ['inherited name as type', fact({ type: 'toString' })],
    ['payload missing', fact({ payload: undefined })],
    ['payload an array', fact({ payload: [] })],
    ['bad payload', fact({ payload: { method: 'teleport' } })],
    ['payload control character', fact({ payload: { door: 'North\u0007' } })],
    ['walk-in codes as text', fact({ type: 'walk_in', payload: { guest: { codes: '123' } } })],
    ['too large', fact({ type: 'note', payload: { text: 'x'.repeat(MAX_FACT_BYTES) } })],
    ['too deep', fact({ payload: deep(10_000) })],
    ['nine deep', fact({ payload: { door: deep(7) } })],
    ['nine deep in a field the schema drops', fact({ colour: deep(8) })],
    ['eight deep in a field the schema drops', fact({ colour: deep(7) })],
    ['toJSON', fact({ payload: { door: 'N', toJSON: 'x' } })],
    ['__proto__ member', JSON.parse(JSON.stringify(fact()).replace('{', '{"__proto__":{"deviceSeq":5},'))],
    ['numbers of 25 characters', fact({ type: 'guest_edit', payload: { changes: { a: -0.0000011561753194746641 } } })],
    ['not an object', 'not a fact'],
    ['null', null],
    ['an array', [fact()]],
  ];
  for (const [label, raw] of cases) expectSameAnswer(raw, label);
  // The push's usual facts are answered by hand, not by the schema.
  expect(checkFactQuickly(fact(), NOW)).not.toBeNull();
  expect(checkFactQuickly(fact({ type: 'forum_entry', payload: honest['forum_entry'] }), NOW)).not.toBeNull();
});

it('answers exactly as checkFact on random changes to honest facts (any field, any JSON value)', () => {
  const fields = ['id', 'deviceId', 'deviceSeq', 'type', 'guestId', 'hlc', 'wallMs', 'actor', 'payload', 'other'];
  const text = fc.oneof(
    fc.string({ maxLength: 8 }),
    fc.string({ unit: 'binary', maxLength: 8 }),
    fc.constantFrom('', 'kiosk_a', 'g'.repeat(200), 'g'.repeat(201), hlc(NOW), 'f1', 'scan', 'in', 'room_full'),
    fc.uuid(),
  );
  const value = fc.oneof(
    text,
    fc.jsonValue({ maxDepth: 3 }),
    fc.integer(),
    fc.constantFrom(0, 1, -1, 2 ** 53, 1.5, NOW, -0),
  );
  const change = fc.record({
    type: fc.constantFrom(...Object.keys(honest)),
    field: fc.constantFrom(...fields),
    value,
    payloadField: fc.option(fc.tuple(fc.string({ maxLength: 12 }), value)),
    drop: fc.boolean(),
  });
  fc.assert(
    fc.property(change, ({ type, field, value: v, payloadField, drop }) => {
      const raw = fact({ type, payload: structuredClone(honest[type]) });
      if (drop) delete raw[field];
      else raw[field] = v;
      if (payloadField !== null && typeof raw['payload'] === 'object' && raw['payload'] !== null) {
        (raw['payload'] as Record<string, unknown>)[payloadField[0]] = payloadField[1];
      }
      // As a push delivers it: parsed from JSON text.
      expectSameAnswer(JSON.parse(JSON.stringify(raw)), JSON.stringify(raw));
    }),
    { numRuns: 3000 },
  );
}, 60_000);
