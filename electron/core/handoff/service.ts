import { createHash } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import type { z } from 'zod';
import {
  SECRET_PACKAGE_FIELDS,
  SETUP_FILE_FORMAT,
  SETUP_FILE_VERSION,
  SetupFileSchema,
  SetupSecretsSchema,
  setupFileName,
  type SetupFile,
  type SetupSecrets,
} from '../../../shared/handoff/setup-file.ts';
import type { EventInfo } from '../../../shared/domain.ts';
import { LanyardFailure } from '../../../shared/result.ts';
import { listKey } from '../../../shared/roster/lists.ts';
import { canonicalJson } from '../../../shared/sync/canonical.ts';
import { EventPackageSchema, type EventPackage } from '../../../shared/sync/protocol.ts';
import type { CodeService } from '../badges/codes/signed-codes.ts';
import { readEvent } from '../event/store.ts';
import type { GuestStore } from '../guests/store.ts';
import { createLogger } from '../log.ts';
import type { MetaStore } from '../meta.ts';
import { buildPackage, installPackage } from '../sync/package.ts';
import { openWithPassphrase, sealWithPassphrase } from './seal.ts';

const log = createLogger('handoff');

/**
 * Hand-off between kiosks without a server. Kiosk A writes one file — the event package a
 * server would send (event, forums, roster, public keys, revocations) plus badge settings — and kiosk B is
 * set up from it with the same reader pairing uses, so both hold the same event id and later pair with one
 * server without duplicating anything.
 *
 * What a passphrase seals. First the event's code secrets (format 2 badge codes are HMACs under them,
 * docs/badge-codes.md): without them kiosk B could not tell A's badges from forgeries, and anyone holding
 * them can make badges, so a file always needs a passphrase. Then a signing key. Long-form walk-in badges
 * (an event that carries names in its codes) are signed by a kiosk's device key
 * that the event key certifies (docs/badge-codes.md). Kiosk B needs such a key, and there are two ways to
 * give it one through a one-way USB stick: copy the event's private key, or let A make and certify a new
 * device key for B and send that. We send the device key. With it B signs badges every door verifies, but
 * it cannot certify further kiosks or mint event keys; a lost stick (and its passphrase) costs one device
 * key, revoked with `lanyard keys revoke ID` at every door, instead of the event key, whose loss means
 * rotating it and reprinting every badge. The private half is never stored on A.
 */
export interface HandoffDeps {
  db: Database;
  meta: MetaStore;
  guests: GuestStore;
  codes: CodeService;
  deviceId: string;
  now: () => number;
}

export interface ExportedSetup {
  fileName: string;
  text: string;
  sealed: boolean;
  deviceKeyId: number | null;
  guests: number;
}

/**
 * What the seal authenticates besides the secrets: the format and the whole plain package, so that a sealed
 * file whose roster or keys were changed on the stick is refused instead of installed.
 */
function associatedData(plainPackage: unknown): string {
  const digest = createHash('sha256').update(canonicalJson(plainPackage)).digest('hex');
  return `${SETUP_FILE_FORMAT}-v${SETUP_FILE_VERSION}:${digest}`;
}

/** The package's secret fields, taken out of it (so the plain part of the file never carries them). */
function splitSecrets(pkg: EventPackage): { open: EventPackage; secret: Record<string, unknown> } {
  const open: Record<string, unknown> = { ...pkg };
  const secret: Record<string, unknown> = {};
  for (const field of SECRET_PACKAGE_FIELDS) {
    if (open[field] !== undefined) secret[field] = open[field];
    delete open[field];
  }
  return { open: open as EventPackage, secret };
}

export function exportSetup(deps: HandoffDeps, passphrase: string): ExportedSetup {
  const { db, codes } = deps;
  if (readEvent(db) === null) throw new LanyardFailure('no_event', 'this kiosk has no event to export');
  if (passphrase.length < 8)
    throw new LanyardFailure(
      'passphrase_required',
      'a set-up file carries secrets: give a passphrase of 8+ characters',
    );
  return db.transaction((): ExportedSetup => {
    let secrets: SetupSecrets | null = null;
    if (passphrase !== '') {
      let deviceKey: SetupSecrets['deviceKey'] = null;
      try {
        deviceKey = codes.certifyDeviceKeyForHandoff();
      } catch (error) {
        // A kiosk that was itself set up from a file passes the event on, but no signing key of its own.
        if (!(error instanceof LanyardFailure) || error.code !== 'no_signing_key') throw error;
      }
      secrets = { deviceKey, packageFields: {} };
    }
    // Built after the new device key is recorded, so its public half travels in the package too.
    const { open, secret } = splitSecrets(buildPackage(db, codes));
    if (secrets !== null) secrets.packageFields = secret;
    const badgeSettings = deps.meta.get('badge_settings');
    const file: SetupFile = {
      format: SETUP_FILE_FORMAT,
      version: SETUP_FILE_VERSION,
      exportedAt: new Date(deps.now()).toISOString(),
      fromDevice: deps.deviceId,
      package: open,
      badgeSettings: badgeSettings === null ? null : (JSON.parse(badgeSettings) as unknown),
      lists: readLists(db),
      sealed: secrets === null ? null : sealWithPassphrase(JSON.stringify(secrets), passphrase, associatedData(open)),
    };
    log.info('event set-up exported', { guests: open.guests.length, sealed: secrets !== null });
    return {
      fileName: setupFileName(open.event.id),
      text: JSON.stringify(file),
      sealed: secrets !== null,
      deviceKeyId: secrets?.deviceKey?.keyId ?? null,
      guests: open.guests.length,
    };
  })();
}

type SetupLists = SetupFile['lists'];

function readLists(db: Database): SetupLists {
  const lists = db
    .prepare(
      `SELECT id, name, created_ms, last_import_ms, last_file_name FROM settled_roster_lists ORDER BY created_ms, id`,
    )
    .all() as Array<{ id: string; name: string; created_ms: number; last_import_ms: number; last_file_name: string }>;
  const members = db
    .prepare(`SELECT guest_id, code FROM settled_list_members WHERE list_id = ? ORDER BY guest_id`)
    .raw();
  return lists.map((l) => ({
    id: l.id,
    name: l.name,
    createdMs: l.created_ms,
    lastImportMs: l.last_import_ms,
    lastFileName: l.last_file_name,
    members: members.all(l.id) as Array<[string, string]>,
  }));
}

/** The lists as the exporting kiosk had them; members the roster does not hold are left out. */
function writeLists(db: Database, lists: SetupLists): void {
  const insertList = db.prepare(
    `INSERT INTO roster_lists (id, name, name_key, created_ms, last_import_ms, last_file_name) VALUES (?, ?, ?, ?, ?, ?)`,
  );
  const insertMember = db.prepare(
    `INSERT OR IGNORE INTO list_members (list_id, guest_id, code) SELECT ?, id, ? FROM guests WHERE id = ?`,
  );
  for (const l of lists) {
    insertList.run(l.id, l.name, listKey(l.name), l.createdMs, l.lastImportMs, l.lastFileName);
    for (const [guestId, code] of l.members) insertMember.run(l.id, code, guestId);
  }
}

function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  return issue === undefined ? 'invalid' : `${issue.path.join('.') || '(file)'}: ${issue.message}`;
}

function parseSetupFile(text: string): { file: SetupFile; rawPackage: unknown } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new LanyardFailure('not_a_setup_file', 'this file is not a Lanyard event set-up file (not JSON)');
  }
  if (typeof raw !== 'object' || raw === null || (raw as { format?: unknown }).format !== SETUP_FILE_FORMAT)
    throw new LanyardFailure('not_a_setup_file', 'this file is not a Lanyard event set-up file');
  const version = (raw as { version?: unknown }).version;
  if (typeof version === 'number' && version > SETUP_FILE_VERSION)
    throw new LanyardFailure('not_a_setup_file', `this set-up file is of a newer Lanyard (version ${version})`);
  const parsed = SetupFileSchema.safeParse(raw);
  if (!parsed.success)
    throw new LanyardFailure('not_a_setup_file', `the set-up file is damaged: ${describeIssue(parsed.error)}`);
  return { file: parsed.data, rawPackage: (raw as { package: unknown }).package };
}

export interface SetupOutcome {
  event: EventInfo;
  guests: number;
  /** Whether this kiosk can sign badges (walk-ins, reprints) that every door verifies. */
  canSign: boolean;
}

/** Makes this (empty) kiosk a kiosk of the file's event; all or nothing. */
export function setupFromFile(deps: HandoffDeps, text: string, passphrase: string): SetupOutcome {
  const { db, codes } = deps;
  if (readEvent(db) !== null) throw new LanyardFailure('event_exists', 'this kiosk already has an event');
  const { file, rawPackage } = parseSetupFile(text);
  let secrets: SetupSecrets | null = null;
  if (file.sealed !== null) {
    if (passphrase === '')
      throw new LanyardFailure('passphrase_required', 'this set-up file is sealed: give its passphrase');
    const plain = openWithPassphrase(file.sealed, passphrase, associatedData(rawPackage));
    const parsed = SetupSecretsSchema.safeParse(JSON.parse(plain));
    if (!parsed.success)
      throw new LanyardFailure('not_a_setup_file', `the sealed part is damaged: ${describeIssue(parsed.error)}`);
    secrets = parsed.data;
  }
  const merged = EventPackageSchema.safeParse({ ...file.package, ...(secrets?.packageFields ?? {}) });
  if (!merged.success)
    throw new LanyardFailure('not_a_setup_file', `the set-up file is damaged: ${describeIssue(merged.error)}`);
  const pkg = merged.data;
  db.transaction(() => {
    installPackage(db, pkg, deps.guests, codes);
    writeLists(db, file.lists);
    if (secrets?.deviceKey) codes.installDeviceKey(secrets.deviceKey);
    if (file.badgeSettings !== null && typeof file.badgeSettings === 'object')
      deps.meta.set('badge_settings', JSON.stringify(file.badgeSettings));
    deps.meta.set('setup_from', JSON.stringify({ device: file.fromDevice, exportedAt: file.exportedAt }));
  })();
  const canSign = codes.listKeys().some((k) => k.hasPrivateKey && k.status === 'active');
  log.info('kiosk set up from a file', { eventId: pkg.event.id, guests: pkg.guests.length, canSign });
  return { event: readEvent(db)!, guests: pkg.guests.length, canSign };
}
