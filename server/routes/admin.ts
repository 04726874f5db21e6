import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { EventPackageSchema, syncRoutes } from '../../shared/sync/protocol.ts';
import type { AppContext } from '../context.ts';
import { HttpFailure, parseBody, requireAdmin } from '../http/request.ts';
import { createPairingCode, listDevices, PAIRING_CODE_TTL_MS, revokeDevice } from '../store/devices.ts';
import { eventStats, listEvents, publishEvent, readPackage } from '../store/events.ts';
import { eventNames } from '../store/page-data.ts';

export const EventParams = z.object({ id: z.string().min(1).max(200) });
/** A pairing code's (or a hub link code's) name and lifetime. */
export const PairingCodeBody = z.object({
  name: z.string().trim().min(1).max(100),
  ttlSeconds: z
    .number()
    .int()
    .min(30)
    .max(7 * 24 * 3600)
    .optional(),
});

/** The text a pairing QR carries: the server's URL and the code, so one scan fills both fields. */
export function pairingQrText(serverUrl: string, code: string): string {
  return `lanyard-pair:${serverUrl}#${code}`;
}

function serverUrl(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}`;
}

/** Organiser routes, behind the admin token. */
export function registerAdminRoutes(app: FastifyInstance, ctx: AppContext): void {
  const admin = (request: FastifyRequest) => requireAdmin(request, ctx.adminTokenHash);
  const requireEvent = async (id: string) => {
    const pkg = await readPackage(ctx.sql, id);
    if (pkg === null) throw new HttpFailure(404, 'not_found', `no event ${id}`);
    return pkg;
  };

  app.post(syncRoutes.publish, async (request) => {
    admin(request);
    const pkg = parseBody(EventPackageSchema, request.body);
    const revision = await publishEvent(ctx.sql, pkg, ctx.now());
    request.log.info({ eventId: pkg.event.id, revision, guests: pkg.guests.length }, 'event published');
    return { eventId: pkg.event.id, revision };
  });

  app.get(syncRoutes.publish, async (request) => {
    admin(request);
    // With every language's name and the zone, so the organisers' page can show the reader's.
    const names = await eventNames(ctx.sql);
    return { events: (await listEvents(ctx.sql)).map((e) => ({ ...e, ...names.get(e.id) })) };
  });

  app.get(syncRoutes.stats, async (request) => {
    admin(request);
    const { id } = parseBody(EventParams, request.params);
    const stats = await eventStats(ctx.sql, id);
    if (stats === null) throw new HttpFailure(404, 'not_found', `no event ${id}`);
    return stats;
  });

  app.post(syncRoutes.pairingCodes, async (request) => {
    admin(request);
    const { id } = parseBody(EventParams, request.params);
    const body = parseBody(PairingCodeBody, request.body ?? {});
    await requireEvent(id);
    const ttl = (body.ttlSeconds ?? PAIRING_CODE_TTL_MS / 1000) * 1000;
    const { code, expiresMs } = await createPairingCode(ctx.sql, id, body.name, ttl, ctx.now());
    return { code, expiresAt: new Date(expiresMs).toISOString(), qr: pairingQrText(serverUrl(request), code) };
  });

  app.get(syncRoutes.devices, async (request) => {
    admin(request);
    const { id } = parseBody(EventParams, request.params);
    return { devices: await listDevices(ctx.sql, id) };
  });

  app.post(syncRoutes.revokeDevice, async (request) => {
    admin(request);
    const { device } = parseBody(z.object({ device: z.string().min(1).max(64) }), request.params);
    if (!(await revokeDevice(ctx.sql, device, ctx.now())))
      throw new HttpFailure(404, 'not_found', `no device ${device}`);
    return { revoked: true };
  });
}
