import { spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lanAddresses } from '../../shared/hub/lan.ts';
import { decodeQrSvg } from '../support/svg-qr.ts';
import { LANYARD_CLI as CLI, seedHubStore, startLanyardHub } from '../support/hub.ts';
import { tempDir } from '../support/temp.ts';

/**
 * `lanyard hub` and `lanyard hub pair --json`, each its own process as an organiser runs them: the hub
 * listens on the LAN, the pairing answer is {"code","url","qr"} with the LAN address, and the QR (SVG)
 * decodes — with ZBar, not the library that drew it — to the text the kiosk's pairing screen reads.
 */
const dirs = [tempDir('cli-hub'), tempDir('cli-hub-door'), tempDir('cli-hub-secret')];
const env = { ...process.env, LANYARD_SECRET_KEY_FILE: path.join(dirs[2]!.dir, 'secret.key') };
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  for (const d of dirs) d.cleanup();
});

function lanyard(data: string, ...args: string[]): { status: number; json: Record<string, unknown> } {
  const r = spawnSync(process.execPath, [CLI, ...args, '--data', data, '--json'], {
    encoding: 'utf8',
    env,
    timeout: 120_000,
  });
  try {
    return { status: r.status ?? -1, json: JSON.parse(r.stdout) as Record<string, unknown> };
  } catch {
    throw new Error(`not JSON from lanyard ${args.join(' ')}: ${r.stdout}\n${r.stderr}`);
  }
}

describe('lanyard hub on the command line', () => {
  it('runs the hub, pairs a door from its JSON answer, and stops cleanly', async () => {
    const [hubData, doorData] = dirs.map((d) => d.dir) as [string, string, string];
    const init = lanyard(hubData, 'init', '--demo');
    expect(init.status).toBe(0);
    const eventId = (init.json as { event: { id: string } }).event.id;
    expect(lanyard(hubData, 'hub', 'pair', '--name', 'East door')).toMatchObject({
      status: 1,
      json: { error: { code: 'hub_not_running' } },
    });

    await seedHubStore(hubData);
    const { child, info } = await startLanyardHub(hubData, env, children);
    const lan = lanAddresses(os.networkInterfaces());
    expect(info.url).toBe(`http://${lan[0] ?? '127.0.0.1'}:${info.port}`);
    expect(info.lan).toBe(lan.length > 0);

    const paired = lanyard(hubData, 'hub', 'pair', '--name', 'East door');
    expect(paired, JSON.stringify(paired.json)).toMatchObject({ status: 0 });
    const { code, url, qr } = paired.json as { code: string; url: string; qr: string };
    expect(Object.keys(paired.json)).toEqual(expect.arrayContaining(['code', 'url', 'qr']));
    expect(code).toMatch(/^\d{12}$/);
    expect(url).toBe(info.url);
    if (lan.length > 0) expect(new URL(url).hostname).not.toMatch(/^127\./);
    expect(qr).toMatch(/^<svg /);
    expect(await decodeQrSvg(qr)).toEqual([`lanyard-pair:${url}#${code}`]);

    // A new door pairs with exactly that, as with the central server, and gets the hub's event.
    expect(lanyard(doorData, 'pair', url, code)).toMatchObject({ status: 0, json: { paired: true } });
    expect((lanyard(doorData, 'status').json as { eventId: string }).eventId).toBe(eventId);
    expect(lanyard(hubData, 'hub', 'status')).toMatchObject({ status: 0, json: { running: true, url, doors: 2 } });

    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(fs.existsSync(path.join(hubData, 'hub', 'hub.json'))).toBe(false);
  }, 240_000);
});
