import type { z } from 'zod';
import { LanyardFailure, type ErrorCode } from '../../shared/result.ts';
import { parseRetryAfter } from '../../shared/sync/backoff.ts';
import {
  PackageResponseSchema,
  PullResponseSchema,
  SYNC_PROTOCOL_VERSION,
  type PackageResponse,
  type PulledPage,
} from '../../shared/sync/protocol.ts';
import {
  HubAnnounceResponseSchema,
  HubLinkResponseSchema,
  RelayPushResponseSchema,
  relayRoutes,
  type HubAnnounceResponse,
  type HubLinkResponse,
  type RelayPushResponse,
} from '../../shared/sync/relay.ts';

/** A request of the hub to the central server that failed; `status` 0: no answer at all. */
export class RelayHttpError extends Error {
  readonly status: number;
  readonly code: string;
  readonly retryAfterMs: number;
  constructor(answer: { status: number; code: string; message: string; retryAfterMs?: number }) {
    super(answer.message);
    this.name = 'RelayHttpError';
    this.status = answer.status;
    this.code = answer.code;
    this.retryAfterMs = answer.retryAfterMs ?? 0;
  }
}

/** Long enough for a 200-fact batch over a slow venue uplink; a hung link fails the round, which retries. */
const RELAY_TIMEOUT_MS = 30_000;

/** The hub's HTTP client for the relay routes; every answer is parsed with the shared schema. */
export class RelayClient {
  private readonly baseUrl: string;
  private readonly token: string;

  constructor(baseUrl: string, token: string) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
    this.token = token;
  }

  private async call<S extends z.ZodType>(
    path: string,
    schema: S,
    init: { body?: unknown; headers?: Record<string, string> },
  ): Promise<z.output<S>> {
    let response: Response;
    let text: string;
    try {
      response = await fetch(`${this.baseUrl}${path}`, {
        method: init.body === undefined ? 'GET' : 'POST',
        headers: {
          ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(this.token === '' ? {} : { authorization: `Bearer ${this.token}` }),
          ...init.headers,
        },
        body: init.body === undefined ? null : JSON.stringify(init.body),
        signal: AbortSignal.timeout(RELAY_TIMEOUT_MS),
      });
      text = await response.text();
    } catch (error) {
      throw new RelayHttpError({
        status: 0,
        code: 'network',
        message: `cannot reach ${this.baseUrl}: ${(error as Error).message}`,
      });
    }
    let json: unknown = null;
    try {
      json = JSON.parse(text);
    } catch {
      // Not JSON: below, as an error or a bad answer.
    }
    if (!response.ok) {
      const error = (json as { error?: { code?: unknown; message?: unknown } } | null)?.error;
      throw new RelayHttpError({
        status: response.status,
        code: typeof error?.code === 'string' ? error.code : 'http_error',
        message: typeof error?.message === 'string' ? error.message : `HTTP ${response.status} from ${path}`,
        retryAfterMs: parseRetryAfter(response.headers.get('retry-after'), Date.now()),
      });
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      throw new RelayHttpError({
        status: response.status,
        code: 'bad_response',
        message: `unexpected answer from ${path}`,
      });
    }
    return parsed.data;
  }

  link(code: string, hubId: string, eventId: string | undefined): Promise<HubLinkResponse> {
    const body = { protocol: SYNC_PROTOCOL_VERSION, code, hubId, ...(eventId === undefined ? {} : { eventId }) };
    return this.call(relayRoutes.link, HubLinkResponseSchema, { body });
  }

  announce(
    devices: ReadonlyArray<{ deviceId: string; name: string; handover?: { n: number; proof: string } }>,
  ): Promise<HubAnnounceResponse> {
    return this.call(relayRoutes.announce, HubAnnounceResponseSchema, {
      body: { protocol: SYNC_PROTOCOL_VERSION, devices },
    });
  }

  push(facts: readonly unknown[], idempotencyKey: string): Promise<RelayPushResponse> {
    return this.call(relayRoutes.push, RelayPushResponseSchema, {
      body: { protocol: SYNC_PROTOCOL_VERSION, facts },
      headers: { 'idempotency-key': idempotencyKey },
    });
  }

  pull(cursor: string, limit: number): Promise<PulledPage> {
    const query = new URLSearchParams({ cursor, limit: String(limit) });
    return this.call(`${relayRoutes.pull}?${query}`, PullResponseSchema, {});
  }

  package(): Promise<PackageResponse> {
    return this.call(relayRoutes.package, PackageResponseSchema, {});
  }
}

const PASSED_THROUGH: ReadonlySet<string> = new Set<ErrorCode>([
  'pairing_code_used',
  'pairing_code_expired',
  'pairing_code_invalid',
  'device_id_taken',
  'wrong_event',
  'rate_limited',
  'unsupported_protocol',
]);

/**
 * The stable code a relay failure is reported with (the same words a kiosk's sync uses, translated under
 * `errorCode.*`): wait for the network, link again, ask for a new code.
 */
export function relayErrorCode(error: unknown): ErrorCode {
  if (error instanceof LanyardFailure) return error.code;
  if (!(error instanceof RelayHttpError)) return 'internal';
  const { status, code } = error;
  if (status === 0 || status === 502 || status === 503 || status === 504) return 'server_unreachable';
  // The hub's token is unknown, revoked or replaced by a newer link: only linking again helps.
  if (status === 401 || status === 403) return 'hub_revoked';
  if (PASSED_THROUGH.has(code)) return code as ErrorCode;
  if (code === 'bad_response' || status === 404) return 'not_lanyard_server';
  return status >= 500 ? 'server_error' : 'sync_refused';
}
