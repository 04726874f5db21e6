import QRCode from 'qrcode';
import { afterAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { badgeData } from '../../electron/core/badges/badges.ts';
import { renderBadgesPdf } from '../../electron/core/badges/render-pdf.ts';
import { createDispatcher } from '../../electron/core/dispatch.ts';
import { badgeSizes, type BadgeSize } from '../../shared/badges/templates.ts';
import type { MethodOutput } from '../../shared/contract.ts';
import type { CodeCheck, Guest, ScanResult } from '../../shared/domain.ts';
import {
  cluster,
  guestIds,
  publish,
  startTestServer,
  type TestKiosk,
  type TestServer,
} from '../support/sync-server.ts';
import { typeOn } from '../support/keyboard-layouts.ts';
import { qrCodesInPdf } from '../support/pdf-qr.ts';
import { valueOf as value } from '../support/call.ts';

const FONT_ROOT = path.resolve(import.meta.dirname, '../../node_modules/@fontsource');

const servers: TestServer[] = [];
const kiosks: TestKiosk[] = [];
afterAll(async () => {
  for (const k of kiosks) k.kiosk.close();
  for (const s of servers) await s.close();
});

const call = (k: TestKiosk, method: string, input: unknown) => createDispatcher(k.kiosk.handlers)(method, input);
const issue = (k: TestKiosk, guestId: string) =>
  value<{ code: string }>(call(k, 'codes.issue', { guestId, deviceKey: false })).code;
const scan = (k: TestKiosk, code: string) => value<ScanResult>(call(k, 'guests.scan', { code }));
const verify = (k: TestKiosk, code: string) => value<CodeCheck>(call(k, 'codes.verify', { code }));
const policy = (k: TestKiosk) => value<MethodOutput<'codes.policy'>>(call(k, 'codes.policy', {}));
/** The last digit of the tag changed: what a forger who guesses gets. */
const altered = (code: string) => code.slice(0, -1) + ((Number(code.at(-1)) + 1) % 10);

async function threeDoors(): Promise<{ server: TestServer; organiser: TestKiosk; north: TestKiosk; south: TestKiosk }> {
  const server = await startTestServer({ kind: 'pglite' });
  servers.push(server);
  const { kiosks: doors } = await cluster(server, ['Organiser', 'North', 'South']);
  kiosks.push(...doors);
  const [organiser, north, south] = doors as [TestKiosk, TestKiosk, TestKiosk];
  return { server, organiser, north, south };
}

describe('badge codes of format 2 (≤ 50 digits) across kiosks of one event', () => {
  it('every badge size prints a QR that ZBar decodes to ≤ 50 digits, green on a second kiosk paired from the same event; forged and revoked codes are refused', async () => {
    const { organiser, north } = await threeDoors();
    const event = value<{ event: NonNullable<unknown> }>(call(organiser, 'app.status', {})).event as Parameters<
      typeof badgeData
    >[2];
    const ids = guestIds(organiser, Object.keys(badgeSizes).length + 1);
    for (const [i, size] of (Object.keys(badgeSizes) as BadgeSize[]).entries()) {
      const guest = value<Guest>(call(organiser, 'guests.get', { guestId: ids[i]! }));
      const code = issue(organiser, guest.id);
      const badge = await badgeData(guest, code, event, 'en', '');
      // Badge → PDF (Chromium) → 300 dpi pixels (MuPDF) → QR decoded by ZBar: exactly the code, ≤ 50 digits.
      const rendered = await renderBadgesPdf([badge], size, FONT_ROOT, 'label');
      const decoded = await qrCodesInPdf(rendered.pdf);
      expect(decoded).toEqual([code]);
      expect(decoded[0]!).toMatch(/^\d{1,50}$/);
      // Numeric mode, the densest QR mode, for the whole code.
      expect(QRCode.create(code, { errorCorrectionLevel: 'M' }).segments.map((s) => s.mode.id)).toEqual(['Numeric']);
      // No PII in the QR text (R15): the event has not opted in.
      expect(code).not.toContain(guest.name);
      const green = scan(north, code);
      expect(green).toMatchObject({ status: 'checked_in', guest: { id: guest.id } });
    }
    const last = ids.at(-1)!;
    const code = issue(organiser, last);
    expect(scan(north, altered(code))).toMatchObject({ status: 'invalid_code', reason: 'bad_signature', guest: null });
    expect(scan(north, `8101${'0'.repeat(20)}`)).toMatchObject({ status: 'invalid_code', guest: null });
    value(call(north, 'codes.revoke', { guestId: last, reason: 'badge reported stolen' }));
    expect(scan(north, code)).toMatchObject({ status: 'invalid_code', reason: 'revoked_code' });
    expect(verify(north, code)).toMatchObject({ valid: false, reason: 'revoked_code' });
    // Refusals write nothing.
    const written = north.kiosk.db!.prepare(`SELECT count(*) FROM checkins WHERE guest_id = ?`).pluck().get(last);
    expect(written).toBe(0);
  }, 180_000);

  it('a walk-in badge made on one kiosk is admitted by another before they sync, and named once they do', async () => {
    const { north, south } = await threeDoors();
    const walkIn = value<ScanResult>(
      call(north, 'guests.walkIn', {
        name: '欧阳晓明',
        organization: '上海长三角技术创新研究院',
        email: '',
        role: 'guest',
      }),
    );
    const code = issue(north, walkIn.guest!.id);
    expect(code).toBe(walkIn.guest!.codes[0]);
    expect(code).toHaveLength(36);
    expect(verify(south, code)).toMatchObject({ valid: true, guestId: walkIn.guest!.id });
    // On its own kiosk the code is on the roster, and still explained as a Lanyard code.
    expect(verify(north, code)).toMatchObject({ valid: true, guestId: walkIn.guest!.id, name: '欧阳晓明' });
    const admitted = scan(south, code);
    expect(admitted).toMatchObject({ status: 'checked_in', guest: { id: walkIn.guest!.id } });
    expect(scan(south, altered(code))).toMatchObject({ status: 'invalid_code', reason: 'bad_signature' });
    await north.kiosk.sync!.engine.syncOnce();
    await south.kiosk.sync!.engine.syncOnce();
    await south.kiosk.sync!.engine.syncOnce();
    expect(value<Guest>(call(south, 'guests.get', { guestId: walkIn.guest!.id }))).toMatchObject({
      name: '欧阳晓明',
      organization: '上海长三角技术创新研究院',
      walkIn: true,
    });
    // One guest at both doors: the north door's own check-in and the south door's are the same person.
    expect(scan(south, code).status).toBe('already_checked_in');
  });

  it('a lost kiosk: its generation is revoked, so what it mints afterwards is refused, while printed badges and synced walk-ins still admit', async () => {
    const { server, organiser, north, south } = await threeDoors();
    const [listed, later] = guestIds(organiser, 2);
    const printed = issue(organiser, listed!);
    const synced = value<ScanResult>(
      call(north, 'guests.walkIn', { name: 'Zoë Dubois', organization: 'Institut Pasteur', email: '', role: 'guest' }),
    ).code;
    await north.kiosk.sync!.engine.syncOnce();
    await south.kiosk.sync!.engine.syncOnce();
    // North is stolen. The thief holds generation 1 and mints a walk-in offline.
    const minted = value<ScanResult>(
      call(north, 'guests.walkIn', { name: 'Mallory Forged', organization: '', email: '', role: 'vip' }),
    ).code;
    // The organiser rotates, revokes generation 1 and republishes; the south door picks it up.
    value(call(organiser, 'codes.rotateSecret', {}));
    expect(value(call(organiser, 'codes.setSecretStatus', { generation: 1, status: 'revoked' }))).toMatchObject({
      secrets: [
        { generation: 1, status: 'revoked' },
        { generation: 2, status: 'active' },
      ],
    });
    await publish(server, organiser.kiosk);
    await south.kiosk.sync!.engine.syncOnce();
    expect(policy(south).secrets.map((s) => [s.generation, s.status])).toEqual([
      [1, 'revoked'],
      [2, 'active'],
    ]);
    expect(scan(south, minted)).toMatchObject({ status: 'invalid_code', reason: 'revoked_key' });
    expect(scan(south, printed).status).toBe('checked_in');
    // Recognised (checked in at the north door already), not refused: it reached the roster through sync.
    expect(scan(south, synced).status).toBe('already_checked_in');
    const fresh = issue(organiser, later!);
    expect(fresh.slice(0, 4)).toBe('8102');
    expect(scan(south, fresh).status).toBe('checked_in');
    // Retiring the generation (after reprinting) refuses even its roster badges.
    value(call(south, 'codes.setSecretStatus', { generation: 1, status: 'retired' }));
    expect(verify(south, printed)).toMatchObject({ valid: false, reason: 'retired_key' });
  });

  it('the long form with name and organisation is an event option, off by default, with its cost shown', async () => {
    const { server, organiser, south } = await threeDoors();
    const before = policy(organiser);
    expect(before).toMatchObject({ carryDetails: false, rosterDigits: 24, walkInDigits: 36, rosterScanMs: 250 });
    expect(before.detailedDigits).toBeGreaterThan(150);
    expect(before.detailedScanMs).toBe((before.detailedDigits! + 1) * 10);
    const [id] = guestIds(organiser, 1);
    expect(issue(organiser, id!)).toHaveLength(24);
    value(call(organiser, 'codes.setPolicy', { carryDetails: true }));
    const long = issue(organiser, id!);
    expect(long.length).toBeGreaterThan(150);
    const guest = value<Guest>(call(organiser, 'guests.get', { guestId: id! }));
    expect(verify(south, long)).toMatchObject({ valid: true, name: guest.name });
    await publish(server, organiser.kiosk);
    await south.kiosk.sync!.engine.syncOnce();
    expect(policy(south).carryDetails).toBe(true);
  });

  it('a printed badge scanned through a French and a German layout, an IME and a scanner prefix is still green', async () => {
    const { organiser, north } = await threeDoors();
    const ids = guestIds(organiser, 5);
    const codes = ids.map((id) => issue(organiser, id));
    const sent = [
      typeOn('fr', codes[0]!),
      typeOn('de', `]Q1${codes[1]!}`),
      typeOn('fr', `]Q1${codes[2]!}`),
      [...codes[3]!].map((c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0)).join(''),
      `${codes[4]!.slice(0, 4)} ${codes[4]!.slice(4, 12)}-${codes[4]!.slice(12)}\u001d\r\n`,
    ];
    expect(sent[0]).toMatch(/^_&/);
    sent.forEach((s, i) => expect(scan(north, s)).toMatchObject({ status: 'checked_in', code: codes[i] }));
  });
});
