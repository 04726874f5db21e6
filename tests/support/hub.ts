import fs from 'node:fs';
import { expect } from 'vitest';
import { adminTokenFile } from '../../electron/core/hub/files.ts';
import { createKiosk, type Kiosk } from '../../electron/core/kiosk.ts';
import type { HubPairing } from '../../shared/hub/status.ts';
import { must, type Dispatchable } from './call.ts';
import { testSecrets } from './secrets.ts';
import { template, type ServerAddress } from './sync-server.ts';
import { tempDir } from './temp.ts';

/** A kiosk laptop that will be the venue hub: the demo event, its door named, a migrated PGlite template. */
export function newHubKiosk(door: string): { kiosk: Kiosk; dir: string; cleanup: () => void } {
  const { dir, cleanup } = tempDir('hub-kiosk');
  const kiosk = createKiosk({ dataDir: dir, now: Date.now, secrets: testSecrets, hubPgliteTemplate: template });
  must({ handlers: kiosk.ownerHandlers }, 'device.update', { door, operator: `staff-${door}` });
  must({ handlers: kiosk.ownerHandlers }, 'event.loadDemo', {});
  return { kiosk, dir, cleanup };
}

/** Asks the hub for the next door's pairing code through the contract, as the Settings screen does. */
export async function nextDoorPairing(hub: Dispatchable, name: string): Promise<HubPairing> {
  const before = must(hub, 'hub.status', {}).pairing?.code;
  must(hub, 'hub.newPairing', { name });
  let pairing: HubPairing | null = null;
  await expect
    .poll(
      () => {
        pairing = must(hub, 'hub.status', {}).pairing;
        return pairing !== null && pairing.code !== before && pairing.name === name;
      },
      { timeout: 30_000, interval: 50 },
    )
    .toBe(true);
  return pairing!;
}

/** The hub's organiser address: its LAN URL and the admin token it keeps beside its data. */
export function hubAdmin(dataDir: string, url: string): ServerAddress {
  return { url, adminToken: fs.readFileSync(adminTokenFile(dataDir), 'utf8').trim() };
}
