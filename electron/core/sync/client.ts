import http from 'node:http';
import https from 'node:https';
import type { z } from 'zod';
import {
  PackageResponseSchema,
  PairResponseSchema,
  PullResponseSchema,
  PushResponseSchema,
  RollResponseSchema,
  SYNC_PROTOCOL_VERSION,
  syncRoutes,
  type PackageResponse,
  type PairResponse,
  type PulledPage,
  type PushResponse,
  type Fact,
  type Handover,
} from '../../../shared/sync/protocol.ts';
import { HubIdentitySchema, relayRoutes } from '../../../shared/sync/relay.ts';
import { parseRetryAfter } from '../../../shared/sync/backoff.ts';
import { createLogger } from '../log.ts';

/** Why a request failed, in the terms the sync loop acts on. */
export class SyncHttpError extends Error {
  /** 0 = no HTTP answer (refused, reset, timeout, cut). */
  readonly status: number;
  readonly code: string;
  readonly retryAfterMs: number;
  constructor(status: number, code: string, message: string, retryAfterMs: number) {
    super(message);
    this.name = 'SyncHttpError';
    this.status = status;
    this.code = code;
    this.retryAfterMs = retryAfterMs;
  }

  /** 401/403: the token is gone; stop and ask staff to pair again (R7). */
  get needsReauth(): boolean {
    return this.status === 401 || this.status === 403;
  }
}

const REQUEST_TIMEOUT_MS = 30_000;

const log = createLogger('sync-client');

/** A timed request: the wall clock before and after, for the clock-offset estimate (R10). */
export interface Timed<T> {
  body: T;
  sentMs: number;
  receivedMs: number;
}

/** An HTTP answer, read whole. */
interface Answer {
  status: number;
  retryAfter: string | null;
  text: string;
}

/**
 * The connection was closed or reset under a request before any answer began: undici's "other side
 * closed" (`UND_ERR_SOCKET`), or a reset. That is how a kept-alive connection the server had already
 * closed fails — its FIN still on the way when the kiosk reused it, or lost while the laptop slept — and
 * the server never read the request. A refused connection, a timeout or a DNS failure is not this.
 */
function closedUnderRequest(error: unknown): boolean {
  const code = (error as { cause?: { code?: unknown } } | null)?.cause?.code;
  return code === 'UND_ERR_SOCKET' || code === 'ECONNRESET' || code === 'EPIPE';
}

/**
 * One request on a connection of its own (node:http without an agent: never a kept-alive one). fetch's
 * pool cannot be asked for a new connection, and the next one it offers may be just as dead.
 */
function sendOnFreshConnection(
  url: URL,
  method: string,
  headers: Record<string, string>,
  body: string | null,
  signal: AbortSignal,
): Promise<Answer> {
  const transport = url.protocol === 'https:' ? https : http;
  return new Promise<Answer>((resolve, reject) => {
    const request = transport.request(url, {
      method,
      headers: body === null ? headers : { ...headers, 'content-length': String(Buffer.byteLength(body)) },
      agent: false,
      signal,
    });
    request.once('error', reject);
    request.once('response', (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.once('error', reject);
      // A cut answer ends in 'close' without 'end' (the promise is settled once; a later call is ignored).
      response.once('close', () => reject(new Error('the answer was cut')));
      response.once('end', () => {
        const retryAfter = response.headers['retry-after'];
        resolve({
          status: response.statusCode ?? 0,
          retryAfter: typeof retryAfter === 'string' ? retryAfter : null,
          text: Buffer.concat(chunks).toString('utf8'),
        });
      });
    });
    request.end(body ?? undefined);
  });
}

/** The kiosk's HTTP client for the sync protocol; every answer is parsed with the shared schema. */
export class SyncClient {
  private readonly baseUrl: string;
  private readonly now: () => number;
  token: string;

  constructor(baseUrl: string, token: string, now: () => number) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
    this.token = token;
    this.now = now;
  }

  /**
   * Sends a request and reads its answer. `safeToRepeat` (a read, or a push under its Idempotency-Key,
   * whose repeat the server answers from its record): when the connection was closed under it before any
   * answer began, it goes out once more on a fresh connection. A pairing or a token roll is never repeated
   * (a code is spent once; a second roll would orphan the first token).
   */
  private async exchange(
    method: 'GET' | 'POST',
    path: string,
    body: unknown,
    headers: Record<string, string>,
    safeToRepeat: boolean,
  ): Promise<Answer> {
    const url = `${this.baseUrl}${path}`;
    const text = body === undefined ? null : JSON.stringify(body);
    const allHeaders = {
      ...(text === null ? {} : { 'content-type': 'application/json' }),
      ...(this.token === '' ? {} : { authorization: `Bearer ${this.token}` }),
      ...headers,
    };
    const signal = AbortSignal.timeout(REQUEST_TIMEOUT_MS);
    const unreachable = (error: unknown) =>
      new SyncHttpError(0, 'network', `cannot reach ${this.baseUrl}: ${(error as Error).message}`, 0);
    let response: Response;
    try {
      response = await fetch(url, { method, headers: allHeaders, body: text, signal });
    } catch (error) {
      if (!safeToRepeat || !closedUnderRequest(error)) throw unreachable(error);
      log.info('the connection was closed under the request; sending it again on a fresh one', { path });
      try {
        return await sendOnFreshConnection(new URL(url), method, allHeaders, text, signal);
      } catch (again) {
        throw unreachable(again);
      }
    }
    try {
      // The answer began: it is never repeated from here (the server may have acted on it).
      return { status: response.status, retryAfter: response.headers.get('retry-after'), text: await response.text() };
    } catch (error) {
      throw unreachable(error);
    }
  }

  private async request<S extends z.ZodType>(
    method: 'GET' | 'POST',
    path: string,
    schema: S,
    body: unknown,
    headers: Record<string, string>,
    safeToRepeat = false,
  ): Promise<Timed<z.output<S>>> {
    const sentMs = this.now();
    const response = await this.exchange(method, path, body, headers, safeToRepeat);
    const receivedMs = this.now();
    const ok = response.status >= 200 && response.status < 300;
    let json: unknown;
    try {
      json = JSON.parse(response.text);
    } catch {
      throw new SyncHttpError(response.status || 0, 'bad_response', `not JSON from ${path} (${response.status})`, 0);
    }
    if (!ok) {
      const error = (json as { error?: { code?: string; message?: string } }).error;
      throw new SyncHttpError(
        response.status,
        error?.code ?? 'http_error',
        error?.message ?? `HTTP ${response.status}`,
        parseRetryAfter(response.retryAfter, receivedMs),
      );
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      throw new SyncHttpError(
        response.status,
        'bad_response',
        `unexpected answer from ${path}: ${parsed.error.message}`,
        0,
      );
    }
    return { body: parsed.data, sentMs, receivedMs };
  }

  pair(code: string, deviceId: string, handover: Handover | null = null): Promise<Timed<PairResponse>> {
    return this.request(
      'POST',
      syncRoutes.pair,
      PairResponseSchema,
      {
        protocol: SYNC_PROTOCOL_VERSION,
        code,
        deviceId,
        ...(handover === null ? {} : { handover }),
      },
      {},
    );
  }

  /**
   * A venue hub's id (for a hand-over proof); a central server answers 404. A read, so safe to send again
   * when a kept-alive connection was closed under it: otherwise that blip would pair a door with a hub
   * without its hand-over proof, and the hub could never relay for it.
   */
  hubIdentity(): Promise<Timed<{ hubId: string }>> {
    return this.request('GET', relayRoutes.identity, HubIdentitySchema, undefined, {}, true);
  }

  push(facts: readonly Fact[], idempotencyKey: string): Promise<Timed<PushResponse>> {
    return this.request(
      'POST',
      syncRoutes.push,
      PushResponseSchema,
      { protocol: SYNC_PROTOCOL_VERSION, facts },
      { 'idempotency-key': idempotencyKey },
      true,
    );
  }

  pull(cursor: string, limit: number): Promise<Timed<PulledPage>> {
    const query = new URLSearchParams({ cursor, limit: String(limit) });
    return this.request('GET', `${syncRoutes.pull}?${query}`, PullResponseSchema, undefined, {}, true);
  }

  package(): Promise<Timed<PackageResponse>> {
    return this.request('GET', syncRoutes.package, PackageResponseSchema, undefined, {}, true);
  }

  roll(): Promise<Timed<{ token: string }>> {
    return this.request('POST', syncRoutes.roll, RollResponseSchema, {}, {});
  }
}
