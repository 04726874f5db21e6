import { mkdirSync } from 'node:fs';
import { LanyardFailure } from '../../shared/result.ts';
import { relayRoutes, RelayStatusSchema, type RelayStatus } from '../../shared/sync/relay.ts';
import type { HubAddress } from '../core/hub/admin-client.ts';
import { hubDir } from '../core/hub/files.ts';
import type { Kiosk } from '../core/kiosk.ts';
import { usage, type CliContext } from './context.ts';

/**
 * `lanyard hub link --server URL --code CODE`: links this laptop's venue hub with the central server by a
 * one-time hub code the organiser made there (`npm run server -- pair --hub …`). The code must be of the
 * event this kiosk (and so its hub) serves: one of another event is refused before it is spent. The hub's
 * token is kept owner-only in the hub's data directory; a running hub starts relaying at its next round
 * (server/relay/), a stopped one when it starts.
 */
export async function linkHubCommand({ values, call, out }: CliContext, _kiosk: Kiosk, dataDir: string) {
  const server = (values.server ?? '').trim();
  const code = (values.code ?? '').trim();
  if (server === '' || code === '') usage('hub link needs --server URL --code CODE');
  const { event } = call<{ event: { id: string } | null }>('app.status', {});
  if (event === null) usage('this kiosk has no event yet: the hub serves the kiosk’s event, so set it up first');
  const hubData = hubDir(dataDir);
  mkdirSync(hubData, { recursive: true, mode: 0o700 });
  // The server's code (Fastify, PGlite, pg) is loaded only by the command that needs it, not by every
  // `lanyard` command at start.
  const { linkHub } = await import('../../server/start.ts');
  const linked = await linkHub({ dataDir: hubData, centralUrl: server, code, eventId: event.id, now: Date.now });
  out(
    { linked: true, ...linked, linkedAt: new Date(linked.linkedMs).toISOString() },
    `venue hub ${linked.hubId} linked with ${linked.centralUrl} for event ${linked.eventId} (${linked.name}); it relays while it runs`,
  );
  return 0;
}

/** The running hub's relay, as `lanyard hub status` shows it (the hub's admin route, over loopback). */
export async function hubRelayStatus(hub: HubAddress): Promise<RelayStatus> {
  const answer = await fetch(`${hub.localUrl}${relayRoutes.status}`, {
    headers: { authorization: `Bearer ${hub.adminToken}` },
    signal: AbortSignal.timeout(30_000),
  }).then(
    async (response) => RelayStatusSchema.safeParse(await response.json()),
    (error: unknown) => {
      throw new LanyardFailure('hub_not_running', `the hub at ${hub.localUrl} does not answer: ${String(error)}`);
    },
  );
  if (!answer.success) throw new LanyardFailure('internal', `unexpected relay status from ${hub.localUrl}`);
  return answer.data;
}

/** One line for people: where the hub relays to and how it goes. */
export function relayText(relay: RelayStatus): string {
  if (relay.state === 'off' || relay.state === 'unlinked') return 'not linked with a central server';
  const problem = relay.lastError === null ? '' : ` (${relay.lastError.code}: ${relay.lastError.message})`;
  return `relaying to ${relay.centralUrl}: ${relay.state}${problem}, ${relay.pending} waiting`;
}
