import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { PullResponse } from '../../../shared/sync/protocol.ts';
import {
  clusterThrough,
  doorTraffic,
  httpExchanges,
  startFaultProxy,
  syncFacts,
  type SyncFacts,
} from '../../support/fault-proxy.ts';
import { guestIds, startTestServer, type TestKiosk, type TestServer } from '../../support/sync-server.ts';
import { tempDir } from '../../support/temp.ts';
import { testSecrets } from '../../support/secrets.ts';

/**
 * R9: the server's database is restored from a backup that is older than what the kiosks have synced.
 * The kiosks learn from the server's version vector what it lost and push it again; their pull cursors
 * from after the backup are unknown to it (the page says `reset`) and re-reading its log from the start
 * changes nothing on them. Afterwards: server count = sum of the kiosks' own counts, nothing twice.
 */
const kiosksToClose: TestKiosk[] = [];
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const k of kiosksToClose.splice(0)) k.kiosk.close();
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function syncAll(kiosks: TestKiosk[], rounds = 2): Promise<void> {
  for (let round = 0; round < rounds; round++) {
    for (const k of kiosks) await k.kiosk.sync!.engine.syncOnce();
  }
}

function expectConverged(facts: SyncFacts): void {
  const total = facts.ownCounts.reduce((s, n) => s + n, 0);
  expect(facts.serverIds.length).toBe(total);
  expect(facts.serverTotal).toBe(total);
  expect(facts.serverIds).toEqual(facts.kioskIds);
  expect(facts.duplicateSeqs).toBe(0);
  expect(facts.pending).toEqual(facts.pending.map(() => 0));
  for (const a of facts.acked) expect(a).toEqual({ kiosk: a.last, server: a.last, last: a.last });
  expect(facts.localTotals).toEqual(facts.localTotals.map(() => total));
  for (const state of facts.states.slice(1)) expect(state).toEqual(facts.states[0]);
}

/** Events a kiosk holds twice (by id, or by device and seq): must stay 0 through a reset pull. */
function localDuplicates(k: TestKiosk): number {
  const db = k.kiosk.db!;
  const byId = db.prepare(`SELECT count(*) - count(DISTINCT id) FROM facts`).pluck().get() as number;
  const bySeq = db
    .prepare(`SELECT count(*) FROM (SELECT device_id, device_seq FROM facts GROUP BY 1, 2 HAVING count(*) > 1)`)
    .pluck()
    .get() as number;
  return byId + bySeq;
}

describe('server restored from an older backup (R9)', () => {
  it('kiosks re-push what the server lost; their cursors from after the backup reset; nothing twice', async () => {
    const { dir: dataDir } = tempDir('server-restore');
    const { dir: backupDir } = tempDir('server-backup');
    cleanups.push(() => fs.rmSync(dataDir, { recursive: true, force: true }));
    cleanups.push(() => fs.rmSync(backupDir, { recursive: true, force: true }));
    const pgdata = path.join(dataDir, 'pgdata');
    const backup = path.join(backupDir, 'pgdata');

    let server: TestServer = await startTestServer({ kind: 'pglite' }, dataDir);
    let running = true;
    cleanups.push(async () => {
      if (running) await server.close();
    });
    const proxy = await startFaultProxy({ upstreamPort: server.port });
    cleanups.push(() => proxy.close());
    const restart = async () => {
      server = await startTestServer({ kind: 'pglite' }, dataDir);
      running = true;
      proxy.setUpstream(server.port);
    };
    const stop = async () => {
      running = false;
      await server.close();
    };

    const { eventId, kiosks } = await clusterThrough(server, proxy.url, ['North', 'South', 'Forum hall']);
    kiosksToClose.push(...kiosks);
    const [a, b, c] = kiosks as [TestKiosk, TestKiosk, TestKiosk];
    const ids = guestIds(a, 90);

    // Before the backup: traffic on every door, all synced.
    kiosks.forEach((k, i) => doorTraffic(k, ids, 30, i * 30));
    await syncAll(kiosks);
    const atBackup = await syncFacts(server, eventId, kiosks);
    expectConverged(atBackup);

    // The backup: a copy of the data directory while the server is stopped.
    await stop();
    fs.cpSync(pgdata, backup, { recursive: true });
    await restart();

    // After the backup: more traffic, synced everywhere (cursors move past the backup); C's last scans
    // are not synced yet when the server dies.
    kiosks.forEach((k, i) => doorTraffic(k, ids, 25, i * 30 + 7));
    await syncAll(kiosks);
    doorTraffic(c, ids, 10, 75);
    const beforeRestore = await syncFacts(server, eventId, kiosks);
    expect(beforeRestore.serverTotal).toBe(atBackup.serverTotal + 75);
    expect(beforeRestore.pending).toEqual([0, 0, 10]);
    const statesBefore = kiosks.map((k) => k.kiosk.db!.prepare(`SELECT id FROM facts ORDER BY id`).pluck().all());

    // The restore: the old copy replaces the data directory.
    await stop();
    fs.rmSync(pgdata, { recursive: true, force: true });
    fs.cpSync(backup, pgdata, { recursive: true });
    await restart();
    const restored = await syncFacts(server, eventId, kiosks);
    expect(restored.serverTotal).toBe(atBackup.serverTotal);
    expect(restored.acked.map((x) => x.server)).toEqual(atBackup.acked.map((x) => x.server));

    proxy.record(true);
    await syncAll(kiosks);
    proxy.record(false);

    const after = await syncFacts(server, eventId, kiosks);
    expectConverged(after);
    // Nothing was lost for good and nothing new appeared: the union of what the kiosks held before.
    expect(after.serverTotal).toBe(beforeRestore.serverTotal + 10);
    for (const [i, k] of kiosks.entries()) {
      expect(localDuplicates(k)).toBe(0);
      const now = k.kiosk.db!.prepare(`SELECT id FROM facts ORDER BY id`).pluck().all() as string[];
      // Re-reading the restored log from the start brought back nothing a kiosk did not have (C's ten
      // unsynced scans are the only news, for A and B).
      const news = now.filter((id) => !(statesBefore[i] as string[]).includes(id));
      expect(news.length).toBe(k === c ? 0 : 10);
    }

    // Each kiosk's first pull after the restore carried a cursor the server did not know: `reset`.
    const tokens = kiosks.map((k) =>
      testSecrets.open(k.kiosk.db!.prepare(`SELECT value FROM meta WHERE key = 'sync_token'`).pluck().get() as string),
    );
    const pulls = proxy.recordings
      .flatMap(httpExchanges)
      .filter((x) => x.path.startsWith('/v1/sync/pull') && x.status === 200)
      .sort((x, y) => x.order - y.order);
    for (const token of tokens) {
      const mine = pulls.filter((x) => x.requestHeaders['authorization'] === `Bearer ${token}`);
      expect(mine.length).toBeGreaterThanOrEqual(2);
      const pages = mine.map((x) => JSON.parse(x.responseBody!) as PullResponse);
      expect(pages[0]!.reset).toBe(true);
      expect(pages.slice(1).every((p) => !p.reset)).toBe(true);
    }

    // Life goes on: more scans, everyone agrees.
    doorTraffic(a, ids, 5, 3);
    doorTraffic(b, ids, 5, 40);
    await syncAll(kiosks);
    expectConverged(await syncFacts(server, eventId, kiosks));
  });
});
