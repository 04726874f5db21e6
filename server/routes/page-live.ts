import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { bucketSecondsSchema } from '../../shared/projection/timeline.ts';
import type { AppContext } from '../context.ts';
import { HttpFailure, parseBody, requireAdmin } from '../http/request.ts';
import { eventOverview, loadAttendance } from '../store/attendance.ts';
import { guestHistory, pageExtras, searchGuests } from '../store/page-data.ts';
import { eventTimeline } from '../store/timeline.ts';

/**
 * The organisers' page's live data, behind the admin token: the overview (with names in
 * every language, the event's zone, the feed, devices' contact and history, open pairing codes), the
 * timeline for the charts, and the guest search with one guest's history.
 */
export const pageLiveRoutes = {
  overview: '/v1/admin/events/:id/overview',
  timeline: '/v1/admin/events/:id/timeline',
  guests: '/v1/admin/events/:id/guests',
  guestHistory: '/v1/admin/events/:id/guests/:guest',
} as const;

const EventParams = z.object({ id: z.string().min(1).max(200) });
const GuestParams = EventParams.extend({ guest: z.string().min(1).max(200) });
const TimelineQuery = z.object({ bucket: bucketSecondsSchema(true) });
const SearchQuery = z.object({ q: z.string().max(200).default('') });

export function registerPageLiveRoutes(app: FastifyInstance, ctx: AppContext): void {
  const admin = (request: FastifyRequest) => requireAdmin(request, ctx.adminTokenHash);
  const model = async (request: FastifyRequest) => {
    admin(request);
    const { id } = parseBody(EventParams, request.params);
    const found = await loadAttendance(ctx.sql, id);
    if (found === null) throw new HttpFailure(404, 'not_found', `no event ${id}`);
    return found;
  };

  app.get(pageLiveRoutes.overview, async (request, reply) => {
    admin(request);
    const { id } = parseBody(EventParams, request.params);
    const now = ctx.now();
    const overview = await eventOverview(ctx.sql, id, now);
    const attendance = await loadAttendance(ctx.sql, id);
    if (overview === null || attendance === null) throw new HttpFailure(404, 'not_found', `no event ${id}`);
    void reply.header('cache-control', 'no-store');
    return { ...overview, ...(await pageExtras(ctx.sql, attendance, now)) };
  });

  app.get(pageLiveRoutes.timeline, async (request, reply) => {
    admin(request);
    const { id } = parseBody(EventParams, request.params);
    const { bucket } = parseBody(TimelineQuery, request.query);
    const timeline = await eventTimeline(ctx.sql, id, bucket, ctx.now());
    if (timeline === null) throw new HttpFailure(404, 'not_found', `no event ${id}`);
    void reply.header('cache-control', 'no-store');
    return timeline;
  });

  app.get(pageLiveRoutes.guests, async (request, reply) => {
    const found = await model(request);
    const { q } = parseBody(SearchQuery, request.query);
    void reply.header('cache-control', 'no-store');
    return { guests: searchGuests(found, q) };
  });

  app.get(pageLiveRoutes.guestHistory, async (request, reply) => {
    const found = await model(request);
    const { guest } = parseBody(GuestParams, request.params);
    const history = await guestHistory(ctx.sql, found, guest);
    if (history === null) throw new HttpFailure(404, 'not_found', `no guest ${guest}`);
    void reply.header('cache-control', 'no-store');
    return history;
  });
}
