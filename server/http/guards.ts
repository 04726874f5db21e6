import type { FastifyInstance, FastifyRequest } from 'fastify';
import { timingSafeEqual } from 'node:crypto';
import { hashSecret } from '../store/devices.ts';

/**
 * Guards every route shares: security headers, the metrics gate and a per-client rate limit.
 * They key on the socket's address, never on X-Forwarded-For, unless the operator configured a proxy to
 * trust (Fastify's `trustProxy`): a client cannot choose its own address to dodge a limit or reach /metrics.
 */

/** Headers for every answer. Routes that serve HTML set their own Content-Security-Policy first. */
export function addSecurityHeaders(app: FastifyInstance): void {
  app.addHook('onSend', async (_request, reply, payload) => {
    void reply.header('x-content-type-options', 'nosniff');
    void reply.header('x-frame-options', 'DENY');
    void reply.header('referrer-policy', 'no-referrer');
    void reply.header('cross-origin-resource-policy', 'same-origin');
    if (!reply.hasHeader('content-security-policy')) {
      // JSON and text answers: nothing in them may run or be framed if a browser opens one.
      void reply.header('content-security-policy', "default-src 'none'; frame-ancestors 'none'");
    }
    if (!reply.hasHeader('cache-control')) void reply.header('cache-control', 'no-store');
    return payload;
  });
}

export function isLoopback(address: string | undefined): boolean {
  if (address === undefined) return false;
  return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
}

/**
 * Who may read /metrics: with a metrics token, whoever presents it (Bearer); without one, only clients on
 * this machine (a Prometheus agent beside the server). The counters are not secret data, but they tell an
 * outsider how many devices and events an event has and when doors are busy.
 */
export function metricsAllowed(request: FastifyRequest, metricsTokenHash: string | null): boolean {
  if (metricsTokenHash === null) return isLoopback(request.socket.remoteAddress);
  const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
  if (match === null) return false;
  const given = Buffer.from(hashSecret(match[1]!), 'hex');
  const expected = Buffer.from(metricsTokenHash, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * A fixed-window counter per client address. Pairing codes are 8+ characters from a large alphabet and
 * live 15 minutes, so guessing is already hopeless; the limit keeps a script from trying anyway and from
 * filling the log. Memory is bounded: the table is cleared when a window ends.
 */
export class RateLimiter {
  private windowStart = 0;
  private readonly counts = new Map<string, number>();
  private readonly limit: number;
  private readonly windowMs: number;
  private readonly now: () => number;
  constructor(limit: number, windowMs: number, now: () => number) {
    this.limit = limit;
    this.windowMs = windowMs;
    this.now = now;
  }

  /** Counts one attempt from `client`; false when it is over the limit for the current window. */
  take(client: string): boolean {
    const now = this.now();
    if (now - this.windowStart >= this.windowMs) {
      this.windowStart = now;
      this.counts.clear();
    }
    const count = (this.counts.get(client) ?? 0) + 1;
    this.counts.set(client, count);
    return count <= this.limit;
  }

  secondsLeft(): number {
    return Math.max(1, Math.ceil((this.windowStart + this.windowMs - this.now()) / 1000));
  }
}
