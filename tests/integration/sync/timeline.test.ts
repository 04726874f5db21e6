import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { createDispatcher } from '../../../electron/core/dispatch.ts';
import { parseCsv } from '../../../shared/roster/csv.ts';
import type { ExportFile } from '../../../shared/roster/contract-types.ts';
import { waitJob } from '../../support/roster-kiosk.ts';
import type { Timeline } from '../../../shared/projection/timeline.ts';
import type { EventStats } from '../../../shared/sync/protocol.ts';
import {
  adminGet,
  cluster,
  codeOf,
  guestIds,
  startTestServer,
  type TestKiosk,
  type TestServer,
} from '../../support/sync-server.ts';
import { must } from '../../support/call.ts';

/**
 * Issue 17's live pictures on a real server with two real kiosks: the timeline route and the kiosk's
 * `stats.timeline` give the same figures, and they agree with the stats route.
 */
let server: TestServer;
let eventId: string;
let kiosks: [TestKiosk, TestKiosk];
let forumId = '';
let assignedGuest = '';

const scan = (k: TestKiosk, guestId: string) => must(k.kiosk, 'guests.scan', { code: codeOf(k, guestId) });
const syncAll = async () => {
  for (const k of kiosks) await k.kiosk.sync!.engine.syncOnce();
  for (const k of kiosks) await k.kiosk.sync!.engine.syncOnce();
};
const total = (t: Timeline) => t.buckets.reduce((n, b) => n + Object.values(b.byDoor).reduce((x, y) => x + y, 0), 0);
const nonEmpty = (t: Timeline) => t.buckets.filter((b) => Object.values(b.byDoor).some((n) => n > 0));

beforeAll(async () => {
  server = await startTestServer({ kind: 'pglite' });
  const made = await cluster(server, ['North', 'South']);
  eventId = made.eventId;
  kiosks = made.kiosks as [TestKiosk, TestKiosk];
  const [a, b] = kiosks;
  const ids = guestIds(a, 8);
  for (const id of ids.slice(0, 3)) expect(scan(a, id).status).toBe('checked_in');
  for (const id of ids.slice(3, 5)) expect(scan(b, id).status).toBe('checked_in');
  expect(scan(b, ids[0]!).status).toBe('checked_in'); // a duplicate: North stays the arrival
  forumId = must(a.kiosk, 'event.show', {}).event.forums[0]!.id;
  must(a.kiosk, 'forums.assign', { guestId: ids[1]!, forumId, overrideReason: '' });
  assignedGuest = ids[1]!;
  const undone = scan(b, ids[5]!);
  must(b.kiosk, 'checkins.undo', { checkinId: undone.checkin!.id });
  await syncAll();
}, 120_000);

afterAll(async () => {
  for (const k of kiosks ?? []) k.kiosk.close();
  await server?.close();
});

describe('timeline', () => {
  it('adds up to the stats route, stacked by door, with every scan in the last hour', async () => {
    const t = await adminGet<Timeline>(server, `/v1/admin/events/${eventId}/timeline?bucket=300`);
    const stats = await adminGet<EventStats>(server, `/v1/admin/events/${eventId}/stats`);
    expect(t.bucketSeconds).toBe(300);
    expect(total(t)).toBe(stats.checkedIn);
    expect(stats.checkedIn).toBe(5);
    const byDoor = (door: string) => t.buckets.reduce((n, b) => n + (b.byDoor[door] ?? 0), 0);
    expect([byDoor('North'), byDoor('South')]).toEqual([3, 2]);
    expect(t.doors).toEqual(['North', 'South']);
    expect(t.desks.map((d) => d.door).sort()).toEqual(['North', 'South']);
    const scans = t.scansPerMinute.reduce((n, m) => n + Object.values(m.byDesk).reduce((x, y) => x + y, 0), 0);
    expect(scans).toBe(stats.checkIns); // every scan, the duplicate and the undone one too
    expect(t.forums.length).toBeGreaterThan(0);
  });

  it('is the same on a kiosk (stats.timeline, through the contract) as on the server', async () => {
    const server5 = await adminGet<Timeline>(server, `/v1/admin/events/${eventId}/timeline?bucket=300`);
    for (const k of kiosks) {
      const call = createDispatcher(k.kiosk.handlers);
      const result = call('stats.timeline', { bucketSeconds: 300 });
      expect(result.ok).toBe(true);
      const t = (result as { value: Timeline }).value;
      expect(nonEmpty(t)).toEqual(nonEmpty(server5));
      expect(t.doors).toEqual(server5.doors);
      expect(t.forums).toEqual(server5.forums);
      expect(t.desks).toEqual(server5.desks);
    }
    const refused = createDispatcher(kiosks[0].kiosk.handlers)('stats.timeline', { bucketSeconds: 5 });
    expect(refused).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });

  it('refuses a bad bucket, a missing token and an unknown event', async () => {
    const get = (route: string, auth = true) =>
      fetch(`${server.url}${route}`, auth ? { headers: { authorization: `Bearer ${server.adminToken}` } } : {});
    const bad = await get(`/v1/admin/events/${eventId}/timeline?bucket=5`);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('invalid_request');
    expect((await get(`/v1/admin/events/${eventId}/timeline`, false)).status).toBe(401);
    expect((await get(`/v1/admin/events/no-such-event/timeline`)).status).toBe(404);
    const hourly = await adminGet<Timeline>(server, `/v1/admin/events/${eventId}/timeline`);
    expect(hourly.bucketSeconds).toBe(300); // the default
  });
});

describe('exports in the reader’s language', () => {
  const exportFrom = (query: string) =>
    fetch(`${server.url}/v1/admin/events/${eventId}/export?${query}`, {
      headers: { authorization: `Bearer ${server.adminToken}` },
    });
  const forumNames = () => must(kiosks[0].kiosk, 'event.show', {}).event.forums.find((f) => f.id === forumId)!.name;

  it('the page’s CSV in 中文: Chinese headers, the forum’s Chinese name instead of its id', async () => {
    const response = await exportFrom('format=csv&lang=zh-CN');
    expect(response.status).toBe(200);
    const table = parseCsv(
      Buffer.from(await response.arrayBuffer())
        .toString('utf8')
        .replace(/^\uFEFF/, ''),
      ',',
    );
    const header = table[0]!;
    expect(header).toContain('姓名');
    expect(header).toContain('分配的分论坛');
    const row = table.find((r) => r[header.indexOf('嘉宾编号')] === assignedGuest)!;
    expect(row[header.indexOf('分配的分论坛')]).toBe(forumNames().zh);
    expect(row[header.indexOf('已签到')]).toBe('是');
    // Without a language: the English file with forum ids that older scripts read.
    const legacy = parseCsv(
      Buffer.from(await (await exportFrom('format=csv')).arrayBuffer())
        .toString('utf8')
        .slice(1),
      ',',
    );
    expect(legacy[0]).toContain('Sub-forum assigned');
    expect(legacy.find((r) => r[0] === assignedGuest)![legacy[0]!.indexOf('Sub-forum assigned')]).toBe(forumId);
    expect((await exportFrom('format=csv&lang=fr')).status).toBe(400);
  });

  it('the page’s XLSX in Deutsch: German sheet names', async () => {
    const response = await exportFrom('format=xlsx&lang=de');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await response.arrayBuffer()) as unknown as ArrayBuffer);
    const sheets = wb.worksheets.map((w) => w.name);
    expect(sheets).toEqual(expect.arrayContaining(['Anwesenheit', 'Nicht erschienen', 'Spontangäste', 'Übersicht']));
    expect(sheets).toContain(`Forum ${forumNames().de}`.replace(/[\\/?*[\]:]/g, ' '));
  });

  it('the kiosk’s export (roster.export with lang) in Deutsch', async () => {
    const call = createDispatcher(kiosks[0].kiosk.handlers);
    const started = call('roster.export', { format: 'csv', forumId: '', lang: 'de' });
    expect(started.ok).toBe(true);
    const done = await waitJob(call, (started as { value: { jobId: string } }).value.jobId);
    const file = done.result as ExportFile;
    const table = parseCsv(
      Buffer.from(file.dataBase64, 'base64')
        .toString('utf8')
        .replace(/^\uFEFF/, ''),
      ',',
    );
    expect(table[0]).toContain('Zugewiesenes Unterforum');
    const row = table.find((r) => r[0] === assignedGuest)!;
    expect(row[table[0]!.indexOf('Zugewiesenes Unterforum')]).toBe(forumNames().de || forumNames().en);
  });
});
