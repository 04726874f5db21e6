import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { timingSafeEqual } from 'node:crypto';
import type { z } from 'zod';
import { nestedDeeperThan } from '../shared/sync/event-schema.ts';
import { SyncErrorSchema, type SyncErrorCode } from '../shared/sync/protocol.ts';
import { addSecurityHeaders, metricsAllowed, RateLimiter } from './http/guards.ts';
import { Metrics } from './metrics.ts';
import { registerAdminRoutes } from './routes/admin.ts';
import { registerPageRoutes } from './routes/page.ts';
import { registerSyncRoutes } from './routes/sync.ts';
import { hashSecret } from './store/devices.ts';
import type { Sql } from './store/sql.ts';

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
}

/** A failed request: the status and the protocol's error body. */
export class HttpFailure extends Error {
  readonly status: number;
  readonly code: SyncErrorCode;
  constructor(status: number, code: SyncErrorCode, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/** Parses untrusted input with a shared protocol schema; a mismatch is a 400 naming the field. */
export function parseBody<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
    const unsupported = issue?.path[0] === 'protocol';
    throw new HttpFailure(
      400,
      unsupported ? 'unsupported_protocol' : 'invalid_request',
      `${where}${issue?.message ?? 'invalid'}`,
    );
  }
  return parsed.data;
}

export function bearerToken(request: FastifyRequest): string {
  const header = request.headers.authorization ?? '';
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (match === null) throw new HttpFailure(401, 'unauthorized', 'an Authorization: Bearer token is required');
  return match[1]!;
}

export function requireAdmin(request: FastifyRequest, adminTokenHash: string): void {
  const given = Buffer.from(hashSecret(bearerToken(request)), 'hex');
  const expected = Buffer.from(adminTokenHash, 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new HttpFailure(401, 'unauthorized', 'admin token required');
  }
}

/** Deepest JSON body any route reads (a push is envelope → events → event → payload → guest → codes). */
const MAX_BODY_DEPTH = 32;

export interface AppContext extends ServerOptions {
  metrics: Metrics;
  pairLimiter: RateLimiter;
}

/**
 * The central server: stateless between requests (everything is in PostgreSQL), so several instances
 * can serve one database behind a load balancer.
 */
export async function buildServer(options: ServerOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ? { level: 'info' } : false,
    bodyLimit: 16 * 1024 * 1024,
    trustProxy: options.trustProxy ?? false,
  });
  const context: AppContext = {
    ...options,
    metrics: new Metrics(),
    pairLimiter: new RateLimiter(options.pairLimitPerMinute ?? 20, 60_000, options.now),
  };
  addSecurityHeaders(app);
  const started = new WeakMap<FastifyRequest, bigint>();
  app.addHook('onRequest', async (request) => {
    started.set(request, process.hrtime.bigint());
  });
  app.addHook('onResponse', async (request: FastifyRequest, reply: FastifyReply) => {
    const t0 = started.get(request);
    const seconds = t0 === undefined ? 0 : Number(process.hrtime.bigint() - t0) / 1e9;
    context.metrics.request(request.routeOptions.url ?? 'unknown', reply.statusCode, seconds);
  });
  // No honest body nests deeper than a few levels. A deeper one (finding 5: 100,000 levels) is refused as
  // a 400 here, iteratively, before anything recursive (zod, canonical JSON, logging) walks it.
  app.addHook('preValidation', async (request) => {
    if (request.body !== null && typeof request.body === 'object' && nestedDeeperThan(request.body, MAX_BODY_DEPTH)) {
      throw new HttpFailure(400, 'invalid_request', `the JSON body nests deeper than ${MAX_BODY_DEPTH} levels`);
    }
  });
  app.setErrorHandler((error, request, reply) => {
    if (error instanceof HttpFailure) {
      if (error.status === 429 && !reply.hasHeader('retry-after')) void reply.header('retry-after', '5');
      return reply
        .status(error.status)
        .send(SyncErrorSchema.parse({ error: { code: error.code, message: error.message } }));
    }
    const status = (error as { statusCode?: number }).statusCode ?? 500;
    if (status === 413) {
      return reply.status(413).send({ error: { code: 'payload_too_large', message: 'request body too large' } });
    }
    if (status >= 400 && status < 500) {
      return reply.status(status).send({ error: { code: 'invalid_request', message: (error as Error).message } });
    }
    request.log.error({ err: error }, 'request failed');
    return reply.status(500).send({ error: { code: 'internal', message: 'internal error' } });
  });
  app.get('/healthz', async () => {
    await options.sql.query(`SELECT 1`, []);
    return { ok: true };
  });
  app.get('/metrics', async (request, reply) => {
    if (!metricsAllowed(request, options.metricsTokenHash ?? null)) {
      throw new HttpFailure(
        401,
        'unauthorized',
        'metrics are served to this machine only, or with the metrics token (--metrics-token)',
      );
    }
    void reply.header('content-type', 'text/plain; version=0.0.4');
    return context.metrics.render();
  });
  registerSyncRoutes(app, context);
  registerAdminRoutes(app, context);
  registerPageRoutes(app, context);
  return app;
}
