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
} from '../../../shared/sync/protocol.ts';
import { parseRetryAfter } from '../../../shared/sync/backoff.ts';

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

/** A timed request: the wall clock before and after, for the clock-offset estimate (R10). */
export interface Timed<T> {
  body: T;
  sentMs: number;
  receivedMs: number;
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

  private async request<S extends z.ZodType>(
    method: 'GET' | 'POST',
    path: string,
    schema: S,
    body: unknown,
    headers: Record<string, string>,
  ): Promise<Timed<z.output<S>>> {
    const sentMs = this.now();
    let response: Response;
    let text: string;
    try {
      response = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers: {
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(this.token === '' ? {} : { authorization: `Bearer ${this.token}` }),
          ...headers,
        },
        body: body === undefined ? null : JSON.stringify(body),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      text = await response.text();
    } catch (error) {
      throw new SyncHttpError(0, 'network', `cannot reach ${this.baseUrl}: ${(error as Error).message}`, 0);
    }
    const receivedMs = this.now();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new SyncHttpError(response.status || 0, 'bad_response', `not JSON from ${path} (${response.status})`, 0);
    }
    if (!response.ok) {
      const error = (json as { error?: { code?: string; message?: string } }).error;
      throw new SyncHttpError(
        response.status,
        error?.code ?? 'http_error',
        error?.message ?? `HTTP ${response.status}`,
        parseRetryAfter(response.headers.get('retry-after'), receivedMs),
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

  pair(code: string, deviceId: string): Promise<Timed<PairResponse>> {
    return this.request(
      'POST',
      syncRoutes.pair,
      PairResponseSchema,
      {
        protocol: SYNC_PROTOCOL_VERSION,
        code,
        deviceId,
      },
      {},
    );
  }

  push(facts: readonly Fact[], idempotencyKey: string): Promise<Timed<PushResponse>> {
    return this.request(
      'POST',
      syncRoutes.push,
      PushResponseSchema,
      { protocol: SYNC_PROTOCOL_VERSION, facts },
      { 'idempotency-key': idempotencyKey },
    );
  }

  pull(cursor: string, limit: number): Promise<Timed<PulledPage>> {
    const query = new URLSearchParams({ cursor, limit: String(limit) });
    return this.request('GET', `${syncRoutes.pull}?${query}`, PullResponseSchema, undefined, {});
  }

  package(): Promise<Timed<PackageResponse>> {
    return this.request('GET', syncRoutes.package, PackageResponseSchema, undefined, {});
  }

  roll(): Promise<Timed<{ token: string }>> {
    return this.request('POST', syncRoutes.roll, RollResponseSchema, {}, {});
  }
}
