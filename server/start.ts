import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildServer } from './app.ts';
import { hubIdentity } from './relay/link-file.ts';
import { HubRelay } from './relay/loop.ts';
import { hashSecret } from './store/devices.ts';
import { migrate } from './store/migrations.ts';
import { restrictTree } from './store/private-files.ts';
import { openPglite, openPostgres, type Sql } from './store/sql.ts';

// The hub's side of the relay, for the kiosk that runs a venue hub (this file is the server's one entry).
export { linkHub, type LinkHubOptions } from './relay/link.ts';
export type { RelayRound } from './relay/loop.ts';

export interface StartOptions {
  port: number;
  host: string;
  /** PGlite data and the admin-token file live here. */
  dataDir: string;
  /** null: use the stored one, or make one and print it once. */
  adminToken: string | null;
  /** postgres://… puts the server on a real PostgreSQL; '' uses PGlite in dataDir. */
  databaseUrl: string;
  logger: boolean;
  now: () => number;
  /** A migrated PGlite cluster to start a fresh data directory from (tests); null for initdb. */
  pgliteTemplate: Blob | null;
  /** See ServerOptions: off unless configured. */
  trustProxy?: boolean | string;
  /** The token /metrics asks for; null or absent: loopback clients only. */
  metricsToken?: string | null;
  /** See ServerOptions (default 20 per client address); the sync bench pairs 21 kiosks from one address. */
  pairLimitPerMinute?: number;
  /**
   * A venue hub: relay to the central server while linked (server/relay/; the link is a file in dataDir,
   * made by `linkHub`, picked up at the next round). Off for the central server.
   */
  relay?: boolean;
}

export interface RunningServer {
  url: string;
  port: number;
  app: FastifyInstance;
  sql: Sql;
  /** The admin token when this start generated it (to print once); '' otherwise. */
  generatedAdminToken: string;
  /** The hub's relay to the central server (StartOptions.relay); null on the central server. */
  relay: HubRelay | null;
  close(): Promise<void>;
}

function writeAdminTokenFile(dataDir: string, token: string): void {
  const file = join(dataDir, 'admin-token');
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  chmodSync(file, 0o600); // an older file keeps its mode through writeFileSync
}

async function adminTokenHash(sql: Sql, options: StartOptions): Promise<{ hash: string; generated: string }> {
  if (options.adminToken !== null) {
    const hash = hashSecret(options.adminToken);
    await sql.query(
      `INSERT INTO settings (key, value) VALUES ('admin_token_sha256', $1)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
      [hash],
    );
    // The sign-in text says the token is kept beside the data: true for a chosen token too (owner-only).
    writeAdminTokenFile(options.dataDir, options.adminToken);
    return { hash, generated: '' };
  }
  const stored = await sql.query<{ value: string }>(`SELECT value FROM settings WHERE key = 'admin_token_sha256'`, []);
  if (stored.length > 0) return { hash: stored[0]!.value, generated: '' };
  const token = `lya_${randomBytes(32).toString('base64url')}`;
  await sql.query(`INSERT INTO settings (key, value) VALUES ('admin_token_sha256', $1)`, [hashSecret(token)]);
  // Kept beside the data (owner-only) so an organiser who missed the one-time print can still find it.
  writeAdminTokenFile(options.dataDir, token);
  return { hash: hashSecret(token), generated: token };
}

/** How often the data directory's modes are put right again while PGlite adds files (see restrictTree). */
const RESTRICT_INTERVAL_MS = 30_000;

export async function startServer(options: StartOptions): Promise<RunningServer> {
  mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
  restrictTree(options.dataDir);
  const sql =
    options.databaseUrl !== ''
      ? await openPostgres(options.databaseUrl, 20, (error) =>
          process.stderr.write(
            `${JSON.stringify({ level: 40, msg: 'lost an idle PostgreSQL connection', err: error.message })}\n`,
          ),
        )
      : await openPglite(join(options.dataDir, 'pgdata'), options.pgliteTemplate);
  await migrate(sql);
  const admin = await adminTokenHash(sql, options);
  restrictTree(options.dataDir);
  const sweep = setInterval(() => restrictTree(options.dataDir), RESTRICT_INTERVAL_MS);
  sweep.unref();
  const relay = options.relay === true ? new HubRelay({ sql, dataDir: options.dataDir, now: options.now }) : null;
  const app = await buildServer({
    sql,
    relay,
    hubId: () => hubIdentity(options.dataDir, options.relay === true),
    adminTokenHash: admin.hash,
    now: options.now,
    logger: options.logger,
    trustProxy: options.trustProxy ?? false,
    metricsTokenHash: options.metricsToken ? hashSecret(options.metricsToken) : null,
    ...(options.pairLimitPerMinute === undefined ? {} : { pairLimitPerMinute: options.pairLimitPerMinute }),
  });
  await app.listen({ port: options.port, host: options.host });
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : options.port;
  relay?.start();
  let closed = false;
  const shownHost = options.host === '0.0.0.0' || options.host === '::' ? '127.0.0.1' : options.host;
  return {
    url: `http://${shownHost}:${port}`,
    port,
    app,
    sql,
    generatedAdminToken: admin.generated,
    relay,
    close: async () => {
      if (closed) return;
      closed = true;
      clearInterval(sweep);
      await relay?.stop();
      await app.close();
      await sql.close();
      restrictTree(options.dataDir);
    },
  };
}
