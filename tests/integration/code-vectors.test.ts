import { createHash, createHmac } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CodeService } from '../../electron/core/badges/codes/signed-codes.ts';
import { openDatabase } from '../../electron/core/db/open.ts';
import { databaseFile } from '../../electron/core/paths.ts';
import { minimalGuest } from '../../electron/core/guests/row.ts';
import { parseCode } from '../../shared/codes/payload.ts';
import { parseShortCode } from '../../shared/codes/short.ts';
import { buildVectors, type CodeVector } from '../support/code-vectors.ts';
import { buildShortVectors, vectorKiosk, type ShortCodeVector } from '../support/short-code-vectors.ts';
import { tempDir } from '../support/temp.ts';

/** The documented test vectors (docs/badge-codes.md), shared by the signer and the verifier. */
const vectors = JSON.parse(
  fs.readFileSync(path.resolve(import.meta.dirname, '../fixtures/codes/vectors.json'), 'utf8'),
) as CodeVector[];

describe('badge code test vectors', () => {
  it('the signer reproduces every committed vector byte for byte', () => {
    expect(buildVectors()).toEqual(vectors);
  });

  it.each(vectors.map((v) => [v.description, v] as const))('the verifier accepts: %s', (_d, v) => {
    const dir = tempDir('vectors');
    const db = openDatabase(databaseFile(dir.dir));
    try {
      const codes = new CodeService(
        db,
        () => v.eventId,
        () => Date.parse('2026-05-29T02:00:00Z'),
      );
      codes.trustEventKey(v.eventKeyId, v.eventPublicKey);
      const parsed = parseCode(v.code);
      expect(parsed.ok && parsed.payload.guestId).toBe(v.payload.guestId);
      expect(codes.check(v.code)).toMatchObject({
        valid: true,
        guestId: v.payload.guestId,
        name: v.payload.name,
        keyId: v.payload.keyId,
      });
    } finally {
      db.close();
      dir.cleanup();
    }
  });
});

/** Format 2 vectors: the issuer reproduces them, an independent HMAC agrees, and a kiosk's verifier accepts them. */
const shortVectors = JSON.parse(
  fs.readFileSync(path.resolve(import.meta.dirname, '../fixtures/codes/short-vectors.json'), 'utf8'),
) as ShortCodeVector[];

describe('short badge code test vectors (format 2)', () => {
  it('the issuer reproduces every committed vector byte for byte', () => {
    expect(shortVectors.length).toBeGreaterThanOrEqual(10);
    expect(buildShortVectors()).toEqual(shortVectors);
  });

  it.each(shortVectors.map((v) => [v.description, v] as const))(
    'an independent HMAC and the verifier agree: %s',
    (_d, v) => {
      const tagHex = createHash('sha256').update(v.eventId).digest().subarray(0, 4).toString('hex');
      const pad = (n: number, w: number) => String(n).padStart(w, '0');
      const message =
        v.kind === 'roster'
          ? `lanyard-code-v2\u0000roster\u0000${tagHex}\u0000${v.guestId}`
          : `lanyard-code-v2\u0000walk-in\u0000${tagHex}\u0000${pad(v.device!, 7)}\u0000${pad(v.serial!, 5)}`;
      const mac = createHmac('sha256', Buffer.from(v.secret, 'hex')).update(message, 'utf8').digest();
      const tag = (BigInt(`0x${mac.subarray(0, 12).toString('hex')}`) % 10n ** 20n).toString().padStart(20, '0');
      const middle = v.kind === 'roster' ? '' : pad(v.device!, 7) + pad(v.serial!, 5);
      expect(v.code).toBe(`8${v.kind === 'roster' ? 1 : 2}${pad(v.generation, 2)}${middle}${tag}`);
      expect(v.code.length).toBeLessThanOrEqual(50);
      const k = vectorKiosk(v.generation);
      try {
        if (v.kind === 'roster') k.db.transaction(() => k.guests.insert(minimalGuest(v.guestId, v.guestId, '')))();
        const parsed = parseShortCode(v.code)!;
        expect(k.short.check(v.code, parsed)).toMatchObject({ valid: true, guestId: v.guestId });
        const forged = v.code.slice(0, -1) + ((Number(v.code.at(-1)) + 1) % 10);
        expect(k.short.check(forged, parseShortCode(forged)!).valid).toBe(false);
      } finally {
        k.close();
      }
    },
  );
});
