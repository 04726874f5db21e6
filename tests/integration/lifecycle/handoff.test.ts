import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { MethodInput, MethodName, MethodOutput } from '../../../shared/contract.ts';
import { createDispatcher } from '../../../electron/core/dispatch.ts';
import type { Result } from '../../../shared/result.ts';
import type { EventStats } from '../../../shared/sync/protocol.ts';
import {
  adminGet,
  newKiosk,
  pairingCode,
  publish,
  startTestServer,
  type TestKiosk,
  type TestServer,
} from '../../support/sync-server.ts';

/**
 * Issue 11, hand-off without a server: kiosk A makes the event and exports its set-up file; kiosk B is set
 * up from it; each admits the other's badges and walk-ins offline; then both pair with a real server and
 * sync, and the server counts each check-in once.
 */
const opened: TestKiosk[] = [];
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ kind: 'pglite' });
}, 120_000);
afterAll(async () => {
  await server.close();
});
afterEach(() => {
  for (const k of opened.splice(0)) k.kiosk.close();
});

function door(name: string) {
  const k = newKiosk(name);
  opened.push(k);
  const dispatch = createDispatcher(k.kiosk.handlers);
  const call = <M extends MethodName>(method: M, input: MethodInput<M>): Result<MethodOutput<M>> =>
    dispatch(method, input) as Result<MethodOutput<M>>;
  const must = <M extends MethodName>(method: M, input: MethodInput<M>): MethodOutput<M> => {
    const result = call(method, input);
    if (!result.ok) throw new Error(`${method}: ${result.error.code}: ${result.error.message}`);
    return result.value;
  };
  /** Imports a CSV into a list through the contract, as the Roster view does. */
  const importList = async (csv: string, list: string, replace: boolean) => {
    const settle = async (jobId: string) => {
      for (;;) {
        const job = must('jobs.get', { jobId });
        if (job.state !== 'running') return job;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };
    const upload = await settle(
      must('roster.upload', { fileName: `${list}.csv`, dataBase64: Buffer.from(csv).toString('base64') }).jobId,
    );
    const preview = upload.result as { uploadId: string; mapping: MethodInput<'roster.import'>['mapping'] };
    const done = await settle(
      must('roster.import', { uploadId: preview.uploadId, mapping: preview.mapping, dryRun: false, list, replace })
        .jobId,
    );
    if (done.state !== 'done') throw new Error(`import ${done.state}: ${done.error?.message}`);
    return done.result as { added: number; removed: number };
  };
  return { k, call, must, importList };
}

describe('hand-off between kiosks without a server', () => {
  it('B set up from A’s sealed file: badges and walk-ins cross both ways, then one server counts each check-in once', async () => {
    const a = door('North');
    a.must('event.loadDemo', {});
    const vip =
      'Name,Email,Organisation\nAda Brandt,ada@vip.example,Protokoll\nBo Chen,bo@vip.example,Protocol Office\n';
    expect(await a.importList(vip, 'VIP', false)).toMatchObject({ added: 2 });
    const exported = a.must('handoff.exportSetup', { passphrase: 'correct horse battery' });
    expect(exported.sealed).toBe(true);
    expect(exported.deviceKeyId).toBeGreaterThanOrEqual(32768);
    // The sealed part hides the key: no private key material in the plain text.
    const file = JSON.parse(exported.text) as { package: { keys: unknown[] }; sealed: { data: string } };
    expect(JSON.stringify(file.package)).not.toContain('privateKey');
    // A keeps the public half (to revoke it later) but never the private half.
    const handedOff = a.must('keys.list', {}).keys.find((k) => k.keyId === exported.deviceKeyId)!;
    expect(handedOff).toMatchObject({ kind: 'device', hasPrivateKey: false, status: 'active' });

    const b = door('South');
    // Refusals change nothing.
    expect(b.call('handoff.setupFromFile', { text: exported.text, passphrase: '' })).toMatchObject({
      ok: false,
      error: { code: 'passphrase_required' },
    });
    expect(b.call('handoff.setupFromFile', { text: exported.text, passphrase: 'wrong passphrase' })).toMatchObject({
      ok: false,
      error: { code: 'bad_passphrase' },
    });
    const tampered = exported.text.replace('"vip":false', '"vip":true');
    expect(tampered).not.toBe(exported.text);
    expect(b.call('handoff.setupFromFile', { text: tampered, passphrase: 'correct horse battery' })).toMatchObject({
      ok: false,
      error: { code: 'bad_passphrase' },
    });
    expect(b.call('handoff.setupFromFile', { text: '{"format":"x"}', passphrase: '' })).toMatchObject({
      ok: false,
      error: { code: 'not_a_setup_file' },
    });
    expect(b.must('app.status', {}).event).toBeNull();

    const setup = b.must('handoff.setupFromFile', { text: exported.text, passphrase: 'correct horse battery' });
    expect(setup.canSign).toBe(true);
    expect(setup.event.id).toBe(a.must('app.status', {}).event!.id);
    expect(setup.guests).toBe(exported.guests);
    expect(b.must('stats.get', {}).guests).toBe(a.must('stats.get', {}).guests);
    // The lists came along: a complete-list import on B takes off only that list's missing guest.
    expect(b.must('roster.lists', {}).lists.map((l) => [l.name, l.guests])).toEqual([['VIP', 2]]);
    const complete = 'Name,Email,Organisation\nAda Brandt,ada@vip.example,Protokoll\n';
    expect(await b.importList(complete, 'VIP', true)).toMatchObject({ removed: 1 });
    expect(b.must('stats.get', {}).guests).toBe(a.must('stats.get', {}).guests - 1);
    // B never makes an event key of its own: it signs with the device key A certified for it.
    const bKeys = b.must('keys.list', {}).keys;
    expect(bKeys.filter((k) => k.kind === 'event' && k.hasPrivateKey)).toEqual([]);
    expect(bKeys.find((k) => k.keyId === exported.deviceKeyId)).toMatchObject({ hasPrivateKey: true });

    // A badge printed on A scans green on B.
    const [g1, g2] = a.k.kiosk.db!.prepare(`SELECT id FROM guests ORDER BY id LIMIT 2`).pluck().all() as string[];
    const badgeA = a.must('codes.issue', { guestId: g1!, deviceKey: false }).code;
    expect(b.must('guests.scan', { code: badgeA }).status).toBe('checked_in');
    // A badge B prints for a roster guest verifies on A: short codes under the event's code secret (it came
    // sealed), and the long form (an event that carries names) under the device key A certified for B.
    const badgeB = b.must('codes.issue', { guestId: g2!, deviceKey: false });
    expect(a.must('codes.verify', { code: badgeB.code }).valid).toBe(true);
    b.must('codes.setPolicy', { carryDetails: true });
    const longB = b.must('codes.issue', { guestId: g2!, deviceKey: false });
    expect(longB.keyId).toBe(exported.deviceKeyId);
    expect(a.must('codes.verify', { code: longB.code })).toMatchObject({ valid: true, keyKind: 'device' });
    b.must('codes.setPolicy', { carryDetails: false });

    // Walk-ins, each admitted at the other door from the badge alone.
    const walkB = b.must('guests.walkIn', {
      name: '王芳',
      organization: '复旦大学',
      email: 'wang@example.cn',
      role: 'guest',
    });
    const walkBadgeB = b.must('codes.issue', { guestId: walkB.guest!.id, deviceKey: true }).code;
    const onA = a.must('guests.scan', { code: walkBadgeB });
    expect(onA.status).toBe('checked_in');
    // A short code carries no name: A knows this guest by id until sync brings B's walk-in record.
    expect(onA.guest!.id).toBe(walkB.guest!.id);
    const walkA = a.must('guests.walkIn', { name: 'Jörg Weiß', organization: 'TU Dresden', email: '', role: 'guest' });
    const walkBadgeA = a.must('codes.issue', { guestId: walkA.guest!.id, deviceKey: true }).code;
    expect(b.must('guests.scan', { code: walkBadgeA }).status).toBe('checked_in');

    // Later both pair with one server: the same event, nothing twice.
    const eventId = await publish(server, a.k.kiosk);
    expect(eventId).toBe(setup.event.id);
    await a.k.kiosk.sync!.engine.pair(server.url, await pairingCode(server, eventId, 'North'));
    await b.k.kiosk.sync!.engine.pair(server.url, await pairingCode(server, eventId, 'South'));
    for (let round = 0; round < 2; round++) {
      await a.k.kiosk.sync!.engine.syncOnce();
      await b.k.kiosk.sync!.engine.syncOnce();
    }
    const localCheckins = (t: TestKiosk) =>
      t.kiosk
        .db!.prepare(
          `SELECT count(*) FROM facts WHERE type = 'check_in' AND device_id = (SELECT value FROM meta WHERE key = 'device_id')`,
        )
        .pluck()
        .get() as number;
    const stats = await adminGet<EventStats>(server, `/v1/admin/events/${eventId}/stats`);
    expect(localCheckins(a.k)).toBe(2);
    expect(localCheckins(b.k)).toBe(3);
    expect(stats.checkIns).toBe(5);
    expect(stats.devices).toBe(2);
    // Both kiosks now hold the same log, each event once; B's walk-in is one guest on A.
    const ids = (t: TestKiosk) => t.kiosk.db!.prepare(`SELECT id FROM facts ORDER BY id`).pluck().all();
    expect(ids(a.k)).toEqual(ids(b.k));
    expect(stats.facts).toBe((ids(a.k) as string[]).length);
    const named = a.k.kiosk.db!.prepare(`SELECT count(*) FROM guests WHERE display_name = '王芳'`).pluck().get();
    expect(named).toBe(1);
  }, 120_000);

  it('a set-up file needs a passphrase; a kiosk with an event is never set up again from a file', () => {
    const a = door('North');
    a.must('event.loadDemo', {});
    for (const passphrase of ['', 'short']) {
      expect(a.call('handoff.exportSetup', { passphrase })).toMatchObject({
        ok: false,
        error: { code: 'invalid_input' },
      });
    }
    const file = a.must('handoff.exportSetup', { passphrase: 'eight chars' });
    // The code secrets travel only sealed: the plain part has none.
    expect(JSON.parse(file.text)).toMatchObject({ package: { event: { id: expect.any(String) } } });
    expect((JSON.parse(file.text) as { package: Record<string, unknown> }).package['codeSecrets']).toBeUndefined();
    const b = door('South');
    b.must('handoff.setupFromFile', { text: file.text, passphrase: 'eight chars' });
    expect(b.call('handoff.setupFromFile', { text: file.text, passphrase: 'eight chars' })).toMatchObject({
      ok: false,
      error: { code: 'event_exists' },
    });
  });
});
