import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPackage } from '../../electron/core/sync/package.ts';
import { hlcFormat, hlcInit, hlcTick, type HlcState } from '../../shared/hlc.ts';
import { project } from '../../shared/projection/project.ts';
import { checkFact, type Fact } from '../../shared/sync/fact-schema.ts';
import type { ConflictList } from '../../shared/sync/status.ts';
import { loadAttendance } from '../../server/store/attendance.ts';
import { publishEvent } from '../../server/store/events.ts';
import { pushFacts } from '../../server/store/fact-push.ts';
import { newKiosk, startTestServer, type TestKiosk, type TestServer } from '../support/sync-server.ts';
import { must } from '../support/call.ts';

/**
 * One projection, two storage layers: the same random histories (several devices checking guests in,
 * undoing, registering walk-ins, reassigning forums, scanning room doors; facts delivered twice and in any
 * order) go into a kiosk's SQLite through its real pull path (`applyPulled`) and into the server's store
 * through its real ingest path (`checkFact` + `pushFacts`); both answers — who is in, how many check-ins,
 * duplicates, forum winners and conflicts, who is inside which room — must equal each other and the pure
 * projection in shared/projection/.
 */

const FORUMS = ['alpha', 'beta'];
/** An assignment or entry to a forum the event does not know: kept in the log, applied nowhere. */
const UNKNOWN_FORUM = 'gamma';
const GUESTS = ['g1', 'g2', 'g3'];
const BASE_MS = Date.now() - 3_600_000;

type Step =
  | { kind: 'check_in'; device: number; guest: number; advance: number }
  | { kind: 'void'; device: number; pick: number; advance: number }
  | { kind: 'walk_in'; device: number; checkIn: boolean; advance: number }
  | { kind: 'assign'; device: number; guest: number; forum: number; heads: number; advance: number }
  | { kind: 'entry'; device: number; guest: number; forum: number; out: boolean; advance: number }
  | { kind: 'note'; device: number; guest: number; advance: number };

const device = fc.integer({ min: 0, max: 2 });
const guest = fc.integer({ min: 0, max: GUESTS.length + 2 });
// Small clock steps, sometimes none: devices' HLCs interleave and tie on wall time.
const advance = fc.integer({ min: 0, max: 3 });
const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('check_in' as const), device, guest, advance }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('void' as const), device, pick: fc.nat(), advance }) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('walk_in' as const), device, checkIn: fc.boolean(), advance }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('assign' as const),
      device,
      guest,
      forum: fc.integer({ min: 0, max: FORUMS.length }),
      heads: fc.nat(),
      advance,
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('entry' as const),
      device,
      guest,
      forum: fc.integer({ min: 0, max: FORUMS.length }),
      out: fc.boolean(),
      advance,
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('note' as const), device, guest, advance }) },
);

/** Turns steps into facts, each device with its own HLC and gap-free sequence; what each device knew is not modelled. */
function history(run: string, steps: readonly Step[]): Fact[] {
  const devices = [0, 1, 2].map((i) => `pa${run}_d${i}`);
  const clocks: HlcState[] = devices.map((d) => hlcInit(d));
  const walls = devices.map((_, i) => BASE_MS + i * 2);
  const seqs = devices.map(() => 0);
  const walkIns: string[] = [];
  const facts: Fact[] = [];
  const checkins: string[] = [];
  const assignments = new Map<string, string[]>();
  const guestOf = (n: number) =>
    n < GUESTS.length || walkIns.length === 0 ? GUESTS[n % GUESTS.length]! : walkIns[n % walkIns.length]!;
  const make = (s: Step, guestId: string, body: Pick<Fact, 'type' | 'payload'>): Fact => {
    walls[s.device]! += s.advance;
    clocks[s.device] = hlcTick(clocks[s.device]!, walls[s.device]!);
    const fact = {
      id: randomUUID(),
      deviceId: devices[s.device]!,
      deviceSeq: (seqs[s.device]! += 1),
      guestId,
      hlc: hlcFormat(clocks[s.device]!),
      wallMs: walls[s.device]!,
      actor: `staff ${s.device}`,
      ...body,
    } as Fact;
    facts.push(fact);
    return fact;
  };
  const checkIn = (s: Step, guestId: string) => {
    const f = make(s, guestId, { type: 'check_in', payload: { door: `Door ${s.device}`, method: 'scan', code: '' } });
    checkins.push(f.id);
  };
  for (const s of steps) {
    switch (s.kind) {
      case 'check_in':
        checkIn(s, guestOf(s.guest));
        break;
      case 'void': {
        if (checkins.length === 0) break;
        const target = facts.find((f) => f.id === checkins[s.pick % checkins.length])!;
        make(s, target.guestId, { type: 'check_in_void', payload: { voids: target.id, door: `Door ${s.device}` } });
        break;
      }
      case 'walk_in': {
        const id = `w_${devices[s.device]}_${walkIns.length}`;
        walkIns.push(id);
        make(s, id, {
          type: 'walk_in',
          payload: {
            guest: {
              displayName: `Walk-in ${walkIns.length}`,
              familyName: 'Walk-in',
              givenName: String(walkIns.length),
              nativeName: '',
              latinName: '',
              organization: 'Acme',
              role: 'guest',
              email: '',
              phone: '',
              note: '',
              vip: false,
              status: 'active',
              walkIn: true,
              forumPreferences: [],
              source: 'walk_in',
              codes: [],
            },
          },
        });
        if (s.checkIn) checkIn(s, id);
        break;
      }
      case 'assign': {
        const guestId = guestOf(s.guest);
        const earlier = assignments.get(guestId) ?? [];
        // The heads the device saw: some prefix of the guest's earlier assignments (concurrency when short).
        const replaces = earlier.slice(0, s.heads % (earlier.length + 1));
        const forumId = FORUMS[s.forum] ?? UNKNOWN_FORUM;
        const f = make(s, guestId, { type: 'forum_assign', payload: { forumId, replaces, overrideReason: '' } });
        assignments.set(guestId, [...earlier, f.id]);
        break;
      }
      case 'entry':
        make(s, guestOf(s.guest), {
          type: 'forum_entry',
          payload: {
            forumId: FORUMS[s.forum] ?? UNKNOWN_FORUM,
            direction: s.out ? 'out' : 'in',
            admittedAnyway: false,
            overrides: [],
          },
        });
        break;
      case 'note':
        make(s, guestOf(s.guest), { type: 'note', payload: { text: 'seen at the desk' } });
        break;
    }
  }
  return facts;
}

/** The answers compared, in one shape for every side. */
interface Answers {
  /** guest → live check-ins (earliest first; the first is the arrival) and voided count. */
  attendance: Record<string, { live: string[]; voided: number }>;
  duplicates: string[];
  /** guest → winning assignment and the losing heads. */
  forums: Record<string, { forumId: string; winner: string; losers: string[] }>;
  /** `guest forum` for everyone inside a room. */
  inside: string[];
  /** Walk-ins by the name their walk-in fact gave them. */
  walkIns: Record<string, string>;
}

function pureAnswers(facts: readonly Fact[]): Answers {
  const projected = project(facts, (id) => FORUMS.includes(id));
  const answers: Answers = { attendance: {}, duplicates: [], forums: {}, inside: [], walkIns: {} };
  for (const [guestId, g] of [...projected].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (g.attendance.live.length > 0 || g.attendance.voided > 0)
      answers.attendance[guestId] = { live: g.attendance.live.map((c) => c.factId), voided: g.attendance.voided };
    if (g.attendance.live.length > 1) answers.duplicates.push(guestId);
    const { winner, conflicts } = g.register;
    if (winner !== null)
      answers.forums[guestId] = {
        forumId: winner.forumId,
        winner: winner.factId,
        losers: conflicts.map((c) => c.factId).sort(),
      };
    for (const forumId of [...g.presence.inside].sort()) answers.inside.push(`${guestId} ${forumId}`);
    if (g.walkIn !== null) answers.walkIns[guestId] = g.walkIn.displayName;
  }
  return answers;
}

function kioskAnswers(k: TestKiosk): Answers {
  const db = k.kiosk.db!;
  const answers: Answers = { attendance: {}, duplicates: [], forums: {}, inside: [], walkIns: {} };
  const checkins = db
    .prepare(
      `SELECT c.guest_id, c.fact_id, EXISTS (SELECT 1 FROM checkin_voids v WHERE v.checkin_fact_id = c.fact_id) AS voided
       FROM checkins c ORDER BY c.guest_id, c.hlc, c.fact_id`,
    )
    .all() as Array<{ guest_id: string; fact_id: string; voided: number }>;
  for (const c of checkins) {
    const a = (answers.attendance[c.guest_id] ??= { live: [], voided: 0 });
    if (c.voided === 1) a.voided += 1;
    else a.live.push(c.fact_id);
  }
  // The projection table the door reads must say the same as the rows it is derived from.
  const attendanceRows = db
    .prepare(`SELECT guest_id, live_checkins, first_fact_id FROM attendance ORDER BY guest_id`)
    .all() as Array<{ guest_id: string; live_checkins: number; first_fact_id: string }>;
  expect(attendanceRows).toEqual(
    Object.entries(answers.attendance)
      .filter(([, a]) => a.live.length > 0)
      .map(([guestId, a]) => ({ guest_id: guestId, live_checkins: a.live.length, first_fact_id: a.live[0] })),
  );
  const conflicts = must(k.kiosk, 'sync.conflicts', {}) as ConflictList;
  answers.duplicates = conflicts.duplicates.map((d) => d.guestId).sort();
  const winners = db
    .prepare(`SELECT guest_id, forum_id, fact_id, conflicts FROM guest_forum ORDER BY guest_id`)
    .all() as Array<{ guest_id: string; forum_id: string; fact_id: string; conflicts: number }>;
  const losers = new Map(conflicts.forumConflicts.map((c) => [c.guestId, c.losers.map((l) => l.factId).sort()]));
  for (const w of winners) {
    answers.forums[w.guest_id] = { forumId: w.forum_id, winner: w.fact_id, losers: losers.get(w.guest_id) ?? [] };
    expect(w.conflicts).toBe(answers.forums[w.guest_id]!.losers.length);
  }
  answers.inside = (
    db.prepare(`SELECT guest_id, forum_id FROM forum_presence ORDER BY guest_id, forum_id`).all() as Array<{
      guest_id: string;
      forum_id: string;
    }>
  ).map((p) => `${p.guest_id} ${p.forum_id}`);
  const walkIns = db
    .prepare(`SELECT id, display_name FROM guests WHERE id LIKE 'w\\_%' ESCAPE '\\' ORDER BY id`)
    .all() as Array<{
    id: string;
    display_name: string;
  }>;
  for (const w of walkIns) answers.walkIns[w.id] = w.display_name;
  // The seat counters follow the projection too.
  const counts = db.prepare(`SELECT forum_id, assigned, inside FROM forum_counts ORDER BY forum_id`).all();
  expect(counts).toEqual(
    [...FORUMS].sort().map((forumId) => ({
      forum_id: forumId,
      assigned: Object.values(answers.forums).filter((f) => f.forumId === forumId).length,
      inside: answers.inside.filter((p) => p.endsWith(` ${forumId}`)).length,
    })),
  );
  return answers;
}

async function serverAnswers(server: TestServer, eventId: string): Promise<Answers> {
  const model = await loadAttendance(server.sql, eventId);
  const answers: Answers = { attendance: {}, duplicates: [], forums: {}, inside: [], walkIns: {} };
  const states = [...model!.guests].sort((a, b) => (a.guest.id < b.guest.id ? -1 : 1));
  for (const s of states) {
    if (s.live.length > 0 || s.voided > 0)
      answers.attendance[s.guest.id] = { live: s.live.map((c) => c.factId), voided: s.voided };
    if (s.live.length > 1) answers.duplicates.push(s.guest.id);
    const { winner, conflicts } = s.register;
    if (winner !== null)
      answers.forums[s.guest.id] = {
        forumId: winner.forumId,
        winner: winner.factId,
        losers: conflicts.map((c) => c.factId).sort(),
      };
    for (const forumId of [...s.inside].sort()) answers.inside.push(`${s.guest.id} ${forumId}`);
    if (s.guest.id.startsWith('w_')) answers.walkIns[s.guest.id] = s.guest.displayName;
  }
  return answers;
}

let server: TestServer;
let runs = 0;

beforeAll(async () => {
  server = await startTestServer({ kind: 'pglite' });
}, 120_000);

afterAll(async () => {
  await server?.close();
});

describe('one projection: kiosk, server and shared rules agree', () => {
  it('on random histories delivered in any order, twice over', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(step, { minLength: 1, maxLength: 40 }),
        fc.array(fc.nat(), { maxLength: 12 }),
        fc.integer({ min: 1, max: 7 }),
        async (steps, shuffle, pageSize) => {
          const run = String(runs++);
          const facts = history(run, steps);
          // Delivery: a permutation of the facts, some of them twice (a replayed page), in pages.
          const order = facts.map((f, i) => ({ f, key: shuffle[i % Math.max(1, shuffle.length)]! * 31 + i }));
          order.sort((a, b) => (a.key % 17) - (b.key % 17) || a.key - b.key);
          const delivered = [...order.map((o) => o.f), ...facts.filter((_, i) => shuffle.includes(i))];

          const k = newKiosk('Agreement');
          try {
            must(k.kiosk, 'event.create', {
              name: { zh: '', en: `Agreement ${run}`, de: '' },
              startsAt: '',
              endsAt: '',
              timezone: 'UTC',
              venue: { zh: '', en: '', de: '' },
              badgeSize: 'cr80',
              logoDataUrl: '',
            });
            for (const id of FORUMS)
              must(k.kiosk, 'forums.add', {
                forum: {
                  id,
                  name: { zh: '', en: id, de: '' },
                  room: '',
                  capacity: 5,
                  startsAt: '',
                  endsAt: '',
                  colour: '',
                },
              });
            const pkg = buildPackage(k.kiosk.db!, k.kiosk.codes);
            await publishEvent(server.sql, pkg, Date.now());
            const eventId = pkg.event.id;

            const now = Date.now();
            const db = k.kiosk.db!;
            for (let i = 0; i < delivered.length; i += pageSize) {
              const page = delivered.slice(i, i + pageSize).map((f) => ({ ...f, receivedAt: now }));
              db.transaction(() => k.kiosk.sync!.engine.apply(page))();
            }

            // Each device pushes its own facts (as it would), in the delivery order, repeats included.
            for (const deviceId of new Set(facts.map((f) => f.deviceId))) {
              const own = delivered.filter((f) => f.deviceId === deviceId).map((f) => checkFact(f, now));
              await pushFacts(server.sql, { deviceId, eventId }, own, '', now);
            }

            const expected = pureAnswers(facts);
            expect(kioskAnswers(k)).toEqual(expected);
            expect(await serverAnswers(server, eventId)).toEqual(expected);
          } finally {
            k.kiosk.close();
          }
        },
      ),
      { numRuns: 30 },
    );
  }, 240_000);
});
