import { createHash } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import type { CodeService } from '../badges/codes/signed-codes.ts';
import type { SyncEngine } from '../sync/engine.ts';
import type { SyncLoop } from '../sync/loop.ts';
import { buildPackage } from '../sync/package.ts';
import { hubPairingCode, publishToHub, type HubAddress } from './admin-client.ts';

/** The kiosk the hub runs on: its event (what the hub serves) and its own door (one of the hub's doors). */
export interface OwnDoorDeps {
  db: Database;
  codes: CodeService;
  engine: SyncEngine;
  loop: SyncLoop;
  /** This laptop's door name: what its own door is called on the hub. */
  doorName: () => string;
}

/**
 * Creates or updates the event on the hub from the kiosk's event store (the package `lanyard publish`
 * uploads: same id, names in every language, forums, zone, roster, public keys) when it differs from the
 * last one published (`lastDigest`); the digest of what the hub now holds.
 */
export async function publishOwnEvent(deps: OwnDoorDeps, address: HubAddress, lastDigest: string): Promise<string> {
  const pkg = buildPackage(deps.db, deps.codes);
  const digest = createHash('sha256').update(JSON.stringify(pkg)).digest('hex');
  if (digest === lastDigest) return digest;
  const revision = await publishToHub(address, pkg);
  // This kiosk made the package: it need not download it back (which would undo an edit made since).
  if (deps.engine.status().serverUrl === address.localUrl) deps.engine.notePackageRevision(revision);
  return digest;
}

/**
 * This laptop's door is one of the hub's doors: paired over loopback with a code of the hub, so its
 * check-ins reach the other doors through the hub as theirs reach it. Already paired with it: nothing to do.
 */
export async function pairOwnDoor(deps: OwnDoorDeps, address: HubAddress): Promise<void> {
  const { engine, loop } = deps;
  const own = engine.status();
  if (!(own.paired && own.serverUrl === address.localUrl && own.state !== 'reauth')) {
    const pairing = await hubPairingCode(address, deps.doorName());
    // A round against the previous server finishes first; pairing refuses to run beside it.
    while (engine.busy) await new Promise((resolve) => setTimeout(resolve, 50));
    await engine.pair(address.localUrl, pairing.code);
  }
  loop.trigger();
}
