import type { FastifyRequest } from 'fastify';
import { timingSafeEqual } from 'node:crypto';
import type { z } from 'zod';
import type { SyncErrorCode } from '../../shared/sync/protocol.ts';
import { hashSecret } from '../store/devices.ts';

/**
 * What every route does with a request before its own work: parse the body with a shared schema, read the
 * bearer token, check the admin token. The routes import these from here (not from app.ts, which imports
 * the routes), and app.ts's error handler turns an HttpFailure into the protocol's error body.
 */

/** A failed request: the status and the protocol's error body. */
export class HttpFailure extends Error {
  readonly status: number;
  readonly code: SyncErrorCode;
  constructor(status: number, code: SyncErrorCode, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/** Parses untrusted input with a shared protocol schema; a mismatch is a 400 naming the field. */
export function parseBody<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
    const unsupported = issue?.path[0] === 'protocol';
    throw new HttpFailure(
      400,
      unsupported ? 'unsupported_protocol' : 'invalid_request',
      `${where}${issue?.message ?? 'invalid'}`,
    );
  }
  return parsed.data;
}

export function bearerToken(request: FastifyRequest): string {
  const header = request.headers.authorization ?? '';
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (match === null) throw new HttpFailure(401, 'unauthorized', 'an Authorization: Bearer token is required');
  return match[1]!;
}

export function requireAdmin(request: FastifyRequest, adminTokenHash: string): void {
  const given = Buffer.from(hashSecret(bearerToken(request)), 'hex');
  const expected = Buffer.from(adminTokenHash, 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new HttpFailure(401, 'unauthorized', 'admin token required');
  }
}
