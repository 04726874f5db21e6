import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKiosk } from '../../../electron/core/kiosk.ts';
import { databaseFile } from '../../../electron/core/paths.ts';
import { hlcFormat, hlcInit, hlcParse, hlcReceive, hlcTick, type HlcState } from '../../../shared/hlc.ts';
import {
  compareAssignments,
  currentHeads,
  resolveRegister,
  type AssignmentFact,
} from '../../../shared/forums/register.ts';
import type { EventStats } from '../../../shared/sync/protocol.ts';
import {
  adminGet,
  cluster,
  codeOf,
  guestIds,
  startTestServer,
  visibleState,
  type TestKiosk,
  type TestServer,
} from '../../support/sync-server.ts';
import { testSecrets } from '../../support/secrets.ts';
import { must } from '../../support/call.ts';

/**
 * R29 (with R10–R13): a model-based test of the whole sync protocol with real parts — one real server
 * (Fastify on PGlite) and three real kiosk cores on SQLite — driven by random command sequences:
 * scans (few guests, so the same badge is admitted at several doors), voids of a kiosk's own check-ins,
 * forum reassignments, walk-ins, syncs of one kiosk (the others stay partitioned meanwhile), clock jumps of ±2 h,
 * crashes (the database files as a killed process leaves them, reopened by a new core), a lost answer
 * (the server did the work, the kiosk never heard), and a server restored from an earlier backup.
 * After healing (every kiosk syncs twice) the invariants must hold.
 *
 * Every run gets a fresh world cheaply: the three paired kiosks are made once and copied per run, and
 * the server's per-event tables are emptied (same devices, same tokens, empty log).
 *
 * Long run: SYNC_MODEL_RUNS=5000 npx vitest run tests/integration/sync/model.test.ts
 * Replay a failure: SYNC_MODEL_SEED=<seed> SYNC_MODEL_PATH=<path> (both printed by fast-check).
 */
const RUNS = Number(process.env['SYNC_MODEL_RUNS'] ?? '200');
const SEED = process.env['SYNC_MODEL_SEED'];
const REPLAY_PATH = process.env['SYNC_MODEL_PATH'];
/**
 * A kiosk may also void another kiosk's check-in (SYNC_MODEL_VOID_ANY=0 turns that off). This found that
 * two concurrent voids of one check-in left "who undid it" depending on arrival order; the earliest void
 * (HLC, then id) is now the one on record everywhere.
 */
const VOID_ANY = process.env['SYNC_MODEL_VOID_ANY'] !== '0';
const MAX_COMMANDS = 20;
const GUESTS = 5;
const FORUM_GUESTS = 3;
const KIOSKS = 3;
const HOUR = 3_600_000;
const DOORS = ['North', 'South', 'Forum hall'];
const MUTABLE_TABLES = ['fact_log', 'device_progress', 'idempotency_keys', 'alerts'];

// ---------------------------------------------------------------------------------------------------
// The model

type Kind = 'walk_in' | 'check_in' | 'check_in_void' | 'forum_assign';

interface ModelEvent {
  id: string;
  kiosk: number;
  type: Kind;
  guestId: string;
  hlc: string;
  deviceId: string;
  /** check_in_void: the check-in it removes. */
  voids: string;
  /** forum_assign: the forum and the heads it replaced. */
  forumId: string;
  replaces: string[];
}

interface Model {
  events: Map<string, ModelEvent>;
  /** Each kiosk's own events in device_seq order. */
  own: string[][];
  /** Every event each kiosk holds (own and pulled). */
  known: Array<Set<string>>;
  /** Every event the server holds. */
  server: Set<string>;
  /** How many of its own events each kiosk believes the server has (its persisted watermark). */
  acked: number[];
  /** The server's event set at the last backup, if any. */
  backup: Set<string> | null;
  /** Walk-ins registered during the run (their guest ids). */
  walkIns: string[];
}

function newModel(): Model {
  return {
    events: new Map(),
    own: [[], [], []],
    known: [new Set(), new Set(), new Set()],
    server: new Set(),
    acked: [0, 0, 0],
    backup: null,
    walkIns: [],
  };
}

const byHlc = (a: ModelEvent, b: ModelEvent) => (a.hlc < b.hlc ? -1 : a.hlc > b.hlc ? 1 : 0);

/** Live check-ins of a guest among `ids` (the OR-set: check-ins no void names), earliest first. */
function liveCheckins(m: Model, ids: Iterable<string>, guestId: string): ModelEvent[] {
  const events = [...ids].map((id) => m.events.get(id)!);
  const voided = new Set(events.filter((e) => e.type === 'check_in_void').map((e) => e.voids));
  return events.filter((e) => e.type === 'check_in' && e.guestId === guestId && !voided.has(e.id)).sort(byHlc);
}

function assignmentsOf(m: Model, ids: Iterable<string>, guestId: string): AssignmentFact[] {
  return [...ids]
    .map((id) => m.events.get(id)!)
    .filter((e) => e.type === 'forum_assign' && e.guestId === guestId)
    .map((e) => ({ factId: e.id, forumId: e.forumId, hlc: e.hlc, deviceId: e.deviceId, replaces: e.replaces }));
}

// ---------------------------------------------------------------------------------------------------
// The real system

interface World {
  server: TestServer;
  eventId: string;
  /** Paired kiosk data directories, copied for each run. */
  templates: string[];
  deviceIds: string[];
  guests: string[];
  codes: Map<string, string>;
  forums: string[];
  initialForum: Map<string, string | null>;
}

interface Real {
  world: World;
  kiosks: TestKiosk[];
  cleanups: Array<() => void>;
}

/** Per-run kiosk directories, in memory where there is a tmpfs: a run fsyncs a lot and keeps nothing. */
const RUN_ROOT = fs.existsSync('/dev/shm') ? '/dev/shm' : os.tmpdir();
function runDir(): { dir: string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(RUN_ROOT, 'lanyard-model-'));
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

function copyDatabase(from: string, to: string): void {
  // What a killed process leaves on disk: the database and its write-ahead log (the -shm index is rebuilt).
  for (const suffix of ['', '-wal']) {
    const file = databaseFile(from) + suffix;
    if (fs.existsSync(file)) fs.copyFileSync(file, databaseFile(to) + suffix);
  }
}

function openKiosk(dir: string, clock: { skewMs: number }): TestKiosk {
  return {
    // The model's scans are guests presenting a badge, not a scanner's double read: the 2 s same-scan
    // window (tests/integration/door-truth.test.ts) is off so a second scan is always a second scan.
    kiosk: createKiosk({
      dataDir: dir,
      now: () => Date.now() + clock.skewMs,
      secrets: testSecrets,
      sameScanWindowMs: 0,
    }),
    dir,
    clock,
  };
}

async function freshReal(world: World): Promise<Real> {
  await world.server.sql.exec(
    `TRUNCATE ${MUTABLE_TABLES.join(', ')} RESTART IDENTITY;` +
      MUTABLE_TABLES.map((t) => `DROP TABLE IF EXISTS model_backup_${t};`).join(''),
  );
  const cleanups: Array<() => void> = [];
  const kiosks = world.templates.map((template) => {
    const { dir, cleanup } = runDir();
    cleanups.push(cleanup);
    copyDatabase(template, dir);
    return openKiosk(dir, { skewMs: 0 });
  });
  return { world, kiosks, cleanups };
}

function closeReal(real: Real): void {
  for (const k of real.kiosks) k.kiosk.close();
  for (const c of real.cleanups) c();
}

interface EventRow {
  id: string;
  device_seq: number;
  type: string;
  guest_id: string;
  hlc: string;
  payload: string;
}

function ownEvents(real: Real, k: number): EventRow[] {
  return real.kiosks[k]!.kiosk.db!.prepare(
    `SELECT id, device_seq, type, guest_id, hlc, payload FROM facts WHERE device_id = ? ORDER BY device_seq`,
  ).all(real.world.deviceIds[k]) as EventRow[];
}

/**
 * Records the event a command just made on kiosk k, checking it against the model: gap-free device_seq,
 * and an HLC after everything the kiosk holds, its own past and what it pulled (R10: causes first).
 */
function record(m: Model, real: Real, k: number, expectedType: Kind, fromEnd = 0): ModelEvent {
  const rows = ownEvents(real, k);
  expect(rows.length).toBe(m.own[k]!.length + 1 + fromEnd);
  const row = rows[rows.length - 1 - fromEnd]!;
  expect(row.device_seq).toBe(m.own[k]!.length + 1);
  expect(row.type).toBe(expectedType);
  for (const id of m.known[k]!) expect(row.hlc > m.events.get(id)!.hlc).toBe(true);
  const payload = JSON.parse(row.payload) as { voids?: string; forumId?: string; replaces?: string[] };
  const event: ModelEvent = {
    id: row.id,
    kiosk: k,
    type: expectedType,
    guestId: row.guest_id,
    hlc: row.hlc,
    deviceId: real.world.deviceIds[k]!,
    voids: payload.voids ?? '',
    forumId: payload.forumId ?? '',
    replaces: payload.replaces ?? [],
  };
  m.events.set(event.id, event);
  m.own[k]!.push(event.id);
  m.known[k]!.add(event.id);
  return event;
}

/** Runs `body` with the answer to its first HTTP request lost: the server did the work, nobody heard. */
async function withLostAnswer(body: () => Promise<unknown>): Promise<{ lost: string; error: unknown }> {
  const realFetch = globalThis.fetch;
  let lost = '';
  globalThis.fetch = (async (input: Parameters<typeof fetch>[0], init?: RequestInit) => {
    const response = await realFetch(input, init);
    if (lost !== '') return response;
    lost = String(input instanceof Request ? input.url : input);
    await response.arrayBuffer();
    throw new TypeError('fetch failed (answer lost by the model test)');
  }) as typeof fetch;
  let error: unknown = null;
  try {
    await body();
  } catch (e) {
    error = e;
  } finally {
    globalThis.fetch = realFetch;
  }
  return { lost, error };
}

// ---------------------------------------------------------------------------------------------------
// Commands

type Cmd = fc.AsyncCommand<Model, Real>;

/** How often the faults really bit, over all runs: a guard against a generator that stops reaching them. */
const coverage = {
  lostPushAnswer: 0,
  restoreLostEvents: 0,
  crashWithUnsynced: 0,
  skewBackward: 0,
  runsWithDuplicates: 0,
  forumConflicts: 0,
  runsWithVoidedGuest: 0,
};

class Scan implements Cmd {
  readonly k: number;
  readonly g: number;
  constructor(k: number, g: number) {
    this.k = k;
    this.g = g;
  }
  check = () => true;
  async run(m: Model, r: Real): Promise<void> {
    const guestId = r.world.guests[this.g]!;
    const live = liveCheckins(m, m.known[this.k]!, guestId);
    const result = must(r.kiosks[this.k]!.kiosk, 'guests.scan', { code: r.world.codes.get(guestId)! });
    if (live.length === 0) {
      expect(result.status).toBe('checked_in');
      const event = record(m, r, this.k, 'check_in');
      expect(result.checkin!.id).toBe(event.id);
    } else {
      // Already in (here or anywhere this kiosk has heard of): shown with the arrival, nothing written.
      expect(result.status).toBe('already_checked_in');
      expect(result.firstCheckin!.id).toBe(live[0]!.id);
      expect(ownEvents(r, this.k).length).toBe(m.own[this.k]!.length);
    }
    await Promise.resolve();
  }
  toString = () => `scan(k${this.k}, g${this.g})`;
}

class VoidOwn implements Cmd {
  readonly k: number;
  readonly pick: number;
  constructor(k: number, pick: number) {
    this.k = k;
    this.pick = pick;
  }
  private candidates(m: Model): ModelEvent[] {
    const own = m.own[this.k]!;
    const voided = new Set(
      [...m.known[this.k]!]
        .map((id) => m.events.get(id)!)
        .filter((e) => e.type === 'check_in_void')
        .map((e) => e.voids),
    );
    return own.map((id) => m.events.get(id)!).filter((e) => e.type === 'check_in' && !voided.has(e.id));
  }
  check = (m: Readonly<Model>) => this.candidates(m as Model).length > 0;
  async run(m: Model, r: Real): Promise<void> {
    const list = this.candidates(m);
    const target = list[this.pick % list.length]!;
    const kiosk = r.kiosks[this.k]!.kiosk;
    must(kiosk, 'checkins.undo', { checkinId: target.id });
    const event = record(m, r, this.k, 'check_in_void');
    expect(event.voids).toBe(target.id);
    // Only that dot is gone: the guest stays in if this kiosk knows another live check-in (R12).
    const stillIn = liveCheckins(m, m.known[this.k]!, target.guestId).length > 0;
    expect(must(kiosk, 'guests.get', { guestId: target.guestId }).checkedIn).toBe(stillIn);
    await Promise.resolve();
  }
  toString = () => `void(k${this.k}, #${this.pick})`;
}

/**
 * Voids any check-in this kiosk sees as live, another kiosk's included (the core allows it): two
 * kiosks may then void the same check-in concurrently. Off by default — see VOID_ANY.
 */
class VoidAny implements Cmd {
  readonly k: number;
  readonly pick: number;
  constructor(k: number, pick: number) {
    this.k = k;
    this.pick = pick;
  }
  private candidates(m: Model): ModelEvent[] {
    const ids = [...m.known[this.k]!];
    const guests = new Set(ids.map((id) => m.events.get(id)!.guestId));
    return [...guests].flatMap((g) => liveCheckins(m, ids, g)).sort(byHlc);
  }
  check = (m: Readonly<Model>) => this.candidates(m as Model).length > 0;
  async run(m: Model, r: Real): Promise<void> {
    const list = this.candidates(m);
    const target = list[this.pick % list.length]!;
    must(r.kiosks[this.k]!.kiosk, 'checkins.undo', { checkinId: target.id });
    expect(record(m, r, this.k, 'check_in_void').voids).toBe(target.id);
    await Promise.resolve();
  }
  toString = () => `voidAny(k${this.k}, #${this.pick})`;
}

/** A walk-in: a new guest (walk_in) admitted at once (check_in), learnt by the others through sync. */
class WalkIn implements Cmd {
  readonly k: number;
  constructor(k: number) {
    this.k = k;
  }
  check = () => true;
  async run(m: Model, r: Real): Promise<void> {
    const result = must(r.kiosks[this.k]!.kiosk, 'guests.walkIn', {
      name: `Walk-in ${m.walkIns.length + 1}`,
      organization: 'Model',
      email: '',
      role: 'guest',
    });
    expect(result.status).toBe('checked_in');
    const registered = record(m, r, this.k, 'walk_in', 1);
    const admitted = record(m, r, this.k, 'check_in');
    expect(admitted.guestId).toBe(registered.guestId);
    expect(result.checkin!.id).toBe(admitted.id);
    m.walkIns.push(registered.guestId);
    await Promise.resolve();
  }
  toString = () => `walkIn(k${this.k})`;
}

class Assign implements Cmd {
  readonly k: number;
  readonly g: number;
  readonly f: number;
  constructor(k: number, g: number, f: number) {
    this.k = k;
    this.g = g;
    this.f = f;
  }
  check = () => true;
  async run(m: Model, r: Real): Promise<void> {
    const guestId = r.world.guests[this.g]!;
    const forumId = r.world.forums[this.f % r.world.forums.length]!;
    const seen = assignmentsOf(m, m.known[this.k]!, guestId);
    const current = resolveRegister(seen).winner?.forumId ?? r.world.initialForum.get(guestId) ?? null;
    const result = must(r.kiosks[this.k]!.kiosk, 'forums.assign', {
      guestId,
      forumId,
      overrideReason: 'model test',
    });
    if (current === forumId) {
      expect(ownEvents(r, this.k).length).toBe(m.own[this.k]!.length);
    } else {
      const event = record(m, r, this.k, 'forum_assign');
      // Parent pointers: the new assignment replaces exactly the heads this kiosk could see (R13).
      expect(event.replaces).toEqual(currentHeads(seen));
      expect([...result.replaced].sort()).toEqual(currentHeads(seen));
      expect(event.forumId).toBe(forumId);
    }
    expect(result.guest.forumId).toBe(forumId);
    await Promise.resolve();
  }
  toString = () => `assign(k${this.k}, g${this.g}, f${this.f})`;
}

function syncModel(m: Model, k: number): void {
  for (const id of m.own[k]!) m.server.add(id);
  m.acked[k] = m.own[k]!.length;
  for (const id of m.server) m.known[k]!.add(id);
}

class Sync implements Cmd {
  readonly k: number;
  constructor(k: number) {
    this.k = k;
  }
  check = () => true;
  async run(m: Model, r: Real): Promise<void> {
    const kiosk = r.kiosks[this.k]!.kiosk;
    await kiosk.sync!.engine.syncOnce();
    syncModel(m, this.k);
    expect(kiosk.sync!.engine.status().pending).toBe(0);
    expect(kiosk.db!.prepare(`SELECT count(*) FROM facts`).pluck().get()).toBe(m.known[this.k]!.size);
  }
  toString = () => `sync(k${this.k})`;
}

class LostAnswer implements Cmd {
  readonly k: number;
  constructor(k: number) {
    this.k = k;
  }
  check = () => true;
  async run(m: Model, r: Real): Promise<void> {
    const kiosk = r.kiosks[this.k]!.kiosk;
    const { lost, error } = await withLostAnswer(() => kiosk.sync!.engine.syncOnce());
    expect(error).not.toBeNull();
    // With events it believes unacknowledged the kiosk pushes first; the server stores them (and the
    // answer under the batch's Idempotency-Key). Otherwise the lost answer is a pull: nothing changes.
    const unacked = m.own[this.k]!.slice(m.acked[this.k]);
    expect(lost).toContain(unacked.length > 0 ? '/push' : '/pull');
    if (unacked.length > 0) coverage.lostPushAnswer += 1;
    for (const id of unacked) m.server.add(id);
    expect(kiosk.db!.prepare(`SELECT count(*) FROM facts`).pluck().get()).toBe(m.known[this.k]!.size);
  }
  toString = () => `lostAnswer(k${this.k})`;
}

class Skew implements Cmd {
  readonly k: number;
  readonly skewMs: number;
  constructor(k: number, skewMs: number) {
    this.k = k;
    this.skewMs = skewMs;
  }
  check = () => true;
  async run(_m: Model, r: Real): Promise<void> {
    if (this.skewMs < r.kiosks[this.k]!.clock.skewMs) coverage.skewBackward += 1;
    r.kiosks[this.k]!.clock.skewMs = this.skewMs;
    await Promise.resolve();
  }
  toString = () => `skew(k${this.k}, ${(this.skewMs / HOUR).toFixed(2)} h)`;
}

class Crash implements Cmd {
  readonly k: number;
  constructor(k: number) {
    this.k = k;
  }
  check = () => true;
  async run(m: Model, r: Real): Promise<void> {
    const old = r.kiosks[this.k]!;
    if (m.own[this.k]!.length > m.acked[this.k]!) coverage.crashWithUnsynced += 1;
    const { dir, cleanup } = runDir();
    r.cleanups.push(cleanup);
    copyDatabase(old.dir, dir);
    old.kiosk.close();
    const reborn = openKiosk(dir, old.clock);
    r.kiosks[this.k] = reborn;
    // Every committed event survives the crash, and nothing else appears.
    expect(ownEvents(r, this.k).map((e) => e.id)).toEqual(m.own[this.k]);
    expect(reborn.kiosk.db!.prepare(`SELECT count(*) FROM facts`).pluck().get()).toBe(m.known[this.k]!.size);
    await Promise.resolve();
  }
  toString = () => `crash(k${this.k})`;
}

class Backup implements Cmd {
  check = () => true;
  async run(m: Model, r: Real): Promise<void> {
    await r.world.server.sql.exec(
      MUTABLE_TABLES.map(
        (t) => `DROP TABLE IF EXISTS model_backup_${t}; CREATE TABLE model_backup_${t} AS TABLE ${t};`,
      ).join(''),
    );
    m.backup = new Set(m.server);
  }
  toString = () => 'serverBackup';
}

class Restore implements Cmd {
  check = (m: Readonly<Model>) => m.backup !== null;
  async run(m: Model, r: Real): Promise<void> {
    // A restore brings back the database as it was, sequences included: new events reuse `seq` values
    // kiosks may hold in their cursors.
    await r.world.server.sql.exec(
      `TRUNCATE ${MUTABLE_TABLES.join(', ')};` +
        MUTABLE_TABLES.map((t) => `INSERT INTO ${t} SELECT * FROM model_backup_${t};`).join('') +
        `SELECT setval(pg_get_serial_sequence('fact_log', 'seq'), coalesce((SELECT max(seq) FROM fact_log), 0) + 1, false);` +
        `SELECT setval(pg_get_serial_sequence('alerts', 'id'), coalesce((SELECT max(id) FROM alerts), 0) + 1, false);`,
    );
    if (m.server.size > m.backup!.size) coverage.restoreLostEvents += 1;
    m.server = new Set(m.backup);
  }
  toString = () => 'serverRestore';
}

const kiosk = fc.integer({ min: 0, max: KIOSKS - 1 });
/** fc.commands draws uniformly among its arbitraries: an arbitrary listed n times has weight n. */
const weight = <T>(n: number, arb: fc.Arbitrary<T>): Array<fc.Arbitrary<T>> => Array.from({ length: n }, () => arb);
const commands: Array<fc.Arbitrary<Cmd>> = [
  ...weight(
    3,
    fc.tuple(kiosk, fc.integer({ min: 0, max: GUESTS - 1 })).map(([k, g]) => new Scan(k, g)),
  ),
  ...weight(
    3,
    kiosk.map((k) => new Sync(k)),
  ),
  ...weight(
    2,
    fc.tuple(kiosk, fc.nat(20)).map(([k, p]) => new VoidOwn(k, p)),
  ),
  ...weight(
    2,
    fc.tuple(kiosk, fc.integer({ min: 0, max: FORUM_GUESTS - 1 }), fc.nat(2)).map(([k, g, f]) => new Assign(k, g, f)),
  ),
  kiosk.map((k) => new LostAnswer(k)),
  fc
    .tuple(kiosk, fc.oneof(fc.integer({ min: -2 * HOUR, max: 2 * HOUR }), fc.constantFrom(-2 * HOUR, 0, 2 * HOUR)))
    .map(([k, s]) => new Skew(k, s)),
  kiosk.map((k) => new Crash(k)),
  kiosk.map((k) => new WalkIn(k)),
  fc.constant(new Backup()),
  fc.constant(new Restore()),
  ...(VOID_ANY
    ? weight(
        2,
        fc.tuple(kiosk, fc.nat(20)).map(([k, p]) => new VoidAny(k, p)),
      )
    : []),
];

// ---------------------------------------------------------------------------------------------------
// Healing and the invariants

async function heal(real: Real, m: Model): Promise<void> {
  for (let round = 0; round < 2; round++) {
    for (let k = 0; k < KIOSKS; k++) {
      await real.kiosks[k]!.kiosk.sync!.engine.syncOnce();
      syncModel(m, k);
    }
  }
}

function checkHlcPerDevice(rows: Array<{ device_id: string; device_seq: number; hlc: string }>, where: string): void {
  const last = new Map<string, { seq: number; hlc: string }>();
  for (const row of rows) {
    const before = last.get(row.device_id);
    const seq = Number(row.device_seq);
    if (before !== undefined) {
      expect(seq, `${where}: device_seq gap-free`).toBe(before.seq + 1);
      expect(row.hlc > before.hlc, `${where}: HLC strictly increasing for ${row.device_id} at seq ${seq}`).toBe(true);
    } else {
      expect(seq, `${where}: device_seq starts at 1`).toBe(1);
    }
    last.set(row.device_id, { seq, hlc: row.hlc });
  }
}

async function checkInvariants(real: Real, m: Model): Promise<void> {
  const allIds = [...m.events.keys()].sort();
  const { server } = real.world;

  // (a) Convergence: the same visible state on every kiosk.
  const states = real.kiosks.map(visibleState);
  for (const s of states.slice(1)) expect(s).toEqual(states[0]);

  // (b) No acknowledged (indeed no committed) event lost: on the server exactly once, and on every kiosk.
  const serverRows = await server.sql.query<{ fact_id: string; device_id: string; device_seq: number; hlc: string }>(
    `SELECT fact_id::text, device_id, device_seq, hlc FROM fact_log ORDER BY device_id, device_seq`,
    [],
  );
  expect(serverRows.map((r) => r.fact_id).sort()).toEqual(allIds);
  for (const [k, t] of real.kiosks.entries()) {
    const db = t.kiosk.db!;
    expect(db.prepare(`SELECT id FROM facts ORDER BY id`).pluck().all(), `kiosk ${k} holds every event`).toEqual(
      allIds,
    );
    expect(db.prepare(`SELECT count(*) FROM sync_rejections`).pluck().get(), `kiosk ${k}: nothing refused`).toBe(0);
    expect(t.kiosk.sync!.engine.status().pending).toBe(0);
  }
  const alerts = await server.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM alerts`, []);
  expect(alerts[0]!.n, 'server raised no alert').toBe(0);

  // (c) HLC strictly increasing per device in device_seq order, on the server and on every kiosk.
  checkHlcPerDevice(serverRows, 'server');
  for (const [k, t] of real.kiosks.entries()) {
    const rows = t.kiosk
      .db!.prepare(`SELECT device_id, device_seq, hlc FROM facts ORDER BY device_id, device_seq`)
      .all() as Array<{ device_id: string; device_seq: number; hlc: string }>;
    checkHlcPerDevice(rows, `kiosk ${k}`);
  }

  // (d) Duplicates = guests with more than one live check-in; (e) checked in = at least one live one.
  const live = new Map([...real.world.guests, ...m.walkIns].map((g) => [g, liveCheckins(m, allIds, g)]));
  const duplicates = [...live].filter(([, l]) => l.length > 1).map(([g]) => g);
  if (duplicates.length > 0) coverage.runsWithDuplicates += 1;
  if ([...live].some(([g, l]) => l.length === 0 && allIds.some((id) => m.events.get(id)!.guestId === g)))
    coverage.runsWithVoidedGuest += 1;
  for (const [k, t] of real.kiosks.entries()) {
    const list = must(t.kiosk, 'sync.conflicts', {});
    expect(
      list.duplicates.map((d) => d.guestId),
      `kiosk ${k} duplicates`,
    ).toEqual([...duplicates].sort());
    for (const d of list.duplicates) expect(d.checkins.map((c) => c.id)).toEqual(live.get(d.guestId)!.map((e) => e.id));
    for (const [g, l] of live) {
      const guest = must(t.kiosk, 'guests.get', { guestId: g });
      expect(guest.checkedIn, `kiosk ${k}: ${g} checked in`).toBe(l.length > 0);
    }
  }
  const stats = await adminGet<EventStats>(server, `/v1/admin/events/${real.world.eventId}/stats`);
  expect(stats.duplicates).toBe(duplicates.length);
  expect(stats.checkedIn).toBe([...live.values()].filter((l) => l.length > 0).length);
  expect(stats.facts).toBe(allIds.length);

  // (f) The forum register: the same winner and the same conflict set everywhere, the reducer's answer.
  for (const g of real.world.guests.slice(0, FORUM_GUESTS)) {
    const state = resolveRegister(assignmentsOf(m, allIds, g));
    if (state.conflicts.length > 0) coverage.forumConflicts += 1;
    const winner = state.winner?.forumId ?? real.world.initialForum.get(g) ?? null;
    for (const [k, t] of real.kiosks.entries()) {
      expect(must(t.kiosk, 'guests.get', { guestId: g }).forumId, `kiosk ${k}: forum of ${g}`).toBe(winner);
      const conflict = must(t.kiosk, 'sync.conflicts', {}).forumConflicts.find((c) => c.guestId === g);
      if (state.conflicts.length === 0) {
        expect(conflict, `kiosk ${k}: no forum conflict for ${g}`).toBeUndefined();
      } else {
        expect(conflict!.winner.factId).toBe(state.winner!.factId);
        expect(conflict!.losers.map((l) => l.factId)).toEqual(state.conflicts.map((c) => c.factId));
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------------

let world: World;
const worldCleanups: Array<() => void> = [];

beforeAll(async () => {
  const server = await startTestServer({ kind: 'pglite' });
  const { eventId, kiosks } = await cluster(server, DOORS);
  const first = kiosks[0]!;
  const guests = guestIds(first, GUESTS);
  const forums = must(first.kiosk, 'forums.list', {}).forums.map((f) => f.id);
  world = {
    server,
    eventId,
    templates: kiosks.map((k) => k.dir),
    deviceIds: kiosks.map((k) => must(k.kiosk, 'app.status', {}).device!.id),
    guests,
    codes: new Map(guests.map((g) => [g, codeOf(first, g)])),
    forums: forums.slice(0, 3),
    initialForum: new Map(guests.map((g) => [g, must(first.kiosk, 'guests.get', { guestId: g }).forumId])),
  };
  for (const k of kiosks) k.kiosk.close(); // checkpoints: the template directories now hold a plain database
  worldCleanups.push(...kiosks.map((k) => () => fs.rmSync(path.resolve(k.dir), { recursive: true, force: true })));
}, 60_000);

afterAll(async () => {
  await world?.server.close();
  for (const c of worldCleanups) c();
});

describe('sync protocol model (R29): 3 real kiosks and a real server under faults', () => {
  it(
    `converges without losing an event, ${RUNS} runs`,
    async () => {
      expect(world.forums.length).toBeGreaterThanOrEqual(2);
      await fc.assert(
        fc.asyncProperty(fc.commands(commands, { maxCommands: MAX_COMMANDS, size: 'max' }), async (cmds) => {
          const real = await freshReal(world);
          const model = newModel();
          try {
            await fc.asyncModelRun(() => ({ model, real }), cmds);
            await heal(real, model);
            await checkInvariants(real, model);
          } finally {
            closeReal(real);
          }
        }),
        {
          numRuns: RUNS,
          ...(SEED === undefined ? {} : { seed: Number(SEED) }),
          ...(REPLAY_PATH === undefined ? {} : { path: REPLAY_PATH }),
        },
      );
      console.info(`sync model: ${RUNS} runs, fault coverage ${JSON.stringify(coverage)}`);
      if (RUNS >= 100 && REPLAY_PATH === undefined) {
        for (const [fault, count] of Object.entries(coverage))
          expect(count, `${fault} was exercised`).toBeGreaterThan(0);
      }
    },
    Math.max(300_000, RUNS * 2_000),
  );
});

// ---------------------------------------------------------------------------------------------------
// Mutation check: the order-independence property catches an order-dependent register reducer.

/** A history of forum reassignments on 3 devices with skewed clocks, syncing now and then (R13). */
type Step = { device: number; forum: number; advanceMs: number } | { device: number; from: number };
const history = fc.array(
  fc.oneof(
    fc.record({ device: fc.nat(2), forum: fc.nat(2), advanceMs: fc.integer({ min: -2 * HOUR, max: 2 * HOUR }) }),
    fc.record({ device: fc.nat(2), from: fc.nat(2) }),
  ),
  { minLength: 1, maxLength: 30 },
);

function simulate(script: Step[]): AssignmentFact[] {
  const devices = ['kioskA', 'kioskB', 'kioskC'];
  const known = devices.map(() => new Map<string, AssignmentFact>());
  const clocks: HlcState[] = devices.map((d) => hlcInit(d));
  const walls = [1_780_000_000_000, 1_780_000_000_000 + 90_000, 1_780_000_000_000 - 60_000];
  let n = 0;
  for (const step of script) {
    if ('forum' in step) {
      walls[step.device]! += step.advanceMs;
      clocks[step.device] = hlcTick(clocks[step.device]!, walls[step.device]!);
      const event: AssignmentFact = {
        factId: `e${String(n++).padStart(3, '0')}`,
        forumId: ['bio', 'energy', 'it'][step.forum]!,
        hlc: hlcFormat(clocks[step.device]!),
        deviceId: devices[step.device]!,
        replaces: currentHeads(known[step.device]!.values()),
      };
      known[step.device]!.set(event.factId, event);
    } else {
      for (const e of known[step.from]!.values()) {
        known[step.device]!.set(e.factId, e);
        clocks[step.device] = hlcReceive(clocks[step.device]!, hlcParse(e.hlc), walls[step.device]!);
      }
    }
  }
  const all = new Map<string, AssignmentFact>();
  for (const k of known) for (const e of k.values()) all.set(e.factId, e);
  return [...all.values()];
}

/** A delivery: every event at least once, some twice (a replayed page), in a random order. */
function deliver(events: AssignmentFact[], keys: number[], repeats: number[]): AssignmentFact[] {
  const withRepeats = [...events, ...repeats.filter((i) => i < events.length).map((i) => events[i]!)];
  return withRepeats
    .map((e, i) => ({ e, key: keys[i % keys.length]! * 1000 + i }))
    .sort((a, b) => a.key - b.key)
    .map((x) => x.e);
}

type Reducer = (delivered: AssignmentFact[]) => { winner: string | null; conflicts: string[] };

/** The product's rule, folded over deliveries: the register of everything delivered so far. */
const correct: Reducer = (delivered) => {
  const seen: AssignmentFact[] = [];
  let state = resolveRegister([]);
  for (const e of delivered) {
    seen.push(e);
    state = resolveRegister(seen);
  }
  return { winner: state.winner?.factId ?? null, conflicts: state.conflicts.map((c) => c.factId) };
};

/** Mutant 1: the last assignment delivered wins (what a naive "apply as it arrives" projection does). */
const lastDeliveredWins: Reducer = (delivered) => ({
  winner: delivered[delivered.length - 1]?.factId ?? null,
  conflicts: [],
});

/**
 * Mutant 2: an incremental head set that forgets tombstones — an event removes the heads it replaces
 * when it arrives, but a replaced event arriving later is wrongly taken as a head.
 */
const forgetfulHeads: Reducer = (delivered) => {
  const heads = new Map<string, AssignmentFact>();
  const seen = new Set<string>();
  for (const e of delivered) {
    if (seen.has(e.factId)) continue;
    seen.add(e.factId);
    for (const r of e.replaces) heads.delete(r);
    heads.set(e.factId, e);
  }
  const sorted = [...heads.values()].sort(compareAssignments);
  const winner = sorted.pop() ?? null;
  return { winner: winner?.factId ?? null, conflicts: sorted.reverse().map((c) => c.factId) };
};

const orderIndependent = (reduce: Reducer) =>
  fc.property(
    history,
    fc.array(fc.nat(1000), { minLength: 1, maxLength: 60 }),
    fc.array(fc.nat(1000), { minLength: 1, maxLength: 60 }),
    fc.array(fc.nat(30), { maxLength: 5 }),
    (script, keysA, keysB, repeats) => {
      const events = simulate(script);
      const a = reduce(deliver(events, keysA, repeats));
      const b = reduce(deliver(events, keysB, []));
      expect(a).toEqual(b);
    },
  );

describe('mutation check: an order-dependent register reducer is caught', () => {
  it('the product reducer is independent of delivery order and duplication', () => {
    fc.assert(orderIndependent(correct), { numRuns: 500 });
  });

  for (const [name, mutant] of [
    ['last delivered wins', lastDeliveredWins],
    ['forgetful head set', forgetfulHeads],
  ] as const) {
    it(`fast-check finds a counterexample for the mutant "${name}"`, () => {
      const result = fc.check(orderIndependent(mutant), { numRuns: 500 });
      expect(result.failed).toBe(true);
      expect(result.counterexample).not.toBeNull();
    });
  }
});
