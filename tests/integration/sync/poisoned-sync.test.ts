import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDispatcher } from '../../../electron/core/dispatch.ts';
import { hlcParse } from '../../../shared/hlc.ts';
import type { ScanResult } from '../../../shared/domain.ts';
import { MAX_FACT_BYTES } from '../../../shared/sync/fact-schema.ts';
import { MAX_PULL_BYTES, SYNC_PROTOCOL_VERSION } from '../../../shared/sync/protocol.ts';
import { openRosterKiosk } from '../../support/roster-kiosk.ts';
import { pairRogue, type RogueDevice } from '../../support/rogue-device.ts';
import {
  cluster,
  codeOf,
  guestIds,
  publish,
  startTestServer,
  type TestKiosk,
  type TestServer,
} from '../../support/sync-server.ts';
import { must } from '../../support/call.ts';

/**
 * Issue 13, "Sync can be poisoned": each finding as it was found, against a real server (Fastify on
 * PGlite, which refuses U+0000 in jsonb as PostgreSQL does) and real kiosk cores. Two honest doors, A and
 * B, and a rogue paired device that pushes what it likes. After every attack the honest doors must keep
 * syncing: nothing one device sends may stop the others.
 */
let server: TestServer;
let a: TestKiosk;
let b: TestKiosk;
let eventId: string;
let rogue: RogueDevice;
const MB = 1024 * 1024;

beforeAll(async () => {
  server = await startTestServer({ kind: 'pglite' });
  const made = await cluster(server, ['North', 'South']);
  eventId = made.eventId;
  [a, b] = made.kiosks as [TestKiosk, TestKiosk];
  rogue = await pairRogue(server, eventId, 'rogue_device');
}, 180_000);

afterAll(async () => {
  for (const k of [a, b]) k?.kiosk.close();
  await server?.close();
});

const engine = (k: TestKiosk) => k.kiosk.sync!.engine;

/** A check-in at door `k` by scanning a roster guest's badge. */
function scan(k: TestKiosk, guestId: string): ScanResult {
  return must(k.kiosk, 'guests.scan', { code: codeOf(k, guestId) }) as ScanResult;
}

/** The honest doors still work together: a check-in at A reaches B through the server. */
async function honestDoorsStillSync(guestId: string): Promise<void> {
  const result = scan(a, guestId);
  expect(['checked_in', 'already_checked_in']).toContain(result.status);
  await engine(a).syncOnce();
  await engine(b).syncOnce();
  expect(engine(a).status().pending).toBe(0);
  expect(engine(b).status().lastError).toBeNull();
  const seen = b.kiosk.db!.prepare(`SELECT count(*) FROM checkins WHERE guest_id = ?`).pluck().get(guestId) as number;
  expect(seen).toBeGreaterThan(0);
}

async function storedRows(where: string, params: unknown[]): Promise<number> {
  const rows = await server.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM fact_log WHERE ${where}`, params);
  return rows[0]!.n;
}

/** An event stored on the server as if it got in before events were checked (an older server's log). */
async function storeUnchecked(event: Record<string, unknown>): Promise<void> {
  await server.sql.query(
    `INSERT INTO fact_log (fact_id, conference_id, device_id, device_seq, type, guest_id, hlc, wall_ms, actor,
                            payload, content_hash, received_ms)
     VALUES ($1::uuid, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb, 'unchecked', $11)`,
    [
      event['id'],
      eventId,
      event['deviceId'],
      event['deviceSeq'],
      event['type'],
      event['guestId'],
      event['hlc'],
      event['wallMs'],
      event['actor'],
      JSON.stringify(event['payload']),
      Date.now(),
    ],
  );
}

describe('issue 13: one bad event from one device cannot stop the doors', () => {
  it('finding 1: a walk-in typed with a NUL in the name is cleaned, pushed, and pending goes to 0', async () => {
    const call = createDispatcher(a.kiosk.handlers);
    const walkIn = call('guests.walkIn', {
      name: 'Ann\u0000 Lee',
      organization: 'ACME\u0007',
      email: '',
      role: 'guest',
    });
    expect(walkIn.ok).toBe(true);
    const guest = (walkIn as { value: ScanResult }).value.guest!;
    await engine(a).syncOnce();
    expect(engine(a).status().pending).toBe(0);
    expect(engine(a).status().rejected).toBe(0);
    expect(guest.name).toBe('Ann Lee');
    await engine(b).syncOnce();
    const onB = must(b.kiosk, 'guests.get', { guestId: guest.id }) as { name: string; organization: string };
    expect(onB).toMatchObject({ name: 'Ann Lee', organization: 'ACME' });
  }, 120_000);

  it('finding 1, stored earlier: a door name saved with a NUL before text was cleaned does not stop scans or sync', async () => {
    const meta = a.kiosk.db!.prepare(`UPDATE meta SET value = ? WHERE key = 'door'`);
    const before = a.kiosk.db!.prepare(`SELECT value FROM meta WHERE key = 'door'`).pluck().get() as string;
    meta.run('North\u0000 gate');
    try {
      const result = scan(a, guestIds(a, 10)[9]!);
      expect(result.status).toBe('checked_in');
      expect(result.checkin!.door).toBe('North gate');
      await engine(a).syncOnce();
      expect(engine(a).status().pending).toBe(0);
    } finally {
      meta.run(before);
    }
  }, 120_000);

  it('finding 2: a walk_in whose guest.codes is a string is refused by the server, and the doors keep pulling', async () => {
    const bad = rogue.event({
      type: 'walk_in',
      guestId: 'w_rogue_codes',
      payload: { guest: { displayName: 'Mallory', codes: '123456789012' } },
    });
    const answer = await rogue.push([bad]);
    expect(answer.status).toBe(200);
    expect(answer.body.results).toEqual([{ id: bad['id'], status: 'rejected', reason: 'event_invalid' }]);
    // Refused, not held: the rogue's watermark moves past it, and the server stored nothing.
    expect(answer.body.ackedThrough).toBe(bad['deviceSeq']);
    expect(await storedRows('fact_id = $1::uuid', [bad['id']])).toBe(0);
    await honestDoorsStillSync(guestIds(a, 3)[1]!);
  }, 120_000);

  it('finding 2, pulled: a kiosk parks an event it cannot apply, lists it, and its cursor moves on', async () => {
    const bad = rogue.event({
      type: 'walk_in',
      guestId: 'w_rogue_codes_stored',
      payload: { guest: { displayName: 'Mallory', codes: '123456789012' } },
    });
    await storeUnchecked(bad);
    await engine(b).syncOnce();
    expect(engine(b).status().parked).toBeGreaterThanOrEqual(1);
    const parked = (must(b.kiosk, 'sync.conflicts', {}) as { parked: Array<Record<string, string>> }).parked;
    expect(parked).toContainEqual(
      expect.objectContaining({
        factId: bad['id'],
        reason: 'event_invalid',
        type: 'walk_in',
        deviceId: 'rogue_device',
      }),
    );
    expect(b.kiosk.db!.prepare(`SELECT count(*) FROM guests WHERE id = 'w_rogue_codes_stored'`).pluck().get()).toBe(0);
    await honestDoorsStillSync(guestIds(a, 4)[2]!);
  }, 120_000);

  it('finding 3: a 15 MB note is refused at push, and pulls keep answering', async () => {
    const note = rogue.event({ type: 'note', payload: { text: 'x'.repeat(15 * MB) } });
    const started = performance.now();
    const answer = await rogue.push([note]);
    const ms = performance.now() - started;
    expect(answer.status).toBe(413);
    expect(answer.body.error?.code).toBe('payload_too_large');
    expect(ms).toBeLessThan(30_000);
    // Just over the per-event bound (64 KB) but inside the body limit: refused on its own.
    const big = rogue.event({ type: 'note', payload: { text: 'y'.repeat(MAX_FACT_BYTES) } });
    const small = rogue.event({ type: 'note', payload: { text: 'hello' } });
    const mixed = await rogue.push([big, small]);
    expect(mixed.status).toBe(200);
    expect(mixed.body.results!.map((r) => [r.status, r.reason])).toEqual([
      ['rejected', 'event_too_large'],
      ['stored', ''],
    ]);
    const pull = await rogue.pull();
    expect(pull.status).toBe(200);
    await honestDoorsStillSync(guestIds(a, 5)[3]!);
  }, 180_000);

  it('finding 3, stored before the fix: pages are bounded by bytes, the kiosk parks the huge notes and goes on', async () => {
    // Two 15 MB notes in the log, as an older server accepted them; every pull answered 500 then.
    const huge = [1, 2].map(() => rogue.event({ type: 'note', payload: { text: 'z'.repeat(15 * MB) } }));
    for (const e of huge) await storeUnchecked(e);
    const afterHuge = rogue.event({ type: 'note', payload: { text: 'after the huge ones' } });
    expect((await rogue.push([afterHuge])).body.results![0]!.status).toBe('stored');

    // A fresh reader pages through the whole log: no page carries more than one oversized row.
    let cursor = '';
    let pages = 0;
    for (;;) {
      const page = await rogue.pull(cursor);
      expect(page.status).toBe(200);
      const bytes = JSON.stringify(page.body.facts).length;
      const largest = Math.max(0, ...page.body.facts!.map((e) => JSON.stringify(e).length));
      expect(bytes - largest).toBeLessThanOrEqual(MAX_PULL_BYTES + 64 * 1024);
      pages += 1;
      cursor = page.body.cursor!;
      if (page.body.hasMore !== true) break;
    }
    expect(pages).toBeGreaterThanOrEqual(3);

    await engine(b).syncOnce();
    const parked = (must(b.kiosk, 'sync.conflicts', {}) as { parked: Array<Record<string, string>> }).parked;
    for (const e of huge) {
      expect(parked).toContainEqual(expect.objectContaining({ factId: e['id'], reason: 'event_too_large' }));
    }
    expect(b.kiosk.db!.prepare(`SELECT count(*) FROM facts WHERE id = ?`).pluck().get(afterHuge['id'])).toBe(1);
    await honestDoorsStillSync(guestIds(a, 6)[4]!);
  }, 240_000);

  it('finding 4: a check-in with HLC 999999999999999-99999 is refused; pulled anyway, it is parked and no clock moves', async () => {
    const hlc = `999999999999999-99999-${rogue.deviceId}`;
    const far = rogue.event({ hlc, guestId: guestIds(a, 1)[0]! });
    const answer = await rogue.push([far]);
    expect(answer.body.results).toEqual([{ id: far['id'], status: 'rejected', reason: 'event_clock_skew' }]);
    expect(await storedRows('fact_id = $1::uuid', [far['id']])).toBe(0);

    // As if an older server had stored it: the kiosk that pulls it parks it and keeps its own clock.
    const stored = rogue.event({ hlc, guestId: guestIds(a, 1)[0]! });
    await storeUnchecked(stored);
    await engine(b).syncOnce();
    const parked = (must(b.kiosk, 'sync.conflicts', {}) as { parked: Array<Record<string, string>> }).parked;
    expect(parked).toContainEqual(expect.objectContaining({ factId: stored['id'], reason: 'event_clock_skew' }));
    const guest = guestIds(b, 8)[7]!;
    const next = scan(b, guest);
    expect(next.status).toBe('checked_in');
    const wall = hlcParse(next.checkin!.hlc).wallMs;
    expect(Math.abs(wall - Date.now())).toBeLessThan(3_600_000);
    await engine(b).syncOnce();
    expect(engine(b).status().pending).toBe(0);
    expect(engine(b).status().rejected).toBe(0);
  }, 120_000);

  it('finding 5: a payload nested 100,000 deep is a clear 4xx, not a 500; a moderately deep one is refused alone', async () => {
    const depth = 100_000;
    const event = rogue.event({ type: 'note', payload: { text: '' } });
    const body = JSON.stringify({ protocol: SYNC_PROTOCOL_VERSION, facts: [event] }).replace(
      '"payload":{"text":""}',
      `"payload":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`,
    );
    const deep = await rogue.push([], body);
    expect(deep.status).toBe(400);
    expect(deep.body.error?.code).toBe('invalid_request');
    expect(deep.body.error?.message).toMatch(/nests deeper/);

    let nested: unknown = 'leaf';
    for (let i = 0; i < 12; i++) nested = { a: nested };
    const moderate = rogue.event({ type: 'note', payload: { text: 'ok', extra: nested } });
    const fine = rogue.event({ type: 'note', payload: { text: 'fine' } });
    const answer = await rogue.push([moderate, fine]);
    expect(answer.status).toBe(200);
    expect(answer.body.results!.map((r) => r.reason)).toEqual(['event_too_deep', '']);
    await honestDoorsStillSync(guestIds(a, 8)[5]!);
  }, 120_000);

  it('finding 14: NUL bytes in imported names are cleaned at import, and the event can be published', async () => {
    const roster = openRosterKiosk(false);
    try {
      const csv =
        '姓名,单位,邮箱,票号\r\n"Ann\u0000 Lee","ACME\u0000 GmbH",ann@example.com,NUL-001\r\n刘\u0000青,研究院,liu@example.cn,NUL-002\r\n';
      const { summary } = await roster.importFile('nul.csv', new TextEncoder().encode(csv), {
        preset: '',
        dryRun: false,
        mapping: null,
      });
      expect(summary).toMatchObject({ applied: true, added: 2, errors: [] });
      const other = await startTestServer({ kind: 'pglite' });
      try {
        const published = await publish(other, roster.kiosk);
        expect(published).toBeTruthy();
      } finally {
        await other.close();
      }
      const names = roster.kiosk.db!.prepare(`SELECT display_name, organization FROM guests ORDER BY id`).all();
      expect(names).toEqual(
        expect.arrayContaining([
          { display_name: 'Ann Lee', organization: 'ACME GmbH' },
          { display_name: '刘青', organization: '研究院' },
        ]),
      );
    } finally {
      roster.close();
    }
  }, 180_000);
});

it('the rogue events never reached the honest doors, and both doors agree', async () => {
  await engine(a).syncOnce();
  await engine(b).syncOnce();
  for (const k of [a, b]) {
    const fromRogue = k.kiosk.db!.prepare(`SELECT type FROM facts WHERE device_id = ?`).pluck().all(rogue.deviceId);
    // Only its well-formed notes got through; notes change nothing at a door.
    expect(new Set(fromRogue)).toEqual(new Set(['note']));
  }
  const checkins = (k: TestKiosk) => k.kiosk.db!.prepare(`SELECT fact_id FROM checkins ORDER BY 1`).pluck().all();
  expect(checkins(a)).toEqual(checkins(b));
}, 120_000);
