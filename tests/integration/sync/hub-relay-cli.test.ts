import { execFile, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { EventStats } from '../../../shared/sync/protocol.ts';
import { LANYARD_CLI as CLI, seedHubStore, startLanyardHub } from '../../support/hub.ts';
import { hubCode } from '../../support/relay-hub.ts';
import {
  adminGet,
  codeOf,
  guestIds,
  newKiosk,
  startTestServer,
  type TestKiosk,
  type TestServer,
} from '../../support/sync-server.ts';
import { must } from '../../support/call.ts';
import { tempDir } from '../../support/temp.ts';

/**
 * The relay as an organiser runs it: `lanyard hub link --server URL --code CODE --json` links the hub
 * kiosk's hub with the central server (the token kept owner-only, never printed); `lanyard hub` then relays
 * on its own — a door paired with the hub scans, and the central server counts it.
 */
const dirs = [tempDir('relay-cli-hub'), tempDir('relay-cli-secret')];
const env = { ...process.env, LANYARD_SECRET_KEY_FILE: path.join(dirs[1]!.dir, 'secret.key') };
const children: ChildProcess[] = [];
let central: TestServer | null = null;
const kiosks: TestKiosk[] = [];
afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  for (const k of kiosks) k.kiosk.close();
  await central?.close();
  for (const d of dirs) d.cleanup();
});

/** One CLI process, awaited (not spawnSync: the central server answering it runs in this process). */
function lanyard(data: string, ...args: string[]): Promise<{ status: number; json: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [CLI, ...args, '--data', data, '--json'],
      { encoding: 'utf8', env, timeout: 120_000 },
      (error, stdout, stderr) => {
        try {
          resolve({ status: error === null ? 0 : Number(error.code ?? -1), json: JSON.parse(stdout) });
        } catch {
          reject(new Error(`not JSON from lanyard ${args.join(' ')}: ${stdout}\n${stderr}`));
        }
      },
    );
  });
}

describe('lanyard hub link', () => {
  it('links with a hub code (owner-only, once), and the running hub relays its doors to the central server', async () => {
    central = await startTestServer({ kind: 'pglite' });
    const [hubData] = dirs.map((d) => d.dir) as [string, string];
    const init = await lanyard(hubData, 'init', '--demo');
    expect(init.status).toBe(0);
    const eventId = (init.json as { event: { id: string } }).event.id;
    expect((await lanyard(hubData, 'publish', central.url, '--admin-token', central.adminToken)).status).toBe(0);

    const code = await hubCode(central, eventId, 'Venue hub');
    const linked = await lanyard(hubData, 'hub', 'link', '--server', central.url, '--code', code);
    expect(linked).toMatchObject({
      status: 0,
      json: { linked: true, eventId, centralUrl: central.url, name: 'Venue hub' },
    });
    expect(JSON.stringify(linked.json)).not.toMatch(/lyd_/);
    const file = path.join(hubData, 'hub', 'relay-link.json');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(await lanyard(hubData, 'hub', 'link', '--server', central.url, '--code', code)).toMatchObject({
      status: 1,
      json: { error: { code: 'pairing_code_used' } },
    });

    // The hub's store from the tests' migrated template (a first start would initdb: tens of seconds).
    await seedHubStore(hubData);
    await startLanyardHub(hubData, env, children);
    const pairing = await lanyard(hubData, 'hub', 'pair', '--name', 'East door');
    expect(pairing.status).toBe(0);
    const { code: doorCode, url } = pairing.json as { code: string; url: string };
    const door = newKiosk('East door');
    kiosks.push(door);
    await door.kiosk.sync!.engine.pair(url, doorCode);
    const [guest] = guestIds(door, 1) as [string];
    expect(must(door.kiosk, 'guests.scan', { code: codeOf(door, guest) }).status).toBe('checked_in');
    await door.kiosk.sync!.engine.syncOnce();

    // Nobody drives the relay here: the hub's own loop forwards the check-in within a few rounds.
    await expect
      .poll(async () => (await adminGet<EventStats>(central!, `/v1/admin/events/${eventId}/stats`)).checkIns, {
        timeout: 60_000,
        interval: 500,
      })
      .toBe(1);
    const { hubs } = await adminGet<{ hubs: Array<{ name: string; devices: Array<{ name: string }> }> }>(
      central,
      `/v1/admin/events/${eventId}/hubs`,
    );
    expect(hubs).toHaveLength(1);
    expect(hubs[0]!.devices.map((d) => d.name)).toContain('East door');
    const shown = await lanyard(hubData, 'hub', 'status');
    expect(shown).toMatchObject({ status: 0, json: { running: true, relay: { centralUrl: central.url, pending: 0 } } });
    expect(['online', 'relaying']).toContain((shown.json as { relay: { state: string } }).relay.state);
  }, 240_000);
});
