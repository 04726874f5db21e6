import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../support/temp.ts';

/**
 * Issue 6's scriptable path, exactly as written there: `npm run --silent server -- …`, the server's
 * `pair`, and `npm run --silent lanyard -- publish | pair | sync | status`, each a separate process.
 */
const ROOT = path.resolve(import.meta.dirname, '../../..');
const TOKEN = 'lya_cli-test-admin-token-abcdefghijklmnopqrstuvwxyz012345';
const dirs = [tempDir('cli-server'), tempDir('cli-k1'), tempDir('cli-k2'), tempDir('cli-secret')];
// The CLI seals the server token with a key file outside the data directory (R20).
const env = { ...process.env, LANYARD_SECRET_KEY_FILE: path.join(dirs[3]!.dir, 'secret.key') };
const children: ChildProcess[] = [];
afterAll(() => {
  // npm does not pass SIGTERM on to the server it started: stop the whole process group.
  for (const c of children) if (c.pid !== undefined && c.exitCode === null) process.kill(-c.pid, 'SIGTERM');
  for (const d of dirs) d.cleanup();
});

// Thirteen `npm run` children, each a fresh Node: a minute on an idle laptop, several on a loaded 2-core CI.
const WHOLE_PATH_MS = 600_000;

function npm(...args: string[]): { status: number; json: Record<string, unknown>; stderr: string } {
  const r = spawnSync('npm', ['run', '--silent', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 180_000, env });
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as Record<string, unknown>;
  } catch {
    throw new Error(`not JSON from npm run ${args.join(' ')}: ${r.stdout}\n${r.stderr}`);
  }
  return { status: r.status ?? -1, json, stderr: r.stderr };
}

async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = (probe.address() as net.AddressInfo).port;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

async function startServer(port: number): Promise<string> {
  const child = spawn(
    'npm',
    ['run', '--silent', 'server', '--', '--port', String(port), '--data', dirs[0]!.dir, '--admin-token', TOKEN],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true, // its own process group, so afterAll can stop npm and the server together
    },
  );
  children.push(child);
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start: ${output}`)), 180_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', (code) => reject(new Error(`server exited ${code}: ${output}`)));
  });
}

describe('the scriptable sync path', () => {
  it(
    'server, publish, pair two kiosks, scan one badge on both, sync, status, stats',
    async () => {
      const url = await startServer(await freePort());
      const [k1, k2] = [dirs[1]!.dir, dirs[2]!.dir];
      expect(npm('lanyard', '--', 'init', '--demo', '--data', k1, '--json').status).toBe(0);
      const published = npm('lanyard', '--', 'publish', url, '--admin-token', TOKEN, '--data', k1, '--json');
      expect(published.status).toBe(0);
      const eventId = published.json['eventId'] as string;
      expect(eventId).toBe('open-day-2026');

      const code = (name: string) => {
        const r = npm(
          'server',
          '--',
          'pair',
          '--url',
          url,
          '--admin-token',
          TOKEN,
          '--event',
          eventId,
          '--name',
          name,
          '--json',
        );
        expect(r.status).toBe(0);
        expect(r.json['code']).toMatch(/^\d{12}$/);
        return r.json['code'] as string;
      };
      expect(npm('lanyard', '--', 'pair', url, code('Door 1'), '--data', k1, '--json').status).toBe(0);
      const paired2 = npm('lanyard', '--', 'pair', url, code('Door 2'), '--data', k2, '--json');
      expect(paired2.status).toBe(0);
      expect(paired2.json['eventId']).toBe(eventId);

      const search = npm('lanyard', '--', 'search', 'liu', 'qing', '--data', k2, '--json');
      const badge = (search.json['results'] as Array<{ codes: string[] }>)[0]!.codes[0]!;
      expect(npm('lanyard', '--', 'scan', badge, '--data', k1, '--json').json['status']).toBe('checked_in');
      expect(npm('lanyard', '--', 'scan', badge, '--data', k2, '--json').json['status']).toBe('checked_in');

      const first = npm('lanyard', '--', 'sync', '--data', k1, '--json');
      expect(first.status).toBe(0);
      expect(first.json).toMatchObject({ pushed: 1, duplicates: 0, conflicts: 0 });
      const second = npm('lanyard', '--', 'sync', '--data', k2, '--json');
      expect(second.json).toMatchObject({ pushed: 1, pulled: 1, duplicates: 1, conflicts: 0 });
      expect(typeof second.json['cursor']).toBe('string');
      const third = npm('lanyard', '--', 'sync', '--data', k1, '--json');
      expect(third.json).toMatchObject({ pushed: 0, pulled: 1, duplicates: 1 });

      // No file of the data directory (database, WAL) holds the device token in clear.
      for (const dir of [k1, k2]) {
        for (const file of fs.readdirSync(dir)) {
          expect(fs.readFileSync(path.join(dir, file)).includes('lyd_')).toBe(false);
        }
      }
      const status = npm('lanyard', '--', 'status', '--data', k1, '--json');
      expect(status.json).toMatchObject({ state: 'online', paired: true, pending: 0, eventId, clockWarning: false });

      const stats = (await (
        await fetch(`${url}/v1/admin/events/${eventId}/stats`, { headers: { authorization: `Bearer ${TOKEN}` } })
      ).json()) as Record<string, number>;
      expect(stats).toMatchObject({ guests: 300, checkedIn: 1, checkIns: 2, duplicates: 1, devices: 2 });
    },
    WHOLE_PATH_MS,
  );
});
