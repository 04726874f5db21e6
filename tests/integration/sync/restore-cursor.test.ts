import fs from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { clusterThrough, doorTraffic, startFaultProxy, syncFacts } from '../../support/fault-proxy.ts';
import { guestIds, startTestServer, visibleState, type TestKiosk, type TestServer } from '../../support/sync-server.ts';
import { tempDir } from '../../support/temp.ts';

// R9: after a restore, a kiosk's old pull cursor (txid, seq, event id) can name the same event at the
// same place in the restored log while the log before it differs. The cursor also carries the row's
// received time, so the re-pushed copy is told apart and the kiosk reads the log again (it used to end
// with 20 events while everyone else had 30).
it('a cursor from before a restore that names the same event at the same place hides events', async () => {
  const { dir } = tempDir('repro');
  const backup = tempDir('repro-backup').dir;
  let server: TestServer = await startTestServer({ kind: 'pglite' }, dir);
  const proxy = await startFaultProxy({ upstreamPort: server.port });
  const restart = async () => {
    server = await startTestServer({ kind: 'pglite' }, dir);
    proxy.setUpstream(server.port);
  };
  const { eventId, kiosks } = await clusterThrough(server, proxy.url, ['A', 'B', 'C', 'D']);
  const [a, b, c, d] = kiosks as [TestKiosk, TestKiosk, TestKiosk, TestKiosk];
  const ids = guestIds(a, 60);
  await server.close();
  fs.cpSync(path.join(dir, 'pgdata'), path.join(backup, 'pgdata'), { recursive: true });
  await restart();
  // After the backup: C's ten, then A's ten; B reads them all (cursor = A's tenth).
  doorTraffic(c, ids, 10, 0);
  await c.kiosk.sync!.engine.syncOnce();
  doorTraffic(a, ids, 10, 20);
  await a.kiosk.sync!.engine.syncOnce();
  await b.kiosk.sync!.engine.syncOnce();
  await server.close();
  fs.rmSync(path.join(dir, 'pgdata'), { recursive: true });
  fs.cpSync(path.join(backup, 'pgdata'), path.join(dir, 'pgdata'), { recursive: true });
  await restart();
  // After the restore: D's ten take C's place (same txid, same seqs), then A's ten again, exactly where
  // they were: B's cursor is valid again, and D's ten are behind it.
  doorTraffic(d, ids, 10, 40);
  await d.kiosk.sync!.engine.syncOnce();
  await a.kiosk.sync!.engine.syncOnce();
  for (let r = 0; r < 2; r++) for (const k of [b, c, a, d]) await k.kiosk.sync!.engine.syncOnce();
  const facts = await syncFacts(server, eventId, [a, b, c, d]);
  expect(facts.localTotals).toEqual([30, 30, 30, 30]);
  expect(visibleState(b)).toEqual(visibleState(d));
  for (const k of kiosks) k.kiosk.close();
  await proxy.close();
  await server.close();
});
