import { PGlite } from '@electric-sql/pglite';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { copyIn } from './copy-in.ts';

/**
 * The little the server needs from PostgreSQL, over either a real server (`pg` pool, DATABASE_URL) or
 * PGlite (Postgres compiled to WASM, in-process, data in a directory). The same SQL runs on both.
 */
export interface Sql {
  /**
   * `name`: keep the statement prepared on each connection under that name (PostgreSQL: parsed and planned
   * once per connection instead of on every call; PGlite ignores it). Only for a hot statement whose text
   * never changes under its name.
   */
  query<T extends object>(text: string, params: readonly unknown[], name?: string): Promise<T[]>;
  /** Several statements, no parameters (migrations). */
  exec(text: string): Promise<void>;
  /** Runs `body` in one transaction (BEGIN … COMMIT, ROLLBACK on a throw). */
  transaction<T>(body: (tx: Sql) => Promise<T>): Promise<T>;
  /**
   * PostgreSQL inside a transaction only (PGlite leaves it out): `COPY table (columns) FROM STDIN` with `data`
   * in COPY's text format; resolves to the number of rows stored.
   */
  copyIn?(text: string, data: string): Promise<number>;
  close(): Promise<void>;
  readonly kind: 'pglite' | 'postgres';
}

/**
 * PGlite in `dataDir` (null: in memory). A fresh cluster costs ~8 s of initdb in WASM here; `template`
 * (a `dumpDataDir()` tarball of a migrated cluster) starts one in ~2 s — the test suite uses that.
 * An existing data directory is opened as it is and the template ignored.
 */
export async function openPglite(dataDir: string | null, template: Blob | null): Promise<Sql> {
  const fresh = dataDir === null || !existsSync(join(dataDir, 'PG_VERSION'));
  const db = await PGlite.create({
    ...(dataDir === null ? {} : { dataDir }),
    ...(fresh && template !== null ? { loadDataDir: template } : {}),
  });
  return openPgliteOn(db);
}

function openPgliteOn(db: PGlite): Promise<Sql> {
  const wrap = (q: Pick<PGlite, 'query' | 'exec'>): Sql => ({
    kind: 'pglite',
    query: async <T extends object>(text: string, params: readonly unknown[]) =>
      (await q.query<T>(text, [...params])).rows,
    exec: async (text) => {
      await q.exec(text);
    },
    // PGlite has one connection; its transaction() holds it exclusively, so transactions serialise.
    transaction: (body) => db.transaction((tx) => body(wrap(tx))),
    close: () => db.close(),
  });
  return Promise.resolve(wrap(db));
}

/** A migrated, empty PGlite cluster as a tarball, for `openPglite(…, template)`. */
export async function pgliteTemplate(migrate: (sql: Sql) => Promise<void>): Promise<Blob> {
  const db = await PGlite.create();
  const sql = await openPgliteOn(db);
  await migrate(sql);
  const dump = await db.dumpDataDir('none');
  await db.close();
  return dump;
}

// int8 and numeric come back as strings by default; every bigint we store (seq, ms) fits a double.
pg.types.setTypeParser(20, (v: string) => Number(v));

export async function openPostgres(url: string, poolSize: number, onIdleError: (error: Error) => void): Promise<Sql> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  // An idle connection the database drops (a restart, a failover, an administrator) must not take the
  // server down: the pool replaces it on the next query; without a listener Node would throw.
  pool.on('error', onIdleError);
  await pool.query('SELECT 1');
  const onClient = (client: pg.PoolClient): Sql => ({
    kind: 'postgres',
    query: async <T extends object>(text: string, params: readonly unknown[], name?: string) =>
      (await client.query<T>(name === undefined ? { text, values: [...params] } : { name, text, values: [...params] }))
        .rows as T[],
    exec: async (text) => {
      await client.query(text);
    },
    transaction: () => {
      throw new Error('nested transactions are not used');
    },
    copyIn: (text, data) => copyIn(client, text, data),
    close: async () => {},
  });
  return {
    kind: 'postgres',
    query: async <T extends object>(text: string, params: readonly unknown[], name?: string) =>
      (await pool.query<T>(name === undefined ? { text, values: [...params] } : { name, text, values: [...params] }))
        .rows as T[],
    exec: async (text) => {
      await pool.query(text);
    },
    transaction: async (body) => {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await body(onClient(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}
