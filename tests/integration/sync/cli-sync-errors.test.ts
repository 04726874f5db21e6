import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminGet, pairingCode, startTestServer, type TestServer } from '../../support/sync-server.ts';
import { tempDir } from '../../support/temp.ts';

/**
 * Issue 17: the kiosk CLI says why sync failed with a stable code — a used pairing code, a revoked
 * device, an unreachable server — and `lanyard status`, a new process, still shows that last error.
 */
const ROOT = path.resolve(import.meta.dirname, '../../..');
const dirs = [tempDir('cli-err-k1'), tempDir('cli-err-k2'), tempDir('cli-err-k3'), tempDir('cli-err-secret')];
const env = { ...process.env, LANYARD_SECRET_KEY_FILE: path.join(dirs[3]!.dir, 'secret.key') };
let server: TestServer;
let eventId: string;

/** Asynchronous: the server answering the CLI runs in this process, so its event loop must stay free. */
function lanyard(dir: string, ...args: string[]): Promise<{ status: number; json: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['electron/cli/lanyard.ts', ...args, '--data', dir, '--json'],
      { cwd: ROOT, encoding: 'utf8', timeout: 120_000, env },
      (error, stdout, stderr) => {
        try {
          const json = JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as Record<string, unknown>;
          resolve({ status: error === null ? 0 : typeof error.code === 'number' ? error.code : -1, json });
        } catch {
          reject(new Error(`not JSON from lanyard ${args.join(' ')}: ${stdout}\n${stderr}`));
        }
      },
    );
  });
}
const errorCode = (r: { json: Record<string, unknown> }) => (r.json['error'] as { code: string } | undefined)?.code;

beforeAll(async () => {
  server = await startTestServer({ kind: 'pglite' });
  const [k1, k2] = [dirs[0]!.dir, dirs[1]!.dir];
  expect((await lanyard(k1, 'init', '--demo')).status).toBe(0);
  const published = await lanyard(k1, 'publish', server.url, '--admin-token', server.adminToken);
  expect(published.status).toBe(0);
  eventId = published.json['eventId'] as string;
  expect((await lanyard(k2, 'init', '--demo')).status).toBe(0);
}, 180_000);

afterAll(async () => {
  await server?.close();
  for (const d of dirs) d.cleanup();
});

describe('kiosk CLI sync errors', () => {
  it('keeps the admin token chosen with --admin-token beside the data, owner-only', () => {
    const file = path.join(server.dataDir, 'admin-token');
    expect(fs.readFileSync(file, 'utf8').trim()).toBe(server.adminToken);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  });

  it('pairing_code_used, device_revoked and server_unreachable, kept in the status', async () => {
    const [k1, k2, k3] = [dirs[0]!.dir, dirs[1]!.dir, dirs[2]!.dir];
    const code = await pairingCode(server, eventId, 'Door 1');
    expect((await lanyard(k1, 'pair', server.url, code)).status).toBe(0);
    const reused = await lanyard(k3, 'pair', server.url, code);
    expect(reused.status).toBe(1);
    expect(errorCode(reused)).toBe('pairing_code_used');
    expect((await lanyard(k2, 'pair', server.url, await pairingCode(server, eventId, 'Door 2'))).status).toBe(0);

    const { devices } = await adminGet<{ devices: Array<{ id: string; name: string }> }>(
      server,
      `/v1/admin/events/${eventId}/devices`,
    );
    const door1 = devices.find((d) => d.name === 'Door 1')!;
    const revoked = await fetch(`${server.url}/v1/admin/devices/${door1.id}/revoke`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.adminToken}` },
    });
    expect(revoked.status).toBe(200);
    const stats = await adminGet<{ devices: number }>(server, `/v1/admin/events/${eventId}/stats`);
    expect(stats.devices).toBe(1); // the revoked door is not counted

    const refused = await lanyard(k1, 'sync');
    expect(errorCode(refused)).toBe('device_revoked');
    expect(errorCode(await lanyard(k1, 'sync'))).toBe('device_revoked'); // and stays so until paired again
    expect((await lanyard(k1, 'status')).json).toMatchObject({
      state: 'reauth',
      lastError: { code: 'device_revoked' },
    });

    await server.close();
    const offline = await lanyard(k2, 'sync');
    expect(offline.status).toBe(1);
    expect(errorCode(offline)).toBe('server_unreachable');
    expect((await lanyard(k2, 'status')).json).toMatchObject({
      state: 'offline',
      lastError: { code: 'server_unreachable' },
    });
  }, 300_000);
});
