import os from 'node:os';
import { lanAddresses, localAddresses, type InterfaceAddress } from '../../../shared/hub/lan.ts';
import { HUB_OFF, type HubIndicator, type HubPairing, type HubStatus } from '../../../shared/hub/status.ts';
import { LanyardFailure, type LanyardError } from '../../../shared/result.ts';
import { readEvent } from '../event/store.ts';
import { createLogger } from '../log.ts';
import type { MetaStore } from '../meta.ts';
import { hubDoorCount, hubPairingCode, type HubAddress } from './admin-client.ts';
import { adminTokenFile, hubAdminToken, hubDir, removeRunningHub, writeRunningHub } from './files.ts';
import { pairOwnDoor, publishOwnEvent, type OwnDoorDeps } from './own-door.ts';
import { startHubServer, type HubServer } from './server-thread.ts';

const log = createLogger('hub');

/** The port a new hub listens on unless a supervisor picks another; later starts reuse the last one. */
export const HUB_DEFAULT_PORT = 8088;
/** How often the hub counts its doors and looks whether the kiosk's event changed (then publishes it again). */
const TICK_MS = 5_000;
const REPUBLISH_EVERY_TICKS = 12;

export interface HubDeps extends OwnDoorDeps {
  meta: MetaStore;
  /** The kiosk's data directory: the hub keeps its own in <data>/hub. */
  dataDir: string;
  now: () => number;
  /** A migrated PGlite cluster to start a new hub from (tests: initdb in WASM takes seconds); null: initdb. */
  pgliteTemplate: (() => Promise<Blob | null>) | null;
  interfaces?: () => Record<string, InterfaceAddress[] | undefined>;
}

export interface HubStart {
  port?: number | undefined;
  host?: string | undefined;
}

function startFailure(error: unknown): LanyardFailure {
  return error instanceof LanyardFailure ? error : new LanyardFailure('hub_start_failed', (error as Error).message);
}

/**
 * The venue hub: this laptop runs the sync server (server/start.ts, on PGlite in <data>/hub) for the doors on
 * the LAN, serving the kiosk's own event, and its own door syncs with it over loopback like any other door.
 * It listens on the LAN only between a supervisor's start and stop (and again after a restart of the app
 * while it was on). Start and stop run in the background; the status says how far they got.
 */
export class HubService {
  private readonly deps: HubDeps;
  private state: HubStatus['state'] = 'off';
  private error: LanyardError | null = null;
  private server: HubServer | null = null;
  private address: HubAddress | null = null;
  private pairing: HubPairing | null = null;
  private doors = 0;
  private work: Promise<void> = Promise.resolve();
  private timer: ReturnType<typeof setInterval> | null = null;
  private ticks = 0;
  private publishedDigest = '';

  constructor(deps: HubDeps) {
    this.deps = deps;
  }

  private interfaces(): Record<string, InterfaceAddress[] | undefined> {
    return (this.deps.interfaces ?? os.networkInterfaces)();
  }

  private savedPort(): number {
    const saved = Number(this.deps.meta.get('hub_port') ?? HUB_DEFAULT_PORT);
    return Number.isInteger(saved) && saved > 0 && saved < 65536 ? saved : HUB_DEFAULT_PORT;
  }

  status(): HubStatus {
    const pairing =
      this.pairing !== null && Date.parse(this.pairing.expiresAt) > this.deps.now() && this.state === 'on'
        ? this.pairing
        : null;
    const url = this.address?.lanUrl ?? '';
    return {
      state: this.state,
      port: this.server?.port ?? this.savedPort(),
      url,
      lan: url !== '' && !/^http:\/\/127\./.test(url),
      addresses: lanAddresses(this.interfaces()),
      adminTokenFile: adminTokenFile(this.deps.dataDir),
      error: this.error,
      pairing,
      doors: this.state === 'on' ? this.doors : 0,
    };
  }

  /** The top bar's sign, for every screen without a sign-in: on, the doors' address, how many doors. */
  indicator(): HubIndicator {
    if (this.state !== 'on' || this.address === null) return HUB_OFF;
    return { on: true, url: this.address.lanUrl, doors: this.doors };
  }

  /** Starts the hub in the background (the status turns `on`, or `failed` with the reason). */
  start(options: HubStart = {}): HubStatus {
    if (this.state === 'starting' || this.state === 'stopping') {
      throw new LanyardFailure('hub_busy', `the hub is ${this.state}; try again in a moment`);
    }
    if (this.state === 'on') return this.status();
    const host = (options.host ?? '').trim();
    // Refused here rather than by listen(): a typo in the address gets a clear answer at once.
    if (host !== '' && host !== '0.0.0.0' && !localAddresses(this.interfaces()).has(host)) {
      throw new LanyardFailure('hub_address_unknown', `${host} is not an address of this laptop`);
    }
    const event = readEvent(this.deps.db);
    if (event === null) throw new LanyardFailure('no_event', 'this kiosk has no event for the hub to serve');
    // Absent: the last port, so the doors paired before find the hub again; 0: any free port (tests).
    const port = options.port ?? this.savedPort();
    this.state = 'starting';
    this.error = null;
    this.work = this.run(port, host, event.id).catch((error: unknown) => {
      const failure = startFailure(error);
      this.state = 'failed';
      this.error = { code: failure.code, message: failure.message };
      log.warn('the hub did not start', { code: failure.code, message: failure.message });
    });
    return this.status();
  }

  /** Starts and waits: the CLI and tests. Throws the reason when it failed. */
  async startAndWait(options: HubStart = {}): Promise<HubStatus> {
    this.start(options);
    await this.work;
    if (this.state !== 'on')
      throw new LanyardFailure(this.error?.code ?? 'hub_start_failed', this.error?.message ?? '');
    return this.status();
  }

  private async run(port: number, host: string, eventId: string): Promise<void> {
    const adminToken = hubAdminToken(this.deps.dataDir);
    const template = this.deps.pgliteTemplate === null ? null : await this.deps.pgliteTemplate();
    // In a thread of its own: the hub's database work never holds the door's scans (server-worker.ts).
    const server = await startHubServer({
      port,
      host: host === '' ? '0.0.0.0' : host,
      dataDir: hubDir(this.deps.dataDir),
      adminToken,
      template: template === null ? null : new Uint8Array(await template.arrayBuffer()),
    });
    this.server = server;
    try {
      const lan = host !== '' && host !== '0.0.0.0' ? host : (lanAddresses(this.interfaces())[0] ?? '127.0.0.1');
      const address: HubAddress = {
        localUrl: server.url,
        lanUrl: `http://${lan}:${server.port}`,
        adminToken,
        eventId,
      };
      this.address = address;
      await this.publish(address);
      await pairOwnDoor(this.deps, address);
      this.deps.meta.set('hub_port', String(server.port));
      this.deps.meta.set('hub_host', host);
      this.deps.meta.set('hub_on', '1');
      writeRunningHub(this.deps.dataDir, {
        pid: process.pid,
        port: server.port,
        localUrl: address.localUrl,
        lanUrl: address.lanUrl,
        eventId,
      });
      this.doors = await hubDoorCount(address);
      this.state = 'on';
      this.startTicking(address);
      log.info('hub listening', { lanUrl: address.lanUrl, eventId });
    } catch (error) {
      await this.closeServer();
      throw error;
    }
  }

  /** Creates or updates the event on the hub from the kiosk's event store, when it changed since the last time. */
  private async publish(address: HubAddress): Promise<void> {
    this.publishedDigest = await publishOwnEvent(this.deps, address, this.publishedDigest);
  }

  private startTicking(address: HubAddress): void {
    this.ticks = 0;
    this.timer = setInterval(() => {
      this.ticks += 1;
      const republish = this.ticks % REPUBLISH_EVERY_TICKS === 0 ? this.publish(address) : Promise.resolve();
      republish
        .then(() => hubDoorCount(address))
        .then((doors) => {
          this.doors = doors;
        })
        .catch((error: unknown) => log.warn('hub upkeep failed', { error: String(error) }));
    }, TICK_MS);
    this.timer.unref();
  }

  /** A pairing code for the next door, made in the background; `status().pairing` shows it. */
  newPairing(name: string): HubStatus {
    const address = this.address;
    if (this.state !== 'on' || address === null) {
      throw new LanyardFailure('hub_not_running', 'the venue hub is not on; start it first');
    }
    hubPairingCode(address, name).then(
      (pairing) => {
        this.pairing = pairing;
      },
      (error: unknown) => {
        const failure = startFailure(error);
        this.error = { code: failure.code, message: failure.message };
      },
    );
    return this.status();
  }

  /** Stops listening (in the background); the doors go on alone, and sync again once it is back. */
  stop(): HubStatus {
    if (this.state === 'starting' || this.state === 'stopping') {
      throw new LanyardFailure('hub_busy', `the hub is ${this.state}; try again in a moment`);
    }
    this.deps.meta.set('hub_on', '0');
    if (this.state !== 'on') {
      this.state = 'off';
      this.error = null;
      return this.status();
    }
    this.state = 'stopping';
    this.work = this.closeServer().finally(() => {
      this.state = 'off';
    });
    return this.status();
  }

  async stopAndWait(): Promise<HubStatus> {
    await this.work;
    this.stop();
    await this.work;
    return this.status();
  }

  /** Turns the hub on again after the app restarted while it was on (the supervisor never turned it off). */
  resume(): void {
    if (this.deps.meta.get('hub_on') !== '1' || this.state !== 'off') return;
    try {
      this.start({ port: this.savedPort(), host: this.deps.meta.get('hub_host') ?? '' });
    } catch (error) {
      log.warn('the hub could not resume', { error: String(error) });
    }
  }

  /** The app closes: the hub stops listening but stays "on" for the next start of the app. */
  async shutdown(): Promise<void> {
    await this.work;
    await this.closeServer();
    this.state = 'off';
  }

  private async closeServer(): Promise<void> {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    const server = this.server;
    this.server = null;
    this.address = null;
    this.pairing = null;
    this.doors = 0;
    this.publishedDigest = '';
    if (server === null) return; // never started here: hub.json, if any, is another process's hub
    removeRunningHub(this.deps.dataDir);
    await server.close();
  }
}
