import { createHash } from 'node:crypto';
import type { Sql } from './sql.ts';

/**
 * Numbered, append-only migrations, all pending ones in one transaction; a database from a newer server
 * is refused. `events` are the organisers' events (with the package kiosks download); `fact_log` (named
 * `event_log` before migration 4) holds every kiosk fact exactly once (R5: UNIQUE(fact_id), UNIQUE(device_id, device_seq)).
 */
const migrations: ReadonlyArray<{ version: number; sql: string }> = [
  {
    version: 1,
    sql: `
      CREATE TABLE settings (key text PRIMARY KEY, value text NOT NULL);

      CREATE TABLE events (
        id text PRIMARY KEY,
        name text NOT NULL,
        package jsonb NOT NULL,
        revision integer NOT NULL,
        updated_ms bigint NOT NULL
      );

      CREATE TABLE devices (
        id text PRIMARY KEY,
        event_id text NOT NULL REFERENCES events (id),
        name text NOT NULL,
        token_hash text NOT NULL UNIQUE,
        revoked boolean NOT NULL,
        paired_ms bigint NOT NULL,
        last_sync_ms bigint NOT NULL
      );

      CREATE TABLE pairing_codes (
        code_hash text PRIMARY KEY,
        event_id text NOT NULL REFERENCES events (id),
        name text NOT NULL,
        expires_ms bigint NOT NULL,
        used_ms bigint NOT NULL
      );

      CREATE TABLE event_log (
        seq bigserial PRIMARY KEY,
        event_id uuid NOT NULL UNIQUE,
        conference_id text NOT NULL REFERENCES events (id),
        device_id text NOT NULL,
        device_seq bigint NOT NULL,
        type text NOT NULL,
        guest_id text NOT NULL,
        hlc text NOT NULL,
        wall_ms bigint NOT NULL,
        actor text NOT NULL,
        payload jsonb NOT NULL,
        content_hash text NOT NULL,
        received_ms bigint NOT NULL,
        UNIQUE (device_id, device_seq)
      );
      CREATE INDEX event_log_by_conference ON event_log (conference_id, seq);
      CREATE INDEX event_log_by_type ON event_log (conference_id, type, guest_id);

      -- Highest seq per device up to which every event is here (the version vector, R9).
      CREATE TABLE device_progress (
        device_id text PRIMARY KEY,
        conference_id text NOT NULL REFERENCES events (id),
        contiguous_seq bigint NOT NULL
      );

      CREATE TABLE idempotency_keys (
        device_id text NOT NULL,
        key text NOT NULL,
        request_hash text NOT NULL,
        response jsonb NOT NULL,
        created_ms bigint NOT NULL,
        PRIMARY KEY (device_id, key)
      );

      CREATE TABLE alerts (
        id bigserial PRIMARY KEY,
        conference_id text NOT NULL,
        kind text NOT NULL,
        device_id text NOT NULL,
        event_id text NOT NULL,
        detail jsonb NOT NULL,
        created_ms bigint NOT NULL
      );
    `,
  },
  {
    // R8 without a global lock: pushes commit concurrently, and a puller sees a row only once every
    // transaction that could still commit before it has finished (txid below the snapshot's xmin).
    // Pages are ordered by (txid, seq), so a late-committing push is never skipped.
    version: 2,
    sql: `
      ALTER TABLE event_log ADD COLUMN txid xid8 NOT NULL DEFAULT pg_current_xact_id();
      CREATE INDEX event_log_by_commit ON event_log (conference_id, txid, seq);
      DROP INDEX event_log_by_conference;
    `,
  },
  {
    // Pull pages are bounded by bytes as well as rows, so each row knows its payload's size
    // (set by a trigger: right for every row, however it was written).
    // An event refused by its schema is remembered by its (device, seq), so the device's watermark moves
    // past it: the kiosk keeps it and lists it, and its later events are acknowledged instead of
    // being pushed again forever.
    version: 3,
    sql: `
      ALTER TABLE event_log ADD COLUMN payload_bytes integer NOT NULL DEFAULT 0;
      UPDATE event_log SET payload_bytes = octet_length(payload::text);
      CREATE FUNCTION event_log_payload_bytes() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          NEW.payload_bytes := octet_length(NEW.payload::text);
          RETURN NEW;
        END
      $$;
      CREATE TRIGGER event_log_payload_bytes BEFORE INSERT OR UPDATE OF payload ON event_log
        FOR EACH ROW EXECUTE FUNCTION event_log_payload_bytes();
      CREATE TABLE refused_events (
        device_id text NOT NULL,
        device_seq bigint NOT NULL,
        event_id text NOT NULL,
        code text NOT NULL,
        received_ms bigint NOT NULL,
        PRIMARY KEY (device_id, device_seq)
      );
    `,
  },
  {
    // One word per thing: the conference is the event (table \`events\`); an entry of the log is a fact.
    // The log, its refusals and every column naming one of its entries are renamed, with what was named
    // after them (sequence, indexes, trigger and its function).
    version: 4,
    sql: `
      ALTER TABLE event_log RENAME TO fact_log;
      ALTER TABLE fact_log RENAME COLUMN event_id TO fact_id;
      ALTER SEQUENCE event_log_seq_seq RENAME TO fact_log_seq_seq;
      ALTER INDEX event_log_pkey RENAME TO fact_log_pkey;
      ALTER INDEX event_log_event_id_key RENAME TO fact_log_fact_id_key;
      ALTER INDEX event_log_device_id_device_seq_key RENAME TO fact_log_device_id_device_seq_key;
      ALTER INDEX event_log_by_type RENAME TO fact_log_by_type;
      ALTER INDEX event_log_by_commit RENAME TO fact_log_by_commit;
      ALTER TRIGGER event_log_payload_bytes ON fact_log RENAME TO fact_log_payload_bytes;
      ALTER FUNCTION event_log_payload_bytes() RENAME TO fact_log_payload_bytes;
      ALTER TABLE refused_events RENAME TO refused_facts;
      ALTER TABLE refused_facts RENAME COLUMN event_id TO fact_id;
      ALTER INDEX refused_events_pkey RENAME TO refused_facts_pkey;
      ALTER TABLE alerts RENAME COLUMN event_id TO fact_id;
    `,
  },
  {
    // Every authenticated request of a device is contact (an idle door's pulls too), apart
    // from its last push; and each pairing and revocation is kept, so a re-paired door shows its history.
    version: 5,
    sql: `
      ALTER TABLE devices ADD COLUMN last_contact_ms bigint NOT NULL DEFAULT 0;
      UPDATE devices SET last_contact_ms = greatest(last_sync_ms, paired_ms);
      CREATE TABLE device_history (
        id bigserial PRIMARY KEY,
        device_id text NOT NULL REFERENCES devices (id),
        kind text NOT NULL CHECK (kind IN ('paired', 'revoked')),
        name text NOT NULL,
        at_ms bigint NOT NULL
      );
      CREATE INDEX device_history_by_device ON device_history (device_id, id);
      INSERT INTO device_history (device_id, kind, name, at_ms) SELECT id, 'paired', name, paired_ms FROM devices;
    `,
  },
  {
    // Venue hubs (shared/sync/relay.ts). On the central server: the hubs and their one-time link codes,
    // which device each hub may relay for (a device paired directly, a row of `devices`, is never relayed
    // for), and which hub relayed which fact. On a hub: how far each of its devices has been forwarded and
    // what the central server acknowledged; the bring-back cursor lives in `settings`.
    version: 6,
    sql: `
      CREATE TABLE relay_hub_codes (
        code_hash text PRIMARY KEY,
        event_id text NOT NULL REFERENCES events (id),
        name text NOT NULL,
        expires_ms bigint NOT NULL,
        used_ms bigint NOT NULL
      );
      CREATE TABLE relay_hubs (
        id text PRIMARY KEY,
        event_id text NOT NULL REFERENCES events (id),
        name text NOT NULL,
        token_hash text NOT NULL UNIQUE,
        revoked boolean NOT NULL,
        linked_ms bigint NOT NULL,
        last_contact_ms bigint NOT NULL
      );
      CREATE TABLE relay_bindings (
        device_id text PRIMARY KEY,
        event_id text NOT NULL REFERENCES events (id),
        hub_id text NOT NULL REFERENCES relay_hubs (id),
        name text NOT NULL,
        bound_ms bigint NOT NULL
      );
      CREATE INDEX relay_bindings_by_hub ON relay_bindings (hub_id);
      CREATE TABLE relayed_facts (
        fact_id uuid PRIMARY KEY,
        hub_id text NOT NULL REFERENCES relay_hubs (id),
        relayed_ms bigint NOT NULL
      );
      CREATE INDEX relayed_facts_by_hub ON relayed_facts (hub_id);
      CREATE TABLE relay_positions (
        device_id text PRIMARY KEY,
        sent_through bigint NOT NULL,
        central_acked bigint NOT NULL,
        stored bigint NOT NULL,
        duplicates bigint NOT NULL,
        refused bigint NOT NULL
      );
      CREATE TABLE relay_announced (
        device_id text PRIMARY KEY,
        bound boolean NOT NULL,
        reason text NOT NULL,
        announced_ms bigint NOT NULL
      );
    `,
  },
  {
    // Push speed: per stored fact, the foreign-key check of its event and the trigger that counted its
    // payload's bytes cost about a third of the INSERT (measured on PostgreSQL with 200-fact batches).
    // The event of a fact is the event of the device that pushed it (devices.event_id keeps its key, and
    // events are never deleted), or the hub's own event; the writers of fact_log (pushFacts in
    // fact-push.ts, a hub's bring-back) count the payload's bytes themselves, and the pull measures a row
    // that has no count.
    version: 7,
    sql: `
      ALTER TABLE fact_log DROP CONSTRAINT event_log_conference_id_fkey;
      DROP TRIGGER fact_log_payload_bytes ON fact_log;
      DROP FUNCTION fact_log_payload_bytes();
    `,
  },
  {
    // A door's proven hand-over from the central server to a hub (HandoverSchema, shared/sync/protocol.ts). On
    // the central server: the count of the proof a binding rests on (0: bound without one, the device was
    // unknown). On a hub: the proof each door sent with its pairing, announced with the door.
    version: 8,
    sql: `
      ALTER TABLE relay_bindings ADD COLUMN handover_n bigint NOT NULL DEFAULT 0;
      CREATE TABLE relay_handovers (
        device_id text PRIMARY KEY,
        hub_id text NOT NULL,
        n bigint NOT NULL,
        proof text NOT NULL,
        stored_ms bigint NOT NULL
      );
    `,
  },
  {
    // How many pushes have taken the device's lock (the upsert of its watermark row). A push stored in one
    // statement (fact-push-one.ts) reads its facts in a snapshot taken before it waited for the lock; when
    // the count moved by more than its own push, another push of the device committed meanwhile, and the
    // watermark is counted again in a new snapshot.
    version: 9,
    sql: `
      ALTER TABLE device_progress ADD COLUMN pushes bigint NOT NULL DEFAULT 0;
    `,
  },
  {
    // The highest seq any push of the device sent (stored or refused): a push whose statement waited for
    // another push of its device counts the watermark again only when that push may have stored seqs past
    // it (the door's next batch arrived first), not after every pipelined batch in order.
    version: 10,
    sql: `
      ALTER TABLE device_progress ADD COLUMN highest_seq bigint NOT NULL DEFAULT 0;
      UPDATE device_progress p SET highest_seq = greatest(
        (SELECT coalesce(max(device_seq), 0) FROM fact_log f WHERE f.device_id = p.device_id),
        (SELECT coalesce(max(device_seq), 0) FROM refused_facts r WHERE r.device_id = p.device_id));
    `,
  },
];

export const SERVER_SCHEMA_VERSION = migrations.length;
/** Names the exact schema (not only its number): a cached test template of another schema 3 is not reused. */
export const SERVER_SCHEMA_DIGEST = createHash('sha256')
  .update(migrations.map((m) => m.sql).join('\n'))
  .digest('hex')
  .slice(0, 12);

export async function migrate(sql: Sql): Promise<void> {
  await sql.query(`CREATE TABLE IF NOT EXISTS schema_version (version integer NOT NULL)`, []);
  await sql.transaction(async (tx) => {
    // One migrator at a time when several instances start together on one PostgreSQL.
    await tx.query(`SELECT pg_advisory_xact_lock(4242)`, []);
    const rows = await tx.query<{ version: number }>(`SELECT version FROM schema_version`, []);
    const current = rows[0]?.version ?? 0;
    if (current > SERVER_SCHEMA_VERSION) {
      throw new Error(
        `the database is at schema ${current}, newer than this server (${SERVER_SCHEMA_VERSION}); refusing to run`,
      );
    }
    for (const m of migrations) if (m.version > current) await tx.exec(m.sql);
    if (rows.length === 0) await tx.query(`INSERT INTO schema_version (version) VALUES ($1)`, [SERVER_SCHEMA_VERSION]);
    else await tx.query(`UPDATE schema_version SET version = $1`, [SERVER_SCHEMA_VERSION]);
  });
}
