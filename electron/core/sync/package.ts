import type { Database } from 'better-sqlite3';
import type { EventPackage, PackageGuest } from '../../../shared/sync/protocol.ts';
import { LanyardFailure } from '../../../shared/result.ts';
import { canonicalJson } from '../../../shared/sync/canonical.ts';
import { carriesDetails, setCarriesDetails } from '../badges/codes/handlers.ts';
import type { CodeService } from '../badges/codes/signed-codes.ts';
import { applyPublishedSetup } from '../event/published.ts';
import { MetaStore } from '../meta.ts';
import { readEvent, writeEvent } from '../event/store.ts';
import { loadGuestRecords } from '../guests/records.ts';
import type { GuestRecord, GuestStore } from '../guests/store.ts';

function readGuests(db: Database): PackageGuest[] {
  return loadGuestRecords(db).map(({ source: _source, ...guest }) => guest);
}

/** What `lanyard publish` uploads: the event, its forums, the roster, public keys and revocations. */
export function buildPackage(db: Database, codes: CodeService | null = null): EventPackage {
  const event = readEvent(db);
  if (event === null) throw new LanyardFailure('no_event', 'this kiosk has no event to publish');
  const keys = db
    .prepare(`SELECT key_id, kind, public_key, certificate, status FROM signing_keys WHERE length(public_key) = 32`)
    .all() as Array<{
    key_id: number;
    kind: 'event' | 'device';
    public_key: Buffer;
    certificate: Buffer;
    status: 'active' | 'retired' | 'revoked';
  }>;
  const revoked = db.prepare(`SELECT guest_id, reason FROM revoked_codes ORDER BY guest_id`).all() as Array<{
    guest_id: string;
    reason: string;
  }>;
  return {
    event,
    guests: readGuests(db),
    keys: keys.map((k) => ({
      keyId: k.key_id,
      kind: k.kind,
      publicKey: k.public_key.toString('hex'),
      certificate: k.certificate.toString('hex'),
      status: k.status,
    })),
    revokedCodes: revoked.map((r) => ({ guestId: r.guest_id, reason: r.reason })),
    ...(codes?.short
      ? { codeSecrets: codes.short.exportSecrets(), codeDetails: carriesDetails(new MetaStore(db)) }
      : {}),
  };
}

function toRecord(g: PackageGuest): GuestRecord {
  return { ...g, source: g.walkIn ? 'walk_in' : 'import' };
}

/**
 * Installs (first pairing) or refreshes (a newer revision) the event's package on this kiosk: new guests
 * are added, changed ones rewritten; nothing of the event log or its projections is touched, so no
 * check-in is ever lost by a roster refresh. The caller holds the transaction.
 */
export function installPackage(db: Database, pkg: EventPackage, guests: GuestStore, codes: CodeService): void {
  const current = readEvent(db);
  if (current === null) writeEvent(db, pkg.event);
  else if (current.id !== pkg.event.id) {
    throw new LanyardFailure(
      'forbidden',
      `this kiosk holds event ${current.id}; the server's is ${pkg.event.id} — use a fresh data directory`,
    );
  } else {
    applyPublishedSetup(db, pkg.event);
  }
  const forums = new Set((readEvent(db)?.forums ?? []).map((f) => f.id));
  const local = new Map(readGuests(db).map((g) => [g.id, canonicalJson(g)]));
  const fresh: GuestRecord[] = [];
  for (const g of pkg.guests) {
    const guest = { ...g, forumPreferences: g.forumPreferences.filter((f) => forums.has(f)) };
    const known = local.get(g.id);
    if (known === undefined) fresh.push(toRecord(guest));
    else if (known !== canonicalJson(guest)) guests.update(toRecord(guest));
  }
  guests.insertMany(fresh);
  for (const key of pkg.keys) {
    const have = codes.listKeys().find((k) => k.keyId === key.keyId);
    if (key.kind === 'event' && have === undefined) codes.trustEventKey(key.keyId, key.publicKey);
    if (key.status !== 'active' && have?.status !== key.status) codes.setKeyStatus(key.keyId, key.status);
  }
  for (const r of pkg.revokedCodes) codes.revokeCode(r.guestId, r.reason, 'server');
  if (pkg.codeSecrets !== undefined) codes.short?.installSecrets(pkg.codeSecrets);
  if (pkg.codeDetails !== undefined) setCarriesDetails(new MetaStore(db), pkg.codeDetails);
}
