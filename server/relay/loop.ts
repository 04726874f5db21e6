import { LanyardFailure } from '../../shared/result.ts';
import { backoffDelay } from '../../shared/sync/backoff.ts';
import type { RelayStatus } from '../../shared/sync/relay.ts';
import type { Sql } from '../store/sql.ts';
import { RelayClient, RelayHttpError, relayErrorCode } from './client.ts';
import { bringBackAll } from './bring-back.ts';
import { forwardAll, type ForwardTally } from './forward.ts';
import { readHubLink, type HubLink } from './link-file.ts';

/** What one relay round did. */
export interface RelayRound {
  /** Devices announced to the central server this round (newly paired with the hub). */
  announced: number;
  forwarded: ForwardTally;
  /** Facts of other doors new to the hub. */
  broughtBack: number;
}

export interface HubRelayOptions {
  /** The hub server's database (RunningServer.sql): the relay runs in the hub's process. */
  sql: Sql;
  /** The hub's data directory, where the link file is. */
  dataDir: string;
  now: () => number;
  /** Pause between rounds while all is well. */
  intervalMs?: number;
  random?: () => number;
  /** Told about each failed round (the hub's log). */
  onError?: (error: { code: string; message: string }) => void;
}

const DEFAULT_INTERVAL_MS = 2_000;

/**
 * The hub's relay (shared/sync/relay.ts): while linked and the central server answers, each round
 * announces newly paired devices, forwards the hub's devices' facts and brings back everything else.
 * Everything it needs to resume — positions, cursor — is in the hub's database; the link in its data
 * directory. A failed round retries with full-jitter backoff (R7); a refused hub token waits for a new link.
 */
export class HubRelay {
  private readonly options: HubRelayOptions;
  private running: Promise<RelayRound> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private stopped = true;
  private failures = 0;
  private lastOkMs: number | null = null;
  private nextMs: number | null = null;
  private lastError: { code: string; message: string } | null = null;
  /** The link a refusal was for: a new link (another token) is tried again at once. */
  private refusedLinkMs: number | null = null;

  constructor(options: HubRelayOptions) {
    this.options = options;
  }

  /** One round now; concurrent callers share it. Throws what failed (a RelayHttpError or the link's). */
  runOnce(): Promise<RelayRound> {
    if (this.running !== null) return this.running;
    const round = this.round();
    const done = () => {
      this.running = null;
    };
    round.then(done, done);
    this.running = round;
    return round;
  }

  private async round(): Promise<RelayRound> {
    const { sql, dataDir, now } = this.options;
    const link = readHubLink(dataDir);
    if (link === null) throw new LanyardFailure('not_paired', 'this hub is not linked with a central server');
    const served = await sql.query<{ id: string }>(`SELECT id FROM events WHERE id = $1`, [link.eventId]);
    if (served.length === 0) {
      throw new LanyardFailure(
        'wrong_event',
        `this hub does not serve event ${link.eventId}, the one it is linked for`,
      );
    }
    const client = new RelayClient(link.centralUrl, link.token);
    const announced = await this.announce(client, link);
    const forwarded = await forwardAll(sql, client, link.eventId, now);
    const broughtBack = await bringBackAll(sql, client, link.eventId, now);
    return { announced, forwarded, broughtBack };
  }

  /** Devices paired with the hub that the central server has not been told about; their answers kept. */
  private async announce(client: RelayClient, link: HubLink): Promise<number> {
    const { sql, now } = this.options;
    // With the proof a door that came from the central server sent when it paired (relay_handovers).
    const fresh = await sql.query<{ id: string; name: string; n: number | null; proof: string | null }>(
      `SELECT d.id, d.name, h.n, h.proof FROM devices d
       LEFT JOIN relay_handovers h ON h.device_id = d.id AND h.hub_id = $2
       WHERE d.event_id = $1 AND NOT EXISTS (SELECT 1 FROM relay_announced a WHERE a.device_id = d.id)
       ORDER BY d.id LIMIT 500`,
      [link.eventId, link.hubId],
    );
    if (fresh.length === 0) return 0;
    const answer = await client.announce(
      fresh.map((d) => ({
        deviceId: d.id,
        name: d.name.slice(0, 100),
        ...(d.proof === null ? {} : { handover: { n: Number(d.n), proof: d.proof } }),
      })),
    );
    await sql.query(
      `INSERT INTO relay_announced (device_id, bound, reason, announced_ms)
       SELECT a.device_id, a.bound, a.reason, $2 FROM jsonb_to_recordset($1::jsonb) AS a(device_id text, bound boolean, reason text)
       ON CONFLICT (device_id) DO UPDATE SET bound = excluded.bound, reason = excluded.reason,
         announced_ms = excluded.announced_ms`,
      [JSON.stringify(answer.devices.map((d) => ({ device_id: d.deviceId, bound: d.bound, reason: d.reason }))), now()],
    );
    return fresh.length;
  }

  /** Runs rounds until stop(): every intervalMs while well, backing off while the central server is away. */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.nextMs = null;
    await this.running?.catch(() => {});
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.nextMs = this.options.now() + delayMs;
    this.timer = setTimeout(() => void this.tick(), delayMs);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    this.timer = null;
    const link = safeLink(this.options.dataDir);
    if (link === null || (this.refusedLinkMs !== null && link.linkedMs === this.refusedLinkMs)) {
      // Not linked, or refused with this very link: look again later for a new link file.
      this.schedule(this.options.intervalMs ?? DEFAULT_INTERVAL_MS);
      return;
    }
    try {
      await this.runOnce();
      this.failures = 0;
      this.lastOkMs = this.options.now();
      this.lastError = null;
      this.refusedLinkMs = null;
      this.schedule(this.options.intervalMs ?? DEFAULT_INTERVAL_MS);
    } catch (error) {
      const code = relayErrorCode(error);
      this.lastError = { code, message: (error as Error).message };
      this.options.onError?.(this.lastError);
      if (code === 'hub_revoked') this.refusedLinkMs = link.linkedMs;
      const retryAfter = error instanceof RelayHttpError ? error.retryAfterMs : 0;
      this.schedule(backoffDelay(this.failures++, this.options.random ?? Math.random, retryAfter));
    }
  }

  async status(): Promise<RelayStatus> {
    const { sql, dataDir } = this.options;
    const link = safeLink(dataDir);
    const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
    const base = {
      centralUrl: link?.centralUrl ?? '',
      hubId: link?.hubId ?? '',
      eventId: link?.eventId ?? '',
      lastOkAt: iso(this.lastOkMs),
      nextAttemptAt: iso(this.nextMs),
      lastError: this.lastError,
    };
    if (link === null) return { ...base, state: 'unlinked', pending: 0, devices: [] };
    const [pending] = await sql.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM fact_log f JOIN devices d ON d.id = f.device_id AND d.event_id = $1
       WHERE f.conference_id = $1
         AND f.device_seq > coalesce((SELECT p.sent_through FROM relay_positions p WHERE p.device_id = f.device_id), 0)
         AND NOT EXISTS (SELECT 1 FROM relay_announced a WHERE a.device_id = d.id AND NOT a.bound)`,
      [link.eventId],
    );
    const devices = await sql.query<{ device_id: string; bound: boolean; reason: string }>(
      `SELECT device_id, bound, reason FROM relay_announced ORDER BY device_id`,
      [],
    );
    const state: RelayStatus['state'] =
      this.running !== null
        ? 'relaying'
        : this.refusedLinkMs === link.linkedMs
          ? 'refused'
          : this.lastError !== null
            ? 'offline'
            : this.lastOkMs !== null
              ? 'online'
              : 'idle';
    return {
      ...base,
      state,
      pending: Number(pending?.n ?? 0),
      devices: devices.map((d) => ({ deviceId: d.device_id, bound: d.bound, reason: d.reason })),
    };
  }
}

function safeLink(dataDir: string): HubLink | null {
  try {
    return readHubLink(dataDir);
  } catch {
    return null;
  }
}
