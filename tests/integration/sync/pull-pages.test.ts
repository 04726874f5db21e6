import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SyncClient, type Timed } from '../../../electron/core/sync/client.ts';
import { nextPageFacts, type SyncTransfer } from '../../../electron/core/sync/transfer.ts';
import type { PulledPage } from '../../../shared/sync/protocol.ts';
import { must } from '../../support/call.ts';
import { testSecrets } from '../../support/secrets.ts';
import {
  cluster,
  codeOf,
  guestIds,
  newKiosk,
  pairingCode,
  startTestServer,
  visibleState,
  type TestKiosk,
  type TestServer,
} from '../../support/sync-server.ts';

/**
 * A new kiosk's first pull, cut into many small pages, groups and slices (the real ones are 20,000 facts
 * a page, applied 2,500 a transaction): what it ends up with is what the kiosk that made the facts shows
 * (room presence and entries included); a slice that fails to apply leaves its own facts out and the
 * cursor where the last whole group ended, never ahead of the facts committed (R8); the next round carries
 * on from there, and a page applied again changes nothing. Between slices the door's scans are answered.
 */

/** What a kiosk shows, plus the room projections a pull writes. */
function projections(k: TestKiosk): unknown {
  const db = k.kiosk.db!;
  return {
    ...(visibleState(k) as object),
    presence: db.prepare(`SELECT guest_id, forum_id FROM forum_presence ORDER BY 1, 2`).all(),
    entries: db
      .prepare(
        `SELECT fact_id, guest_id, forum_id, direction, admitted_anyway, device_id, hlc, wall_ms
         FROM forum_entries ORDER BY fact_id`,
      )
      .all(),
    facts: db
      .prepare(`SELECT id, device_id, device_seq, type, guest_id, hlc, wall_ms, actor, payload FROM facts ORDER BY id`)
      .all(),
  };
}

function sync(k: TestKiosk): { transfer: SyncTransfer; client: SyncClient; cursor: () => string | null } {
  const db = k.kiosk.db!;
  const meta = (key: string) =>
    (db.prepare(`SELECT value FROM meta WHERE key = ?`).pluck().get(`sync_${key}`) as string | undefined) ?? null;
  const client = new SyncClient(meta('url')!, testSecrets.open(meta('token')!), Date.now);
  // The engine's own transfer (private to it): the test only chooses smaller pages and groups.
  const transfer = (k.kiosk.sync!.engine as unknown as { transfer: SyncTransfer }).transfer;
  return { transfer, client, cursor: () => meta('cursor') };
}

describe('the size of the next page', () => {
  const answer = (facts: number, ms: number): Timed<PulledPage> => ({
    body: { facts: Array.from({ length: facts }, () => ({})) } as unknown as PulledPage,
    sentMs: 1_000_000,
    receivedMs: 1_000_000 + ms,
  });

  it('is the largest on a fast link, and what arrives in about 8 s on a slow one', () => {
    // 5,000 facts in a quarter of a second: the next page is as big as the server serves.
    expect(nextPageFacts(answer(5_000, 250), 20_000)).toBe(20_000);
    // 5,000 facts (about 1.5 MB) in 15 s, 100 KB/s: a page of 2,667 keeps inside the 30 s request timeout.
    expect(nextPageFacts(answer(5_000, 15_000), 20_000)).toBe(2_667);
    // Nearly nothing gets through: a floor of 500, and never more than asked for.
    expect(nextPageFacts(answer(10, 20_000), 20_000)).toBe(500);
    expect(nextPageFacts(answer(5_000, 250), 7)).toBe(7);
  });
});

describe('a first pull in small pages', () => {
  let server: TestServer;
  let maker: TestKiosk;
  const kiosks: TestKiosk[] = [];
  /** Paired before the facts were made (pairing pulls what there is): each one's first pull is all of them. */
  const late: TestKiosk[] = [];
  let eventId = '';

  beforeAll(async () => {
    server = await startTestServer({ kind: 'pglite' });
    const made = await cluster(server, ['Registration']);
    maker = made.kiosks[0]!;
    eventId = made.eventId;
    kiosks.push(maker);
    for (const name of ['Late door', 'Second late door', 'Busy late door', 'Wary late door']) {
      const k = newKiosk(name);
      kiosks.push(k);
      late.push(k);
      await k.kiosk.sync!.engine.pair(server.url, await pairingCode(server, made.eventId, name));
    }
    const k = maker.kiosk;
    const forumId = must(k, 'forums.list', {}).forums[0]!.id;
    const ids = guestIds(maker, 24);
    // Check-ins, undos, a walk-in, and a room's door: entries and exits, some guests in twice.
    for (const [i, id] of ids.entries()) {
      const scan = must(k, 'guests.scan', { code: codeOf(maker, id) });
      if (i % 5 === 0) must(k, 'checkins.undo', { checkinId: scan.checkin!.id });
    }
    must(k, 'guests.walkIn', { name: 'Zoë Dubois', organization: 'Institut Pasteur', email: '', role: 'guest' });
    for (let round = 0; round < 3; round++) {
      for (const [i, id] of ids.entries()) {
        if ((i + round) % 3 === 0) continue;
        maker.clock.skewMs += 10_000; // past the same-scan window
        must(k, 'forums.scan', {
          code: codeOf(maker, id),
          forumId,
          direction: (i + round) % 2 === 0 ? 'in' : 'out',
          admitAnyway: true,
        });
      }
    }
    await k.sync!.engine.pushPending();
  }, 120_000);

  afterAll(async () => {
    for (const k of kiosks) k.kiosk.close();
    await server?.close();
  });

  it('ends with what the kiosk that made the facts shows; a page applied again changes nothing', async () => {
    const k = late[0]!;
    const { transfer, client } = sync(k);
    const pages: PulledPage[] = [];
    const pull = client.pull.bind(client);
    client.pull = async (cursor: string, limit: number): Promise<Timed<PulledPage>> => {
      const answer = await pull(cursor, limit);
      pages.push(answer.body);
      return answer;
    };
    const applied = await transfer.pullAll(client, { pageFacts: 7, groupFacts: 20, sliceFacts: 6 });
    const made = maker.kiosk.db!.prepare(`SELECT count(*) FROM facts`).pluck().get() as number;
    expect(applied).toBe(made);
    expect(pages.length).toBeGreaterThan(made / 7);
    // The pages committed without a sync of their own; every commit after them syncs again (R2).
    expect(k.kiosk.db!.pragma('synchronous', { simple: true })).toBe(2);
    expect(projections(k)).toEqual(projections(maker));

    const engine = k.kiosk.sync!.engine;
    const db = k.kiosk.db!;
    for (const page of pages) expect(db.transaction(() => engine.apply(page.facts))()).toBe(0);
    expect(projections(k)).toEqual(projections(maker));
  }, 120_000);

  it('a slice that fails leaves its facts out and the cursor never ahead of the facts committed (R8)', async () => {
    const k = late[1]!;
    const { transfer, client, cursor } = sync(k);
    const engine = k.kiosk.sync!.engine;
    const db = k.kiosk.db!;
    const apply = engine.apply.bind(engine);
    const count = () => db.prepare(`SELECT count(*) FROM facts`).pluck().get() as number;
    let calls = 0;
    let afterFirstGroup = { facts: 0, cursor: null as string | null };
    engine.apply = (raw) => {
      calls += 1;
      // Pages of 5, groups of 3 pages, slices of 5: each call is one slice's transaction. The first group
      // commits with its cursor; in the second, two slices commit their facts, the third fails after its
      // rows were written (the disk full, the process killed).
      if (calls === 4) afterFirstGroup = { facts: count(), cursor: cursor() };
      const n = apply(raw);
      if (calls === 6) throw new Error('the disk is full');
      return n;
    };
    await expect(transfer.pullAll(client, { pageFacts: 5, groupFacts: 15, sliceFacts: 5 })).rejects.toThrow(
      'the disk is full',
    );
    expect(afterFirstGroup.facts).toBe(15);
    expect(afterFirstGroup.cursor).not.toBeNull();
    // The two slices before the failure are here; the failed one is not; the cursor is still the first
    // group's: the next pull reads the second group again and skips what is stored.
    expect(count()).toBe(25);
    expect(cursor()).toBe(afterFirstGroup.cursor);
    expect(db.pragma('synchronous', { simple: true })).toBe(2);

    engine.apply = apply;
    await engine.syncOnce();
    expect(projections(k)).toEqual(projections(maker));
  }, 120_000);

  it("answers the door's scans between the slices of a page", async () => {
    const k = late[2]!;
    const { transfer, client, cursor } = sync(k);
    const db = k.kiosk.db!;
    const makerDevice = maker.kiosk.db!.prepare(`SELECT DISTINCT device_id FROM facts`).pluck().get() as string;
    const pulledHere = () =>
      db.prepare(`SELECT count(*) FROM facts WHERE device_id = ?`).pluck().get(makerDevice) as number;
    const codes = guestIds(k, 40).map((id) => codeOf(k, id));
    // The door: a scan on every turn of the event loop while the pull runs, each noting what had been
    // pulled and the saved cursor when it was answered.
    const turns: Array<{ pulled: number; cursor: string | null }> = [];
    let pulling = true;
    const door = (async () => {
      while (pulling) {
        await new Promise((resolve) => setImmediate(resolve));
        const scan = must(k.kiosk, 'guests.scan', { code: codes[turns.length % codes.length]! });
        expect(scan.guest).not.toBeNull();
        turns.push({ pulled: pulledHere(), cursor: cursor() });
      }
    })();
    // One page of 40 facts at most, applied in slices of 4: the cursor moves once per page.
    await transfer.pullAll(client, { pageFacts: 40, sliceFacts: 4 }).finally(() => (pulling = false));
    await door;
    const made = maker.kiosk.db!.prepare(`SELECT count(*) FROM facts`).pluck().get() as number;
    expect(pulledHere()).toBe(made);
    // Scans answered while a page was half applied: its first slices' facts committed, its cursor not yet.
    const midPage = turns.filter(
      (t, i) => i > 0 && t.cursor === turns[i - 1]!.cursor && t.pulled > turns[i - 1]!.pulled,
    );
    expect(midPage.length).toBeGreaterThan(made / 40);
    for (const t of turns) expect(t.pulled).toBeLessThanOrEqual(made);
  }, 120_000);

  it('parks a poisoned check-in or room entry in a later page as the schema does, and applies none of it', async () => {
    const k = late[3]!;
    const makerDb = maker.kiosk.db!;
    const device = makerDb.prepare(`SELECT DISTINCT device_id FROM facts`).pluck().get() as string;
    const guestId = guestIds(maker, 1)[0]!;
    const forumId = must(maker.kiosk, 'forums.list', {}).forums[0]!.id;
    const now = Date.now();
    const hlc = (ms: number, node = device) => `${String(ms).padStart(15, '0')}-00000-${node}`;
    const entry = { forumId, direction: 'in', admittedAnyway: false, overrides: [] };
    const checkIn = { door: 'North', method: 'scan', code: '' };
    // Each one a check-in or an entry of the usual shape, with one thing wrong that the quick check must see.
    const poisoned: Array<[string, Record<string, unknown>]> = [
      ['event_invalid', { type: 'check_in', payload: { ...checkIn, door: 'North\u0007' } }],
      ['event_invalid', { type: 'check_in', hlc: hlc(now, 'someone_else') }],
      ['event_clock_skew', { type: 'check_in', hlc: hlc(now + 2 * 24 * 3_600_000) }],
      ['event_invalid', { type: 'forum_entry', payload: { ...entry, direction: 'sideways' } }],
      ['event_invalid', { type: 'forum_entry', payload: { ...entry, overrides: ['bribe'] } }],
      ['event_invalid', { type: 'forum_entry', guestId: '' }],
    ];
    const stored = poisoned.map(([reason, fields], i) => ({
      reason,
      fact: {
        id: randomUUID(),
        deviceId: device,
        deviceSeq: 100_000 + i,
        guestId,
        hlc: hlc(now),
        wallMs: now,
        actor: 'staff',
        payload: fields['type'] === 'check_in' ? checkIn : entry,
        ...fields,
      } as Record<string, unknown>,
    }));
    // Stored as an older server's log may hold them (unchecked), after everything else: the last pages.
    for (const { fact } of stored) {
      await server.sql.query(
        `INSERT INTO fact_log (fact_id, conference_id, device_id, device_seq, type, guest_id, hlc, wall_ms, actor,
                                payload, content_hash, received_ms)
         VALUES ($1::uuid, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb, 'unchecked', $11)`,
        [
          fact['id'],
          eventId,
          fact['deviceId'],
          fact['deviceSeq'],
          fact['type'],
          fact['guestId'],
          fact['hlc'],
          fact['wallMs'],
          fact['actor'],
          JSON.stringify(fact['payload']),
          now,
        ],
      );
    }
    const { transfer, client } = sync(k);
    const pages: number[] = [];
    const pull = client.pull.bind(client);
    client.pull = async (cursor: string, limit: number): Promise<Timed<PulledPage>> => {
      const answer = await pull(cursor, limit);
      pages.push(answer.body.facts.length);
      return answer;
    };
    await transfer.pullAll(client, { pageFacts: 7, sliceFacts: 3 });
    expect(pages.length).toBeGreaterThan(3);
    const db = k.kiosk.db!;
    const parked = db.prepare(`SELECT fact_id, reason FROM parked_facts ORDER BY fact_id`).all();
    expect(parked).toEqual(
      stored
        .map(({ fact, reason }) => ({ fact_id: fact['id'], reason }))
        .sort((x, y) => (x.fact_id! < y.fact_id! ? -1 : 1)),
    );
    // None of them in the log or a projection: the kiosk shows exactly what the kiosk that made the rest does.
    expect(projections(k)).toEqual(projections(maker));
  }, 120_000);
});
