import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CodeService } from '../../electron/core/codes.ts';
import { openDatabase } from '../../electron/core/db/open.ts';
import { databaseFile } from '../../electron/core/paths.ts';
import { parseCode } from '../../shared/codes/payload.ts';
import { buildVectors, type CodeVector } from '../support/code-vectors.ts';
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
