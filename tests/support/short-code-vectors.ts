import type { Database } from 'better-sqlite3';
import { ShortCodeService } from '../../electron/core/badges/codes/short-codes.ts';
import { eventTag } from '../../electron/core/badges/codes/signed-codes.ts';
import { openDatabase } from '../../electron/core/db/open.ts';
import { minimalGuest } from '../../electron/core/guests/row.ts';
import { GuestStore } from '../../electron/core/guests/store.ts';
import { MetaStore } from '../../electron/core/meta.ts';
import { databaseFile } from '../../electron/core/paths.ts';
import { testSecrets } from './secrets.ts';
import { tempDir } from './temp.ts';

/** A format 2 test vector (docs/badge-codes.md): the secret, what the tag covers, and the code. */
export interface ShortCodeVector {
  description: string;
  eventId: string;
  generation: number;
  secret: string;
  kind: 'roster' | 'walk_in';
  guestId: string;
  device: number | null;
  serial: number | null;
  code: string;
}

export const VECTOR_EVENT = 'open-day-2026';
export const VECTOR_SECRET = '03'.repeat(32);

/** A kiosk database holding the vectors' secret under `generation`; the caller closes it. */
export function vectorKiosk(generation: number): {
  db: Database;
  short: ShortCodeService;
  meta: MetaStore;
  guests: GuestStore;
  close: () => void;
} {
  const dir = tempDir('short-vectors');
  const db = openDatabase(databaseFile(dir.dir));
  const meta = new MetaStore(db);
  const short = new ShortCodeService(
    db,
    meta,
    testSecrets,
    () => Buffer.from(eventTag(VECTOR_EVENT)).toString('hex'),
    () => Date.parse('2026-05-29T02:00:00Z'),
  );
  short.installSecrets([{ generation, secret: VECTOR_SECRET, status: 'active' }]);
  return {
    db,
    short,
    meta,
    guests: new GuestStore(db),
    close: () => {
      db.close();
      dir.cleanup();
    },
  };
}

/** The vectors as the kiosk's issuer makes them today. */
export function buildShortVectors(): ShortCodeVector[] {
  const out: ShortCodeVector[] = [];
  for (const generation of [1, 42]) {
    const k = vectorKiosk(generation);
    try {
      for (const guestId of ['g0001', '刘青-0042', 'pretix:ABC123']) {
        k.db.transaction(() => k.guests.insert(minimalGuest(guestId, guestId, '')))();
        out.push({
          description: `roster badge of ${guestId}, generation ${generation}`,
          eventId: VECTOR_EVENT,
          generation,
          secret: VECTOR_SECRET,
          kind: 'roster',
          guestId,
          device: null,
          serial: null,
          code: k.short.rosterCode(guestId),
        });
      }
      k.meta.set('walk_in_device', '1234567');
      for (let i = 0; i < 2; i++) {
        const { code, guestId } = k.db.transaction(() => k.short.nextWalkIn())();
        out.push({
          description: `walk-in ${i + 1} of kiosk 1234567, generation ${generation}`,
          eventId: VECTOR_EVENT,
          generation,
          secret: VECTOR_SECRET,
          kind: 'walk_in',
          guestId,
          device: 1234567,
          serial: i + 1,
          code,
        });
      }
    } finally {
      k.close();
    }
  }
  return out;
}
