import { randomUUID } from 'node:crypto';
import { afterAll, afterEach } from 'vitest';
import { SYNC_PROTOCOL_VERSION } from '../../shared/sync/protocol.ts';
import { relayRoutes, type RelayPushResponse } from '../../shared/sync/relay.ts';
import { relayErrorCode } from '../../server/relay/client.ts';
import { linkHub } from '../../server/relay/link.ts';
import { HubRelay } from '../../server/relay/loop.ts';
import { startFaultProxy, type FaultProxy } from './fault-proxy.ts';
import {
  newKiosk,
  pairingCode,
  publish,
  startTestServer,
  type ServerAddress,
  type TestKiosk,
  type TestServer,
} from './sync-server.ts';
import { must } from './call.ts';

/**
 * A venue hub for relay tests: a second real server (PGlite) serving the organiser's event, linked with
 * the central server through a fault proxy (the venue's uplink), and its relay driven round by round.
 */
export interface TestHub {
  server: TestServer;
  relay: HubRelay;
  /** Between the hub and the central server. */
  uplink: FaultProxy;
  eventId: string;
  /** Links the hub with the central server by a fresh hub code (again: rolls its token, keeps its id). */
  link(): Promise<void>;
  /** Closes the hub server and starts it again from its data directory on the same port, with a new relay. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

/** An organiser's hub code on the central server, as `POST /v1/admin/events/:id/hub-codes` gives it. */
export async function hubCode(central: ServerAddress, eventId: string, name: string): Promise<string> {
  const response = await fetch(`${central.url}${relayRoutes.hubCodes.replace(':id', eventId)}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${central.adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name }),
  });
  if (!response.ok) throw new Error(`hub code failed: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { code: string }).code;
}

/**
 * `linked: false` starts the hub as `lanyard hub` does before its link: relay on (its own loop stopped, the
 * test drives the rounds), so it already tells doors the id it will link with (GET /v1/relay/hub).
 */
export async function startHub(
  central: TestServer,
  eventId: string,
  organiser: TestKiosk,
  { linked = true }: { linked?: boolean } = {},
): Promise<TestHub> {
  const relayOn = linked ? {} : { relay: true };
  const startOn = async (dataDir?: string, port?: number) => {
    const started = await startTestServer({ kind: 'pglite' }, dataDir, port, relayOn);
    await started.relay?.stop();
    return started;
  };
  let server = await startOn();
  await publish(server, organiser.kiosk);
  const uplink = await startFaultProxy({ upstreamPort: central.port });
  const relayFor = (s: TestServer) => new HubRelay({ sql: s.sql, dataDir: s.dataDir, now: Date.now });
  const hub: TestHub = {
    server,
    relay: relayFor(server),
    uplink,
    eventId,
    link: async () => {
      await linkHub({
        dataDir: hub.server.dataDir,
        centralUrl: uplink.url,
        code: await hubCode(central, eventId, 'Venue hub'),
        eventId,
        now: Date.now,
      });
    },
    restart: async () => {
      await hub.relay.stop();
      const { port, dataDir } = server;
      await server.close();
      server = await startOn(dataDir, port);
      hub.server = server;
      hub.relay = relayFor(server);
    },
    close: async () => {
      await hub.relay.stop();
      await uplink.close();
      await server.close();
    },
  };
  if (linked) await hub.link();
  return hub;
}

/** What a test started, closed newest first after each test (`afterEach`) or after the file (`afterAll`). */
export type Cleanups = Array<() => Promise<void> | void>;
export function closedAfter(hook: typeof afterAll | typeof afterEach): Cleanups {
  const cleanups: Cleanups = [];
  hook(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  return cleanups;
}

/**
 * A venue as the relay tests start it: a central server (PGlite), the organiser's desk with the demo event
 * published to it, doors made on demand, and hubs linked (or not yet) with the central server. Everything
 * it starts is closed by `cleanups`.
 */
export interface Venue {
  central: TestServer;
  organiser: TestKiosk;
  eventId: string;
  /** A new kiosk (not paired) for a door. */
  door(name: string): TestKiosk;
  hub(options?: { linked?: boolean }): Promise<TestHub>;
}

export async function startVenue(cleanups: Cleanups): Promise<Venue> {
  const central = await startTestServer({ kind: 'pglite' });
  cleanups.push(() => central.close());
  const door = (name: string) => {
    const k = newKiosk(name);
    cleanups.push(() => k.kiosk.close());
    return k;
  };
  const organiser = door('Desk');
  must(organiser.kiosk, 'event.loadDemo', {});
  const eventId = await publish(central, organiser.kiosk);
  const hub = async (options: { linked?: boolean } = {}) => {
    const started = await startHub(central, eventId, organiser, options);
    cleanups.push(() => started.close());
    return started;
  };
  return { central, organiser, eventId, door, hub };
}

/** Facts a server holds twice for one device and sequence: none, ever (R6). */
export async function duplicateSeqs(server: TestServer): Promise<number> {
  const [row] = await server.sql.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM (SELECT device_id, device_seq FROM fact_log GROUP BY 1, 2 HAVING count(*) > 1) d`,
    [],
  );
  return row!.n;
}

/** Pairs a kiosk with the hub, as with the central server: a code from the hub, the hub's URL. */
export async function pairWithHub(hub: TestHub, kiosk: TestKiosk, door: string): Promise<void> {
  await kiosk.kiosk.sync!.engine.pair(hub.server.url, await pairingCode(hub.server, hub.eventId, door));
}

/** A relay round that may fail (the uplink is cut): 'ok' or the failure's stable code. */
export async function attemptRelay(hub: TestHub): Promise<string> {
  try {
    await hub.relay.runOnce();
    return 'ok';
  } catch (error) {
    return relayErrorCode(error);
  }
}

/**
 * A hub that speaks the relay protocol by hand (linked with a real code, so it holds a real hub token):
 * it announces and relays whatever a test gives it, as a hub gone rogue would.
 */
export interface HandHub {
  hubId: string;
  token: string;
  announce(
    devices: Array<{ deviceId: string; name: string; handover?: { n: number; proof: string } }>,
  ): Promise<{ status: number; body: HandAnswer }>;
  push(facts: unknown[], key?: string): Promise<{ status: number; body: HandAnswer }>;
}

export interface HandAnswer {
  devices?: Array<{ deviceId: string; bound: boolean; reason: string }>;
  results?: RelayPushResponse['results'];
  ackedThrough?: Record<string, number>;
  error?: { code: string; message: string };
}

export async function linkHandHub(central: ServerAddress, eventId: string, hubId: string): Promise<HandHub> {
  const linked = await fetch(`${central.url}${relayRoutes.link}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ protocol: SYNC_PROTOCOL_VERSION, code: await hubCode(central, eventId, hubId), hubId }),
  });
  if (!linked.ok) throw new Error(`hub link failed: ${linked.status} ${await linked.text()}`);
  return handHub(central, hubId, ((await linked.json()) as { token: string }).token);
}

/** Speaks the relay protocol by hand with a hub token a test holds (a real hub's, read from its link file). */
export function handHub(central: ServerAddress, hubId: string, token: string): HandHub {
  const post = async (route: string, body: unknown, key: string) => {
    const response = await fetch(`${central.url}${route}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'idempotency-key': key },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as HandAnswer };
  };
  return {
    hubId,
    token,
    announce: (devices) => post(relayRoutes.announce, { protocol: SYNC_PROTOCOL_VERSION, devices }, ''),
    push: (facts, key = randomUUID()) => post(relayRoutes.push, { protocol: SYNC_PROTOCOL_VERSION, facts }, key),
  };
}

/** A well-formed check-in of `deviceId` at `deviceSeq` (what a forging hub would send). */
export function forgedCheckIn(deviceId: string, deviceSeq: number, guestId: string): Record<string, unknown> {
  const now = Date.now();
  return {
    id: randomUUID(),
    deviceId,
    deviceSeq,
    type: 'check_in',
    guestId,
    hlc: `${String(now).padStart(15, '0')}-${String(deviceSeq % 100_000).padStart(5, '0')}-${deviceId}`,
    wallMs: now,
    actor: 'forged',
    payload: { door: 'Nowhere', method: 'scan', code: '' },
  };
}
