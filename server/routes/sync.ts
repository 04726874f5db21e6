import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { checkFactQuickly } from '../../shared/sync/fact-quick-check.ts';
import { checkFact } from '../../shared/sync/fact-schema.ts';
import {
  MAX_PULL_FACTS,
  PairRequestSchema,
  PUSH_BODY_LIMIT,
  PushEnvelopeSchema,
  SYNC_PROTOCOL_VERSION,
  syncRoutes,
} from '../../shared/sync/protocol.ts';
import type { AppContext } from '../context.ts';
import { bearerToken, HttpFailure, parseBody } from '../http/request.ts';
import { authenticateDevice, redeemPairingCode, rollDeviceToken } from '../store/devices.ts';
import { pullFacts, type DeviceContext } from '../store/fact-log.ts';
import { pushFacts } from '../store/fact-push.ts';
import { packageRevision, readPackage } from '../store/events.ts';

const PullQuerySchema = z.object({
  cursor: z.string().max(500).default(''),
  limit: z.coerce.number().int().min(1).max(MAX_PULL_FACTS).default(1000),
  /** Optional: the event the kiosk believes it is in; another event than the token's is refused. */
  event: z.string().max(200).optional(),
});

/** The kiosk-facing routes: pairing, push, pull, package, token roll. Each authenticates its device. */
export function registerSyncRoutes(app: FastifyInstance, ctx: AppContext): void {
  const device = async (request: FastifyRequest): Promise<DeviceContext> => {
    const found = await authenticateDevice(ctx.sql, bearerToken(request), ctx.now());
    if (found === null) throw new HttpFailure(401, 'unauthorized', 'unknown, revoked or rolled device token');
    return found;
  };
  const sameEvent = (found: DeviceContext, asked: string | undefined): void => {
    if (asked !== undefined && asked !== found.eventId) {
      throw new HttpFailure(403, 'forbidden', 'this device token belongs to another event');
    }
  };

  app.post(syncRoutes.pair, async (request, reply) => {
    // request.ip is the socket's address unless the operator configured a proxy to trust.
    if (!ctx.pairLimiter.take(request.ip)) {
      void reply.header('retry-after', String(ctx.pairLimiter.secondsLeft()));
      throw new HttpFailure(429, 'rate_limited', 'too many pairing attempts from this address; try again shortly');
    }
    const body = parseBody(PairRequestSchema, request.body);
    // A hand-over proof is kept only by the hub it names (a central server is no hub: it keeps none).
    const hubId = ctx.hubId?.() ?? null;
    const handover = body.handover !== undefined && body.handover.hubId === hubId ? body.handover : null;
    const outcome = await redeemPairingCode(ctx.sql, body.code, body.deviceId, ctx.now(), handover);
    if (outcome.kind === 'invalid') throw new HttpFailure(400, 'pairing_code_invalid', 'the pairing code is unknown');
    if (outcome.kind === 'used') throw new HttpFailure(400, 'pairing_code_used', 'the pairing code was already used');
    if (outcome.kind === 'expired') throw new HttpFailure(400, 'pairing_code_expired', 'the pairing code has expired');
    if (outcome.kind === 'device_taken') {
      throw new HttpFailure(409, 'device_id_taken', 'this device id is paired with another event');
    }
    request.log.info({ deviceId: outcome.deviceId, eventId: outcome.eventId }, 'device paired');
    return {
      protocol: SYNC_PROTOCOL_VERSION,
      eventId: outcome.eventId,
      deviceId: outcome.deviceId,
      name: outcome.name,
      token: outcome.token,
      ackedThrough: outcome.ackedThrough,
      // The door records which kind of server it paired with: it hands over from a central pairing only.
      ...(hubId === null ? { server: 'central' as const } : { server: 'hub' as const, hubId }),
    };
  });

  // A body over the limit is refused (413) before it is read: a 15 MB event never reaches the parser.
  app.post(syncRoutes.push, { bodyLimit: PUSH_BODY_LIMIT }, async (request) => {
    const found = await device(request);
    const body = parseBody(PushEnvelopeSchema, request.body);
    const key = String(request.headers['idempotency-key'] ?? '').slice(0, 200);
    const now = ctx.now();
    // Each event on its own, against the server's clock: one bad event is refused alone, never the batch.
    // A door's usual facts (check-ins, room entries) are checked by hand, the rest by the schema: the same
    // answers (fact-quick-check.ts), a fraction of zod's CPU on the thread that takes every push.
    const checked = body.facts.map((raw) => checkFactQuickly(raw, now) ?? checkFact(raw, now));
    const outcome = await pushFacts(ctx.sql, found, checked, key, now);
    if (outcome.kind === 'key_reused') {
      throw new HttpFailure(422, 'idempotency_key_reused', 'this Idempotency-Key was used with a different body');
    }
    ctx.metrics.ingested(outcome.stored);
    const rejected = outcome.response.results.filter((r) => r.status === 'rejected');
    if (rejected.length > 0) request.log.warn({ deviceId: found.deviceId, rejected }, 'facts rejected');
    return outcome.response;
  });

  app.get(syncRoutes.pull, async (request) => {
    const found = await device(request);
    const query = parseBody(PullQuerySchema, request.query);
    sameEvent(found, query.event);
    const revision = await packageRevision(ctx.sql, found.eventId);
    return pullFacts(ctx.sql, found.eventId, query.cursor, query.limit, revision, ctx.now());
  });

  app.get(syncRoutes.package, async (request) => {
    const found = await device(request);
    sameEvent(found, parseBody(z.object({ event: z.string().optional() }), request.query).event);
    const pkg = await readPackage(ctx.sql, found.eventId);
    if (pkg === null) throw new HttpFailure(404, 'not_found', 'the event has no package');
    return pkg;
  });

  app.post(syncRoutes.roll, async (request) => {
    const found = await device(request);
    return { token: await rollDeviceToken(ctx.sql, found.deviceId) };
  });
}
