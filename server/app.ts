import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { nestedDeeperThan } from '../shared/sync/json-walks.ts';
import { SyncErrorSchema } from '../shared/sync/protocol.ts';
import type { AppContext, ServerOptions } from './context.ts';
import { addSecurityHeaders, metricsAllowed, RateLimiter } from './http/guards.ts';
import { HttpFailure } from './http/request.ts';
import { Metrics } from './metrics.ts';
import { registerAdminRoutes } from './routes/admin.ts';
import { registerPageRoutes } from './routes/page.ts';
import { registerRelayRoutes } from './routes/relay.ts';
import { registerSyncRoutes } from './routes/sync.ts';

/** Deepest JSON body any route reads (a push is envelope → events → event → payload → guest → codes). */
const MAX_BODY_DEPTH = 32;

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
  // No honest body nests deeper than a few levels. A deeper one (100,000 levels were sent once) is refused as
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
  registerRelayRoutes(app, context);
  return app;
}
