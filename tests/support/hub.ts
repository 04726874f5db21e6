import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { adminTokenFile } from '../../electron/core/hub/files.ts';
import { createKiosk, type Kiosk } from '../../electron/core/kiosk.ts';
import { openPglite } from '../../server/store/sql.ts';
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

export const LANYARD_CLI = path.resolve(import.meta.dirname, '../../electron/cli/lanyard.ts');

/**
 * The hub's store in a kiosk data directory, made from the tests' migrated PGlite template as a first
 * `lanyard hub` would make it by initdb (tens of seconds of WASM on a loaded machine; the server's own CLI
 * test covers that path).
 */
export async function seedHubStore(data: string): Promise<void> {
  fs.mkdirSync(path.join(data, 'hub'), { recursive: true, mode: 0o700 });
  await (await openPglite(path.join(data, 'hub', 'pgdata'), await template())).close();
}

/** What `lanyard hub --json` prints once it listens. */
export interface HubStarted {
  url: string;
  port: number;
  lan: boolean;
}

/**
 * Starts `lanyard hub` on a free port as an organiser runs it (its own process, `children` collects it to
 * be killed after the file) and resolves with its one JSON line; rejects with its output if it exits first.
 */
export function startLanyardHub(
  data: string,
  env: NodeJS.ProcessEnv,
  children: ChildProcess[],
): Promise<{ child: ChildProcess; info: HubStarted }> {
  const child = spawn(process.execPath, [LANYARD_CLI, 'hub', '--port', '0', '--data', data, '--json'], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  let errors = '';
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('\n')) resolve({ child, info: JSON.parse(output) as HubStarted });
    });
    child.stderr!.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    child.on('exit', (code) => reject(new Error(`lanyard hub exited ${code}: ${output}${errors}`)));
  });
}
