import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { checkFactQuickly } from '../../shared/sync/fact-quick-check.ts';
import { checkFact } from '../../shared/sync/fact-schema.ts';
import { MAX_PULL_FACTS, PUSH_BODY_LIMIT, SYNC_PROTOCOL_VERSION } from '../../shared/sync/protocol.ts';
import {
  HubAnnounceRequestSchema,
  HubLinkRequestSchema,
  hubLinkQrText,
  RelayPushEnvelopeSchema,
  relayRoutes,
} from '../../shared/sync/relay.ts';
import type { AppContext } from '../context.ts';
import { bearerToken, HttpFailure, parseBody, requireAdmin } from '../http/request.ts';
import { EventParams, PairingCodeBody } from './admin.ts';
import { createPairingCode, PAIRING_CODE_TTL_MS } from '../store/devices.ts';
import { packageRevision, readPackage } from '../store/events.ts';
import { pullFacts } from '../store/fact-log.ts';
import { announceDevices } from '../store/relay-announce.ts';
import {
  authenticateHub,
  devicesTrustedFor,
  listHubs,
  redeemHubCode,
  revokeHub,
  type HubContext,
} from '../store/relay-hubs.ts';
import { relayPush } from '../store/relay-push.ts';

const RelayPullQuery = z.object({
  cursor: z.string().max(500).default(''),
  limit: z.coerce.number().int().min(1).max(MAX_PULL_FACTS).default(1000),
});

/**
 * The central server's routes for venue hubs (shared/sync/relay.ts): the organiser's link codes, list and
 * revoke behind the admin token; link, announce, push, pull and package for a hub behind its own token.
 */
export function registerRelayRoutes(app: FastifyInstance, ctx: AppContext): void {
  const hub = async (request: FastifyRequest): Promise<HubContext> => {
    const found = await authenticateHub(ctx.sql, bearerToken(request), ctx.now());
    if (found === null) throw new HttpFailure(401, 'unauthorized', 'unknown, revoked or re-linked hub token');
    return found;
  };

  app.post(relayRoutes.hubCodes, async (request) => {
    requireAdmin(request, ctx.adminTokenHash);
    const { id } = parseBody(EventParams, request.params);
    const body = parseBody(PairingCodeBody, request.body ?? {});
    if ((await readPackage(ctx.sql, id)) === null) throw new HttpFailure(404, 'not_found', `no event ${id}`);
    const ttl = (body.ttlSeconds ?? PAIRING_CODE_TTL_MS / 1000) * 1000;
    const { code, expiresMs } = await createPairingCode(ctx.sql, id, body.name, ttl, ctx.now(), 'relay_hub_codes');
    const url = `${request.protocol}://${request.host}`;
    return { code, expiresAt: new Date(expiresMs).toISOString(), qr: hubLinkQrText(url, code) };
  });

  app.get(relayRoutes.hubs, async (request) => {
    requireAdmin(request, ctx.adminTokenHash);
    const { id } = parseBody(EventParams, request.params);
    return { hubs: await listHubs(ctx.sql, id) };
  });

  app.post(relayRoutes.revokeHub, async (request) => {
    requireAdmin(request, ctx.adminTokenHash);
    const { hub: hubId } = parseBody(z.object({ hub: z.string().min(1).max(64) }), request.params);
    if (!(await revokeHub(ctx.sql, hubId))) throw new HttpFailure(404, 'not_found', `no hub ${hubId}`);
    return { revoked: true };
  });

  app.get(relayRoutes.status, async (request) => {
    requireAdmin(request, ctx.adminTokenHash);
    const off = { state: 'off', centralUrl: '', hubId: '', eventId: '', lastOkAt: null, nextAttemptAt: null };
    return ctx.relay ? ctx.relay.status() : { ...off, lastError: null, pending: 0, devices: [] };
  });

  app.get(relayRoutes.identity, async () => {
    const hubId = ctx.hubId?.() ?? null;
    if (hubId === null) throw new HttpFailure(404, 'not_found', 'this server is not a venue hub');
    return { protocol: SYNC_PROTOCOL_VERSION, hubId };
  });

  app.post(relayRoutes.link, async (request, reply) => {
    // The same per-address limit as a kiosk's pairing: link codes are as guessable as pairing codes.
    if (!ctx.pairLimiter.take(request.ip)) {
      void reply.header('retry-after', String(ctx.pairLimiter.secondsLeft()));
      throw new HttpFailure(429, 'rate_limited', 'too many linking attempts from this address; try again shortly');
    }
    const body = parseBody(HubLinkRequestSchema, request.body);
    const outcome = await redeemHubCode(ctx.sql, body.code, body.hubId, body.eventId, ctx.now());
    switch (outcome.kind) {
      case 'invalid':
        throw new HttpFailure(400, 'pairing_code_invalid', 'the hub code is unknown');
      case 'used':
        throw new HttpFailure(400, 'pairing_code_used', 'the hub code was already used');
      case 'expired':
        throw new HttpFailure(400, 'pairing_code_expired', 'the hub code has expired');
      case 'wrong_event':
        throw new HttpFailure(409, 'wrong_event', 'the hub code belongs to another event than the one the hub serves');
      case 'hub_taken':
        throw new HttpFailure(409, 'device_id_taken', 'this hub id is linked for another event');
    }
    const { kind: _linked, ...linked } = outcome;
    request.log.info({ hubId: linked.hubId, eventId: linked.eventId }, 'hub linked');
    return { protocol: SYNC_PROTOCOL_VERSION, ...linked };
  });

  app.post(relayRoutes.announce, async (request) => {
    const found = await hub(request);
    const body = parseBody(HubAnnounceRequestSchema, request.body);
    const devices = await announceDevices(ctx.sql, found, body.devices, ctx.now());
    const refused = devices.filter((d) => !d.bound);
    if (refused.length > 0)
      request.log.warn({ hubId: found.hubId, refused }, 'hub announced devices it cannot relay for');
    return { protocol: SYNC_PROTOCOL_VERSION, devices };
  });

  app.post(relayRoutes.push, { bodyLimit: PUSH_BODY_LIMIT }, async (request) => {
    const found = await hub(request);
    const { facts } = parseBody(RelayPushEnvelopeSchema, request.body);
    const receivedMs = ctx.now();
    // Each fact checked on its own against this server's clock, as from a kiosk: a bad one is refused alone.
    const outcome = await relayPush(
      ctx.sql,
      found,
      facts.map((raw) => checkFactQuickly(raw, receivedMs) ?? checkFact(raw, receivedMs)),
      String(request.headers['idempotency-key'] ?? '').slice(0, 200),
      receivedMs,
    );
    if (outcome.kind !== 'ok') {
      throw new HttpFailure(422, 'idempotency_key_reused', 'the hub sent another batch under this Idempotency-Key');
    }
    ctx.metrics.ingested(outcome.stored);
    const refused = outcome.response.results.filter((r) => r.status === 'rejected');
    if (refused.length > 0) request.log.warn({ hubId: found.hubId, refused }, 'relayed facts refused');
    return outcome.response;
  });

  app.get(relayRoutes.pull, async (request) => {
    const found = await hub(request);
    const query = parseBody(RelayPullQuery, request.query);
    const revision = await packageRevision(ctx.sql, found.eventId);
    const page = await pullFacts(ctx.sql, found.eventId, query.cursor, query.limit, revision, ctx.now());
    // The hub holds its own devices' facts already (it relayed them): the page leaves them out, the
    // cursor still moves past them.
    const own = await devicesTrustedFor(ctx.sql, found, [...new Set(page.facts.map((f) => f.deviceId))]);
    return own.size === 0 ? page : { ...page, facts: page.facts.filter((f) => !own.has(f.deviceId)) };
  });

  app.get(relayRoutes.package, async (request) => {
    const found = await hub(request);
    const pkg = await readPackage(ctx.sql, found.eventId);
    if (pkg === null) throw new HttpFailure(404, 'not_found', 'the event has no package');
    return pkg;
  });
}
