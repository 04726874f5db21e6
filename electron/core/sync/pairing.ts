import type { Database } from 'better-sqlite3';
import type { CodeService } from '../badges/codes/signed-codes.ts';
import type { GuestStore } from '../guests/store.ts';
import { createLogger } from '../log.ts';
import type { MetaStore } from '../meta.ts';
import type { SecretBox } from '../secrets.ts';
import { SyncClient } from './client.ts';
import { centralKeyOf, handoverOnMove, hubIdOfServer } from './handover.ts';
import { installPackage } from './package.ts';
import type { SyncState } from './state.ts';

const log = createLogger('sync-pairing');

export interface PairingDeps {
  db: Database;
  meta: MetaStore;
  state: SyncState;
  guests: GuestStore;
  codes: CodeService;
  deviceId: string;
  now: () => number;
  secrets: SecretBox;
}

/**
 * Pairs with a server by a one-time code (with the hand-over proof when a paired door moves to a hub), then
 * installs the event's package and records the pairing in one transaction: a failure anywhere leaves the
 * door's earlier pairing as it was.
 */
export async function pairWithServer(deps: PairingDeps, url: string, code: string): Promise<void> {
  const { db, state, secrets } = deps;
  const client = new SyncClient(url, '', deps.now);
  // Only a door holding a central key has a move to prove; a new one asks nothing more than its pairing.
  const centralKey = centralKeyOf(state, secrets);
  const hubId = centralKey === null ? null : await hubIdOfServer(client);
  const handover =
    hubId === null || centralKey === null ? null : handoverOnMove(state, centralKey, deps.deviceId, hubId);
  const paired = await client.pair(code.trim(), deps.deviceId, handover);
  client.token = paired.body.token;
  // The answer says what answered (an older server does not: then the probe's answer, central without one).
  const server = paired.body.server ?? (hubId === null ? 'central' : 'hub');
  const pkg = await client.package();
  db.transaction(() => {
    installPackage(db, pkg.body.package, deps.guests, deps.codes);
    state.set('url', url.replace(/\/+$/, ''));
    state.set('token', secrets.seal(paired.body.token));
    state.set('event', paired.body.eventId);
    state.set('name', paired.body.name);
    state.set('package_rev', pkg.body.revision);
    state.set('cursor', '');
    // What the server already holds of ours (relayed by a venue hub, or pushed before): not sent again.
    state.set('acked', paired.body.ackedThrough ?? 0);
    state.set('reauth', '0');
    state.set('server_kind', server);
    state.set('server_hub', server === 'hub' ? (paired.body.hubId ?? hubId ?? '') : '');
    if (handover !== null) state.set('handover_n', handover.n);
    // On a hub, the key of the central token it left (sealed, R20), to prove a later move to another hub.
    state.set('handover_key', server === 'hub' && centralKey !== null ? secrets.seal(centralKey) : '');
    // The organiser named this door when making the code; that is what staff and reports call it.
    deps.meta.set('door', paired.body.name);
    db.prepare(`UPDATE devices SET door = ? WHERE id = ?`).run(paired.body.name, deps.deviceId);
  })();
  log.info('paired', { url, eventId: paired.body.eventId, name: paired.body.name });
}
