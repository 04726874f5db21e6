import type { RateLimiter } from './http/guards.ts';
import type { Metrics } from './metrics.ts';
import type { HubRelay } from './relay/loop.ts';
import type { Sql } from './store/sql.ts';

/** What the operator configures (server/start.ts reads it from flags and the environment). */
export interface ServerOptions {
  sql: Sql;
  /** SHA-256 of the admin token (the token itself is never kept by the process). */
  adminTokenHash: string;
  now: () => number;
  /** Fastify logger option: true for structured JSON logs, false in tests. */
  logger: boolean;
  /**
   * Fastify's trustProxy: off unless the operator runs the server behind a proxy they name (true for any,
   * or addresses/CIDRs as a comma-separated string). Off, X-Forwarded-* is ignored.
   */
  trustProxy?: boolean | string;
  /** SHA-256 of the token /metrics asks for; null: /metrics answers loopback clients only. */
  metricsTokenHash?: string | null;
  /** Pairing attempts allowed per client address per minute. */
  pairLimitPerMinute?: number;
  /** A venue hub's relay to the central server (server/relay/), for its status route; absent elsewhere. */
  relay?: HubRelay | null;
  /** A venue hub's id at the central server (for a door's hand-over proof); null or absent elsewhere. */
  hubId?: () => string | null;
}

/** What app.ts hands every route module: the options plus the process-wide metrics and limiter. */
export interface AppContext extends ServerOptions {
  metrics: Metrics;
  pairLimiter: RateLimiter;
}
