import net from 'node:net';
import {
  codeOf,
  newKiosk,
  pairingCode,
  publish,
  visibleState,
  type TestKiosk,
  type TestServer,
} from './sync-server.ts';
import { must } from './call.ts';

/**
 * A fault-injecting TCP proxy for sync tests (R28), in the manner of Toxiproxy: kiosks pair with
 * `proxy.url`, the proxy forwards to the server, and the test switches faults at run time. A fault
 * applies to every byte from the moment it is set, on new and already open (keep-alive) connections.
 *
 * - `pass`: plain forwarding.
 * - `reset`: forwards at most `afterBytes` of the request (default 0: nothing, reset on accept), then
 *   resets both sides (RST, `ECONNRESET` for the client); the server never sees a whole request.
 * - `latency`: every chunk, both ways, waits `ms` ± `jitterMs` (order kept, like a slow link).
 * - `bandwidth`: both ways paced to `bytesPerSecond`, shared by all connections (one slow link).
 * - `cut`: the request goes through, the answer is cut after `afterBytes` bytes and both sides closed
 *   (Toxiproxy `limit_data`): the server has already committed, the client sees a broken answer.
 * - `hang`: nothing moves either way (a black hole); held bytes flow again once the fault is changed,
 *   or, with `resetAfterMs`, the held connection is reset after that time (a fast-failing timeout).
 * - `close-kept-alive`: a connection opened before this fault was set (kept alive by the client) is closed
 *   (FIN) as the first bytes of its next request arrive, and they are never forwarded — the server closing an
 *   idle keep-alive connection just as the client reuses it (its FIN still on the way, or lost while the
 *   laptop slept). The request is never answered; new connections pass.
 * - `random`: each connection draws one of `choices` (seeded, so a failing run repeats).
 */
export type Fault =
  | { kind: 'pass' }
  | { kind: 'reset'; afterBytes?: number }
  | { kind: 'latency'; ms: number; jitterMs?: number }
  | { kind: 'bandwidth'; bytesPerSecond: number }
  | { kind: 'cut'; afterBytes: number }
  | { kind: 'hang'; resetAfterMs?: number }
  | { kind: 'close-kept-alive' }
  | { kind: 'random'; choices: Fault[] };

type Concrete = Exclude<Fault, { kind: 'random' }>;

export interface ProxyStats {
  /** Connections accepted from clients. */
  connections: number;
  /** Connections still open. */
  open: number;
  /** Connections ended by a `reset` fault (or a `hang` that timed out). */
  resets: number;
  /** Answers cut by a `cut` fault. */
  cuts: number;
  /** Connections that held bytes under `hang`. */
  hung: number;
  /** Kept-alive connections closed by `close-kept-alive` as a request arrived. */
  keptAliveClosed: number;
  /** Bytes delivered to the server and to the clients. */
  bytesUp: number;
  bytesDown: number;
}

/** What passed through one connection, as delivered (after faults): for reading HTTP exchanges. */
export interface Recording {
  id: number;
  up: Buffer[];
  down: Buffer[];
  /** For each chunk of `up`: its place in the order of all recorded requests' chunks (all connections). */
  upOrder: number[];
}

export interface FaultProxy {
  /** `http://127.0.0.1:<port>`: pair kiosks with this. */
  readonly url: string;
  readonly port: number;
  readonly stats: ProxyStats;
  readonly fault: Fault;
  /** Changes the fault for every byte from now on. */
  setFault(fault: Fault): void;
  /** Back to pass-through; held (hung) bytes are released. */
  heal(): void;
  /** Where new connections go (e.g. the server came back on another port). */
  setUpstream(port: number, host?: string): void;
  /** Resets every open connection now (a network blip). */
  resetAll(): void;
  /** Keep what passes through each connection from now on (see `httpExchanges`). */
  record(on: boolean): void;
  readonly recordings: Recording[];
  close(): Promise<void>;
}

/** xorshift32: a small seeded generator, so a run's fault draws can be repeated. */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 0x9e3779b9;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 0x100000000;
  };
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = () => {};
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms)));

export async function startFaultProxy(options: {
  upstreamPort: number;
  upstreamHost?: string;
  seed?: number;
}): Promise<FaultProxy> {
  let upstream = { port: options.upstreamPort, host: options.upstreamHost ?? '127.0.0.1' };
  let fault: Fault = { kind: 'pass' };
  /** Bumped on every fault change: per-connection byte budgets start over, hung pumps wake up. */
  let generation = 0;
  let changed = deferred();
  let recording = false;
  let recordedChunks = 0;
  const random = rng(options.seed ?? 1);
  const recordings: Recording[] = [];
  const stats: ProxyStats = {
    connections: 0,
    open: 0,
    resets: 0,
    cuts: 0,
    hung: 0,
    keptAliveClosed: 0,
    bytesUp: 0,
    bytesDown: 0,
  };
  const live = new Set<Connection>();
  /** When the shared link (bandwidth fault) is free again, per direction. */
  const link = { up: 0, down: 0 };

  interface Connection {
    id: number;
    client: net.Socket;
    server: net.Socket;
    closed: boolean;
    /** The concrete fault of this connection for `generation` (a `random` fault is drawn once). */
    drawn: { generation: number; fault: Concrete; up: number; down: number };
    recording: Recording | null;
    hungCounted: boolean;
    /** The fault generation the connection was opened under. */
    openedIn: number;
  }

  const concrete = (c: Connection): Connection['drawn'] => {
    if (c.drawn.generation !== generation) {
      let f: Fault = fault;
      while (f.kind === 'random') f = f.choices[Math.floor(random() * f.choices.length)]!;
      c.drawn = { generation, fault: f, up: 0, down: 0 };
    }
    return c.drawn;
  };

  const kill = (c: Connection, how: 'reset' | 'close') => {
    if (c.closed) return;
    c.closed = true;
    live.delete(c);
    stats.open -= 1;
    if (how === 'reset') {
      if (!c.client.destroyed) c.client.resetAndDestroy();
      if (!c.server.destroyed) c.server.resetAndDestroy();
    } else {
      c.client.destroy();
      c.server.destroy();
    }
  };

  /**
   * One direction of a connection: chunks queue up and a single pump delivers them in order, asking the
   * connection's current fault about each (so a fault set mid-stream applies to the next byte).
   */
  const pipe = (c: Connection, dir: 'up' | 'down') => {
    const from = dir === 'up' ? c.client : c.server;
    const to = dir === 'up' ? c.server : c.client;
    const queue: Array<Buffer | null> = []; // null: the sender ended
    let pumping = false;
    let nextDue = 0;

    const deliver = (chunk: Buffer) => {
      if (c.closed || to.destroyed) return;
      to.write(chunk);
      if (dir === 'up') stats.bytesUp += chunk.length;
      else stats.bytesDown += chunk.length;
      if (recording && c.recording === null) {
        // Turned on while this (keep-alive) connection sat idle: it starts at a message boundary.
        c.recording = { id: c.id, up: [], down: [], upOrder: [] };
        recordings.push(c.recording);
      }
      if (!recording) c.recording = null;
      c.recording?.[dir].push(Buffer.from(chunk));
      if (dir === 'up') c.recording?.upOrder.push(recordedChunks++);
    };

    const pump = async () => {
      if (pumping) return;
      pumping = true;
      try {
        while (queue.length > 0 && !c.closed) {
          const chunk = queue[0]!;
          const drawn = concrete(c);
          const f = drawn.fault;
          if (f.kind === 'hang') {
            if (!c.hungCounted) {
              c.hungCounted = true;
              stats.hung += 1;
            }
            const wake = changed.promise;
            if (f.resetAfterMs === undefined) await wake;
            else {
              const timedOut = await Promise.race([wake.then(() => false), sleep(f.resetAfterMs).then(() => true)]);
              if (timedOut && drawn.generation === generation) {
                stats.resets += 1;
                kill(c, 'reset');
              }
            }
            continue; // the fault changed (or the connection died): look again
          }
          queue.shift();
          if (chunk === null) {
            if (!to.destroyed) to.end();
            continue;
          }
          switch (f.kind) {
            case 'pass':
              deliver(chunk);
              break;
            case 'reset': {
              const allowed = dir === 'up' ? Math.max(0, (f.afterBytes ?? 0) - drawn.up) : 0;
              if (allowed > 0) deliver(chunk.subarray(0, allowed));
              drawn.up += Math.min(allowed, chunk.length);
              if (allowed < chunk.length) {
                stats.resets += 1;
                // Let the allowed bytes leave before the RST.
                if (allowed > 0) await sleep(20);
                kill(c, 'reset');
              }
              break;
            }
            case 'cut': {
              if (dir === 'up') {
                deliver(chunk);
                break;
              }
              const allowed = Math.max(0, f.afterBytes - drawn.down);
              if (allowed > 0) deliver(chunk.subarray(0, allowed));
              drawn.down += Math.min(allowed, chunk.length);
              if (allowed < chunk.length) {
                // The answer so far goes out, then FIN; the server's side is dropped.
                stats.cuts += 1;
                c.closed = true;
                live.delete(c);
                stats.open -= 1;
                c.server.destroy();
                c.client.end();
                setTimeout(() => c.client.destroy(), 200).unref();
                return;
              }
              break;
            }
            case 'latency': {
              const jitter = f.jitterMs ?? 0;
              const delay = f.ms + (random() * 2 - 1) * jitter;
              nextDue = Math.max(nextDue, Date.now() + delay);
              await sleep(nextDue - Date.now());
              deliver(chunk);
              break;
            }
            case 'close-kept-alive': {
              if (dir === 'down' || c.openedIn === generation) {
                deliver(chunk);
                break;
              }
              stats.keptAliveClosed += 1;
              kill(c, 'close');
              return;
            }
            case 'bandwidth': {
              // One link for all connections: each direction's bytes share `bytesPerSecond`.
              const slice = Math.max(1, Math.floor(f.bytesPerSecond / 50));
              for (let at = 0; at < chunk.length && !c.closed; at += slice) {
                const piece = chunk.subarray(at, at + slice);
                const due = Math.max(link[dir], Date.now()) + (piece.length / f.bytesPerSecond) * 1000;
                link[dir] = due;
                await sleep(due - Date.now());
                deliver(piece);
              }
              break;
            }
          }
        }
      } finally {
        pumping = false;
      }
    };

    from.on('data', (chunk: Buffer) => {
      queue.push(chunk);
      void pump();
    });
    from.on('end', () => {
      queue.push(null);
      void pump();
    });
    from.on('close', () => {
      // The other side learns once everything queued before the close has gone out.
      const drain = async () => {
        while (queue.length > 0 && !c.closed) await sleep(5);
        kill(c, 'close');
      };
      void drain();
    });
    from.on('error', () => kill(c, 'close'));
  };

  let nextId = 1;
  const server = net.createServer({ allowHalfOpen: true }, (client) => {
    stats.connections += 1;
    client.on('error', () => {});
    const first: Fault = fault;
    if (first.kind === 'reset' && (first.afterBytes ?? 0) === 0) {
      // Refused at once: the server never hears of it.
      stats.resets += 1;
      client.resetAndDestroy();
      return;
    }
    stats.open += 1;
    const upstreamSocket = net.connect({ port: upstream.port, host: upstream.host, allowHalfOpen: true });
    upstreamSocket.on('error', () => {});
    const c: Connection = {
      id: nextId++,
      client,
      server: upstreamSocket,
      closed: false,
      drawn: { generation: -1, fault: { kind: 'pass' }, up: 0, down: 0 },
      recording: null,
      hungCounted: false,
      openedIn: generation,
    };
    client.setNoDelay(true);
    c.server.setNoDelay(true);
    live.add(c);
    pipe(c, 'up');
    pipe(c, 'down');
  });
  server.on('error', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;

  const setFault = (next: Fault) => {
    fault = next;
    generation += 1;
    const wake = changed;
    changed = deferred();
    wake.resolve();
  };

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    stats,
    get fault() {
      return fault;
    },
    setFault,
    heal: () => setFault({ kind: 'pass' }),
    setUpstream: (p, host = '127.0.0.1') => {
      upstream = { port: p, host };
    },
    resetAll: () => {
      for (const c of [...live]) {
        stats.resets += 1;
        kill(c, 'reset');
      }
    },
    record: (on) => {
      recording = on;
    },
    recordings,
    close: async () => {
      for (const c of [...live]) kill(c, 'close');
      await new Promise<void>((resolve) => server.close(() => resolve()));
      changed.resolve();
    },
  };
}

export interface HttpExchange {
  /** Sorts exchanges of all connections in the order their requests went out. */
  order: number;
  method: string;
  path: string;
  requestHeaders: Record<string, string>;
  requestBody: string;
  /** null: the answer never arrived whole (cut, reset). */
  status: number | null;
  responseBody: string | null;
}

interface Message {
  /** Offset of its first byte in the connection's stream. */
  offset: number;
  start: string;
  headers: Record<string, string>;
  body: string;
}

/** HTTP/1.1 messages with Content-Length or chunked bodies; a partial last message is left out. */
function parseMessages(bytes: Buffer): Message[] {
  const out: Message[] = [];
  let at = 0;
  for (;;) {
    const end = bytes.indexOf('\r\n\r\n', at);
    if (end < 0) return out;
    const [start = '', ...lines] = bytes.subarray(at, end).toString('latin1').split('\r\n');
    const headers: Record<string, string> = {};
    for (const line of lines) {
      const colon = line.indexOf(':');
      headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    let cursor = end + 4;
    let body: Buffer;
    if (headers['transfer-encoding']?.includes('chunked') === true) {
      const parts: Buffer[] = [];
      for (;;) {
        const lineEnd = bytes.indexOf('\r\n', cursor);
        if (lineEnd < 0) return out;
        const size = parseInt(bytes.subarray(cursor, lineEnd).toString('latin1'), 16);
        if (!Number.isFinite(size) || lineEnd + 2 + size + 2 > bytes.length) return out;
        parts.push(bytes.subarray(lineEnd + 2, lineEnd + 2 + size));
        cursor = lineEnd + 2 + size + 2;
        if (size === 0) break;
      }
      body = Buffer.concat(parts);
    } else {
      const length = Number(headers['content-length'] ?? '0');
      if (cursor + length > bytes.length) return out;
      body = bytes.subarray(cursor, cursor + length);
      cursor += length;
    }
    out.push({ offset: at, start, headers, body: body.toString('utf8') });
    at = cursor;
  }
}

/** The HTTP exchanges of a recorded connection, requests paired with the answers the client got. */
export function httpExchanges(recording: Recording): HttpExchange[] {
  const requests = parseMessages(Buffer.concat(recording.up));
  const responses = parseMessages(Buffer.concat(recording.down));
  const chunkAt = (offset: number): number => {
    let end = 0;
    for (const [i, chunk] of recording.up.entries()) {
      end += chunk.length;
      if (offset < end) return recording.upOrder[i]!;
    }
    return Number.MAX_SAFE_INTEGER;
  };
  return requests.map((request, i) => {
    const [method = '', path = ''] = request.start.split(' ');
    const response = responses[i];
    return {
      order: chunkAt(request.offset),
      method,
      path,
      requestHeaders: request.headers,
      requestBody: request.body,
      status: response === undefined ? null : Number(response.start.split(' ')[1]),
      responseBody: response?.body ?? null,
    };
  });
}

// ——— Kiosks behind a proxy ———

/**
 * Like `cluster()`, but every kiosk pairs with `url` (the proxy), so all its sync traffic goes through
 * it: a kiosk keeps the URL it paired with. The organiser's publish and the pairing codes go straight
 * to the server.
 */
export async function clusterThrough(
  server: TestServer,
  url: string,
  doors: string[],
): Promise<{ eventId: string; kiosks: TestKiosk[] }> {
  const first = newKiosk(doors[0]!);
  must(first.kiosk, 'event.loadDemo', {});
  const eventId = await publish(server, first.kiosk);
  const kiosks = [first, ...doors.slice(1).map((d) => newKiosk(d))];
  for (const [i, k] of kiosks.entries()) {
    await k.kiosk.sync!.engine.pair(url, await pairingCode(server, eventId, doors[i]!));
  }
  return { eventId, kiosks };
}

export function deviceIdOf(k: TestKiosk): string {
  return must(k.kiosk, 'app.status', {}).device!.id;
}

/**
 * Door traffic on one kiosk: guests in turn are scanned; a guest this kiosk already let in has that
 * check-in undone instead (so a guest can go round again). A guest let in only by another door is
 * passed over: two kiosks voiding one check-in is a different story (see the report on checkin_voids).
 * Writes exactly `events` events.
 */
export function doorTraffic(k: TestKiosk, guestIds: readonly string[], events: number, offset = 0): number {
  const db = k.kiosk.db!;
  const deviceId = deviceIdOf(k);
  const ownLive = db
    .prepare(
      `SELECT fact_id FROM checkins c WHERE guest_id = ? AND device_id = ?
         AND NOT EXISTS (SELECT 1 FROM checkin_voids v WHERE v.checkin_fact_id = c.fact_id)
       ORDER BY hlc DESC LIMIT 1`,
    )
    .pluck();
  let written = 0;
  for (let i = 0; written < events; i++) {
    if (i > events * 20) throw new Error('door traffic: every guest is in through another door');
    const guestId = guestIds[(offset + i) % guestIds.length]!;
    const result = must(k.kiosk, 'guests.scan', { code: codeOf(k, guestId) });
    if (result.status === 'checked_in') written += 1;
    else if (result.status === 'already_checked_in') {
      const own = ownLive.get(guestId, deviceId) as string | undefined;
      if (own === undefined) continue;
      must(k.kiosk, 'checkins.undo', { checkinId: own });
      written += 1;
    } else throw new Error(`scan of ${guestId}: ${result.status}`);
  }
  return written;
}

/** A sync attempt that may fail (a fault is on): 'ok' or the failure's code. */
export async function attemptSync(k: TestKiosk): Promise<string> {
  try {
    await k.kiosk.sync!.engine.syncOnce();
    return 'ok';
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  }
}

export interface SyncFacts {
  /** The server's ids of events written by these kiosks, sorted. */
  serverIds: string[];
  /** All events the server holds for this event (other kiosks' too). */
  serverTotal: number;
  /** Every kiosk's own event ids, together, sorted. */
  kioskIds: string[];
  /** Events each kiosk wrote itself. */
  ownCounts: number[];
  /** (device_id, device_seq) pairs held more than once on the server. */
  duplicateSeqs: number;
  /** All events each kiosk holds (its own and pulled). */
  localTotals: number[];
  pending: number[];
  rejected: number[];
  /** Per kiosk: its acked watermark, the server's contiguous watermark for it, its highest own seq. */
  acked: Array<{ kiosk: number; server: number; last: number }>;
  states: unknown[];
}

export async function syncFacts(server: TestServer, eventId: string, kiosks: TestKiosk[]): Promise<SyncFacts> {
  const serverRows = await server.sql.query<{ fact_id: string; device_id: string }>(
    `SELECT fact_id::text AS fact_id, device_id FROM fact_log WHERE conference_id = $1`,
    [eventId],
  );
  const devices = new Set(kiosks.map(deviceIdOf));
  const dup = await server.sql.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM (SELECT device_id, device_seq FROM fact_log WHERE conference_id = $1
       GROUP BY 1, 2 HAVING count(*) > 1) d`,
    [eventId],
  );
  const progress = await server.sql.query<{ device_id: string; contiguous_seq: number }>(
    `SELECT device_id, contiguous_seq::int AS contiguous_seq FROM device_progress WHERE conference_id = $1`,
    [eventId],
  );
  const serverAcked = new Map(progress.map((p) => [p.device_id, p.contiguous_seq]));
  const own = kiosks.map((k) => {
    const db = k.kiosk.db!;
    const deviceId = deviceIdOf(k);
    return {
      ids: db.prepare(`SELECT id FROM facts WHERE device_id = ?`).pluck().all(deviceId) as string[],
      last: (db.prepare(`SELECT max(device_seq) FROM facts WHERE device_id = ?`).pluck().get(deviceId) ?? 0) as number,
      acked: Number(db.prepare(`SELECT value FROM meta WHERE key = 'sync_acked'`).pluck().get() ?? -1),
      server: serverAcked.get(deviceId) ?? 0,
    };
  });
  return {
    serverIds: serverRows
      .filter((r) => devices.has(r.device_id))
      .map((r) => r.fact_id)
      .sort(),
    serverTotal: serverRows.length,
    kioskIds: own.flatMap((o) => o.ids).sort(),
    ownCounts: own.map((o) => o.ids.length),
    duplicateSeqs: dup[0]!.n,
    localTotals: kiosks.map((k) => k.kiosk.db!.prepare(`SELECT count(*) FROM facts`).pluck().get() as number),
    pending: kiosks.map((k) => k.kiosk.sync!.engine.status().pending),
    rejected: kiosks.map((k) => k.kiosk.sync!.engine.status().rejected),
    acked: own.map((o) => ({ kiosk: o.acked, server: o.server, last: o.last })),
    states: kiosks.map(visibleState),
  };
}
