import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkFact } from '../../../shared/sync/fact-schema.ts';
import { keptAnswer } from '../../../server/store/fact-push-answer.ts';
import { pushFacts } from '../../../server/store/fact-push.ts';
import { FACT_COLUMNS, factFromRow, type FactRow } from '../../../server/store/fact-rows.ts';
import { migrate } from '../../../server/store/migrations.ts';
import { openPglite, openPostgres, type Sql } from '../../../server/store/sql.ts';
import { startPostgres, template } from '../../support/sync-server.ts';
import { checkInFacts } from '../../support/check-in-facts.ts';

/**
 * What one push costs the database, counted: the statements a batch sends do not grow with its size
 * (the server's ingest rate hangs on it, issue 16), and the fast path (a plain INSERT for a batch past
 * everything its device stored) gives the same answers as the careful one, including when it meets a
 * row it did not expect.
 */
const statements: string[] = [];

/** The real store, with every statement it sends written down (BEGIN/COMMIT are the driver's own). */
function counting(sql: Sql): Sql {
  const copyIn = sql.copyIn?.bind(sql);
  return {
    kind: sql.kind,
    query: (text, params, name) => {
      statements.push(text.replace(/\s+/g, ' ').trim());
      return sql.query(text, params, name);
    },
    exec: (text) => sql.exec(text),
    transaction: (body) => sql.transaction((tx) => body(counting(tx))),
    ...(copyIn === undefined
      ? {}
      : {
          copyIn: (text: string, data: string) => {
            statements.push(text.replace(/\s+/g, ' ').trim());
            return copyIn(text, data);
          },
        }),
    close: () => sql.close(),
  };
}

async function push(raw: Sql, deviceId: string, batch: unknown[], key: string) {
  statements.length = 0;
  const now = 1_790_000_100_000;
  const outcome = await pushFacts(
    counting(raw),
    { deviceId, eventId: 'ev' },
    batch.map((f) => checkFact(f, now)),
    key,
    now,
  );
  if (outcome.kind !== 'ok') throw new Error(outcome.kind);
  return { ...outcome.response, stored: outcome.stored, statements: [...statements] };
}

let pg: Awaited<ReturnType<typeof startPostgres>> | null = null;
afterAll(async () => {
  await pg?.stop();
});

const backends: Array<[string, () => Promise<Sql>]> = [
  ['PGlite', async () => openPglite(null, await template())],
  [
    'PostgreSQL',
    async () => {
      pg ??= await startPostgres();
      const sql = await openPostgres(await pg.newDatabase(), 4, () => {});
      await migrate(sql);
      return sql;
    },
  ],
];

describe.each(backends)('a push batch in statements on %s', (_name, open) => {
  let raw: Sql;
  beforeAll(async () => {
    raw = await open();
    await raw.query(`INSERT INTO events (id, name, package, revision, updated_ms) VALUES ('ev', 'Ev', '{}', 1, 0)`, []);
    for (const id of ['door_a', 'door_b', 'door_c', 'door_d', 'door_e']) {
      await raw.query(
        `INSERT INTO devices (id, event_id, name, token_hash, revoked, paired_ms, last_sync_ms, last_contact_ms)
       VALUES ($1, 'ev', $1, $1, false, 0, 0, 0)`,
        [id],
      );
    }
  }, 120_000);
  afterAll(async () => {
    await raw.close();
  });

  it('sends one statement whatever its size: lock, key, facts, watermark and key record together', async () => {
    const sizes = [1, 200, 1000];
    let seq = 1;
    for (const n of sizes) {
      const batch = checkInFacts('door_a', seq, n);
      const answer = await push(raw, 'door_a', batch, `k${n}`);
      // Stored as sent, every column (the rows travel as the facts' canonical JSON).
      const last = batch[n - 1]!;
      const held = await raw.query<FactRow>(`SELECT ${FACT_COLUMNS} FROM fact_log WHERE fact_id = $1`, [last.id]);
      expect(factFromRow(held[0]!)).toEqual(last);
      seq += n;
      expect(answer.stored).toBe(n);
      expect(answer.ackedThrough).toBe(seq - 1);
      // No BEGIN or COMMIT either: one round trip to the database (issue 16: eight before).
      expect(answer.statements.length).toBe(1);
      // The facts went in without ON CONFLICT (nothing of door_a lay past its watermark).
      expect(answer.statements[0]).toContain('INSERT INTO fact_log');
      expect(answer.statements[0]).toContain('INSERT INTO idempotency_keys');
      expect(answer.statements[0]).not.toContain('ON CONFLICT DO NOTHING');
      const kept = await raw.query<{ response: unknown }>(
        `SELECT response FROM idempotency_keys WHERE device_id = 'door_a' AND key = $1`,
        [`k${n}`],
      );
      // The key's record, written by the statement, is what keptAnswer makes of the answer.
      expect(kept[0]!.response).toEqual(keptAnswer(answer));
    }
  });

  it('a batch overlapping what is stored takes the careful INSERT and answers duplicates', async () => {
    const first = checkInFacts('door_b', 1, 10);
    expect((await push(raw, 'door_b', first, 'b1')).stored).toBe(10);
    // The same ten and five new ones under another key: the one statement sees them held and stores
    // nothing; the careful way follows, with one more statement reading the held hashes.
    const again = await push(raw, 'door_b', [...first, ...checkInFacts('door_b', 11, 5)], 'b2');
    expect(again.stored).toBe(5);
    expect(again.results.map((r) => r.status)).toEqual([...Array(10).fill('duplicate'), ...Array(5).fill('stored')]);
    expect(again.ackedThrough).toBe(15);
    expect(again.statements.length).toBe(6);
    expect(again.statements[2]).toContain('ON CONFLICT DO NOTHING');
  });

  it('a plain INSERT that meets another device’s fact id is stored again the careful way: only that fact refused', async () => {
    const taken = (await raw.query<{ fact_id: string }>(`SELECT fact_id::text FROM fact_log LIMIT 1`, []))[0]!.fact_id;
    let n = 0;
    // door_c's first batch, wholly new to it, but its second fact reuses an id door_a stored.
    const batch = checkInFacts('door_c', 1, 3, () => (n++ === 1 ? taken : randomUUID()));
    const answer = await push(raw, 'door_c', batch, 'c1');
    expect(answer.results.map((r) => [r.status, r.reason])).toEqual([
      ['stored', ''],
      ['rejected', 'id_reuse'],
      ['stored', ''],
    ]);
    expect(answer.stored).toBe(2);
    // The refused seq 2 is a gap: the watermark holds at 1 until the door sends a fact for it.
    expect(answer.ackedThrough).toBe(1);
    const alerts = await raw.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM alerts WHERE device_id = 'door_c' AND kind = 'id_reuse'`,
      [],
    );
    expect(alerts[0]?.n).toBe(1);
    // Replayed under the same key: the stored answer, nothing stored twice.
    const replay = await push(raw, 'door_c', batch, 'c1');
    expect(replay.stored).toBe(0);
    expect(replay.results).toEqual(answer.results);
    expect(replay.ackedThrough).toBe(1);
  });

  it('the key record keeps a 1,000-fact answer in a few hundred bytes; a record of the whole answer still replays', async () => {
    const size = await raw.query<{ bytes: number }>(
      `SELECT octet_length(response::text) AS bytes FROM idempotency_keys WHERE device_id = 'door_a' AND key = 'k1000'`,
      [],
    );
    expect(size[0]!.bytes).toBeLessThan(500);
    // A record as servers before this one wrote it: the whole answer, ids and all.
    const batch = checkInFacts('door_b', 16, 3);
    const answer = await push(raw, 'door_b', batch, 'whole');
    const whole = { ...answer, results: answer.results.map((r) => ({ ...r, reason: 'kept-as-written' })) };
    delete (whole as Partial<typeof whole>).statements;
    delete (whole as Partial<typeof whole>).stored;
    await raw.query(`UPDATE idempotency_keys SET response = $1 WHERE device_id = 'door_b' AND key = 'whole'`, [
      JSON.stringify(whole),
    ]);
    const replay = await push(raw, 'door_b', batch, 'whole');
    expect(replay.results).toEqual(whole.results);
  });

  it('stores every field as sent, payload_bytes as PostgreSQL counts the payload, whatever the text holds', async () => {
    const now = 1_790_000_100_000;
    const [base] = checkInFacts('door_d', 1, 1);
    const raws = [
      {
        ...base!,
        type: 'walk_in',
        actor: 'Zoë \\ "Z" 名',
        payload: {
          guest: {
            displayName: 'Müller\\tab\\n "刘洋" ✓',
            note: 'line one\n\tline two 名 \\ end',
            codes: ['A\\1', 'B 2'],
            forumPreferences: [],
            vip: true,
          },
        },
      },
      { ...checkInFacts('door_d', 2, 1)[0]!, payload: { door: '', method: 'search', code: '' } },
      {
        ...checkInFacts('door_d', 3, 1)[0]!,
        type: 'guest_edit',
        payload: { changes: { note: 'a\\b', vip: false, seats: 3, ratio: 0.25, '键 "k"': 'v' } },
      },
    ];
    const facts = raws.map((f) => {
      const c = checkFact(f, now);
      if (!c.ok) throw new Error(c.message);
      return c.fact;
    });
    const answer = await push(raw, 'door_d', raws, 'd1');
    expect(answer.stored).toBe(3);
    for (const fact of facts) {
      const held = await raw.query<FactRow & { payload_bytes: number; exact: number }>(
        `SELECT ${FACT_COLUMNS}, payload_bytes, octet_length(payload::text) AS exact FROM fact_log WHERE fact_id = $1`,
        [fact.id],
      );
      expect(factFromRow(held[0]!)).toEqual(fact);
      expect(held[0]!.payload_bytes).toBe(held[0]!.exact);
    }
  });

  it('two pushes under one Idempotency-Key at once: the same body is stored once, another body is refused', async () => {
    const same = checkInFacts('door_e', 1, 3);
    const [x, y] = await Promise.all([push(raw, 'door_e', same, 'e1'), push(raw, 'door_e', same, 'e1')]);
    expect(x.stored + y.stored).toBe(3);
    expect(x.results).toEqual(y.results);
    expect(x.results.map((r) => r.status)).toEqual(['stored', 'stored', 'stored']);
    // Another body under a used key, racing the first use: the later seqs would not conflict with the
    // first body's rows, so only the key's record can stop it.
    const first = checkInFacts('door_e', 4, 3);
    const other = checkInFacts('door_e', 7, 3);
    const outcomes = await Promise.allSettled([push(raw, 'door_e', first, 'e2'), push(raw, 'door_e', other, 'e2')]);
    const refusedOnes = outcomes.filter((o) => o.status === 'rejected');
    expect(refusedOnes.length).toBe(1);
    expect(String((refusedOnes[0] as PromiseRejectedResult).reason)).toContain('key_reused');
    const held = await raw.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM fact_log WHERE device_id = 'door_e'`,
      [],
    );
    expect(held[0]!.n).toBe(6);
  });
});

/** Seqs `from`–`to` of door_f stored as another push of it stores them (its rows, its lock count, its highest seq). */
async function anotherPushStores(tx: Sql, from: number, to: number, watermark: number): Promise<void> {
  await tx.query(
    `UPDATE device_progress SET pushes = pushes + 1, highest_seq = greatest(highest_seq, $1), contiguous_seq = $2
     WHERE device_id = 'door_f'`,
    [to, watermark],
  );
  await tx.query(
    `INSERT INTO fact_log (fact_id, conference_id, device_id, device_seq, type, guest_id, hlc, wall_ms, actor,
                           payload, payload_bytes, content_hash, received_ms)
     SELECT gen_random_uuid(), 'ev', 'door_f', s, 'check_in', 'g', lpad(s::text, 15, '0') || '-00000-door_f',
            s, 'staff', '{}', 2, 'h', 0
     FROM generate_series($1::bigint, $2::bigint) AS s`,
    [from, to],
  );
}

describe('a batch that waited for another push of its device (PostgreSQL: pushes run at once)', () => {
  let raw: Sql;
  beforeAll(async () => {
    pg ??= await startPostgres();
    raw = await openPostgres(await pg.newDatabase(), 4, () => {});
    await migrate(raw);
    await raw.query(`INSERT INTO events (id, name, package, revision, updated_ms) VALUES ('ev', 'Ev', '{}', 1, 0)`, []);
    await raw.query(
      `INSERT INTO devices (id, event_id, name, token_hash, revoked, paired_ms, last_sync_ms, last_contact_ms)
       VALUES ('door_f', 'ev', 'door_f', 'door_f', false, 0, 0, 0)`,
      [],
    );
  }, 120_000);
  afterAll(async () => {
    await raw.close();
  });

  /** Pushes `batch` while another push holds door_f's lock and runs `meanwhile` before it commits. */
  async function pushWhileLocked(batch: unknown[], key: string, meanwhile: (tx: Sql) => Promise<void>) {
    let waiting: ReturnType<typeof push> | undefined;
    await raw.transaction(async (other) => {
      await other.query(`SELECT 1 FROM device_progress WHERE device_id = 'door_f' FOR UPDATE`, []);
      waiting = push(raw, 'door_f', batch, key);
      for (let i = 0; i < 500; i++) {
        const blocked = await raw.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
          [],
        );
        if (blocked[0]!.n > 0) break;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      await meanwhile(other);
    });
    return waiting!;
  }

  it('moves the watermark over what that push stored past it meanwhile, and its key replays the same answer', async () => {
    expect((await push(raw, 'door_f', checkInFacts('door_f', 1, 10), 'f1')).ackedThrough).toBe(10);
    // The door's next batch (21–30) arrived first and is stored while this one (11–20) waits: this batch's
    // statement began before those rows committed, and counts again.
    const batch = checkInFacts('door_f', 11, 10);
    const answer = await pushWhileLocked(batch, 'f2', (tx) => anotherPushStores(tx, 21, 30, 10));
    expect(answer.stored).toBe(10);
    expect(answer.ackedThrough).toBe(30);
    expect(answer.versionVector['door_f']).toBe(30);
    expect(answer.statements.length).toBe(2);
    const replay = await push(raw, 'door_f', batch, 'f2');
    expect(replay.stored).toBe(0);
    expect(replay.ackedThrough).toBe(30);
  });

  it('in order (the batch before it stored meanwhile) needs no second count', async () => {
    const batch = checkInFacts('door_f', 41, 10);
    const answer = await pushWhileLocked(batch, 'f3', (tx) => anotherPushStores(tx, 31, 40, 40));
    expect(answer.ackedThrough).toBe(50);
    expect(answer.statements.length).toBe(1);
  });
});
