import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { badgeData } from '../../electron/core/badges/badges.ts';
import { printJobs, renderBadgesPdf } from '../../electron/core/badges/render-pdf.ts';
import { createDispatcher } from '../../electron/core/dispatch.ts';
import { createKiosk, type Kiosk } from '../../electron/core/kiosk.ts';
import QRCode from 'qrcode';
import { badgeDocument, badgeSizes, type BadgeSize } from '../../shared/badges/templates.ts';
import type { EventInfo, Guest, ScanResult } from '../../shared/domain.ts';
import type { Result } from '../../shared/result.ts';
import * as mupdf from 'mupdf';
import os from 'node:os';
import { demoBadges } from '../support/badge-batch.ts';
import { tempDir } from '../support/temp.ts';
import { qrCodesInPdf } from '../support/pdf-qr.ts';
import { testSecrets } from '../support/secrets.ts';
import { valueOf as value } from '../support/call.ts';

/**
 * Badge → PDF (Chromium) → 300 dpi pixmap (MuPDF) → QR decoded by ZBar, an independent decoder — all from
 * npm: the code comes back exactly and scans green. Long names and organisations are shrunk to fit, never
 * clipped.
 */
const FONT_ROOT = path.resolve(import.meta.dirname, '../../node_modules/@fontsource');
let kiosk: Kiosk;
let call: (m: string, i: unknown) => Result<unknown>;
const data = tempDir('badges');
beforeAll(() => {
  kiosk = createKiosk({ dataDir: data.dir, now: Date.now, secrets: testSecrets });
  call = createDispatcher(kiosk.handlers);
  value(call('event.loadDemo', {}));
});
afterAll(() => {
  kiosk.close();
  data.cleanup();
});

describe('badges', () => {
  it.each(Object.keys(badgeSizes) as BadgeSize[])(
    '%s: the QR decodes to exactly the code, and the code scans green',
    async (size) => {
      const event = value<{ event: EventInfo }>(call('app.status', {})).event;
      const guestId = { cr80: 'g0001', '4x3in': 'g0004', a6: 'g0005', 'ql-62x100': 'g0006', '4x6in': 'g0007' }[size];
      const guest = value<Guest>(call('guests.get', { guestId }));
      const { code } = value<{ code: string }>(call('codes.issue', { guestId, deviceKey: false }));
      const rendered = await renderBadgesPdf([await badgeData(guest, code, event, 'en', '')], size, FONT_ROOT, 'label');
      expect(rendered.overflowing).toEqual([]);
      expect(await qrCodesInPdf(rendered.pdf)).toEqual([code]);
      // Rendered by the npm Chromium (or CHROME_PATH), never a browser the machine happens to have.
      expect(rendered.browser.source).toBe(process.env['CHROME_PATH'] ? 'CHROME_PATH' : 'npm');
      expect(value<ScanResult>(call('guests.scan', { code })).status).toBe('checked_in');
    },
  );

  it('a long German organisation and a four-character Chinese name fit the smallest label', async () => {
    const event = value<{ event: EventInfo }>(call('app.status', {})).event;
    const walkIn = value<ScanResult>(
      call('guests.walkIn', {
        name: '欧阳晓东',
        organization:
          'Rheinisch-Westfälische Forschungsgesellschaft für Werkstoff- und Verfahrenstechnik im Anlagen- und Maschinenbau mbH',
        email: '',
        role: 'partner',
      }),
    );
    const guest = walkIn.guest!;
    const { code } = value<{ code: string }>(call('codes.issue', { guestId: guest.id, deviceKey: false }));
    for (const size of ['cr80', 'ql-62x100'] as const) {
      const rendered = await renderBadgesPdf([await badgeData(guest, code, event, 'de', '')], size, FONT_ROOT, 'label');
      expect(rendered.overflowing).toEqual([]);
      expect(rendered.shrunk).toBeGreaterThan(0); // the organisation had to shrink, and then fitted
      expect(await qrCodesInPdf(rendered.pdf)).toEqual([code]);
    }
  });

  it('A4 sheets of cards: CR80 badges 2 × 5 per page, every QR readable', async () => {
    const event = value<{ event: EventInfo }>(call('app.status', {})).event;
    const ids = Array.from({ length: 12 }, (_, i) => `g${String(i + 20).padStart(4, '0')}`);
    const badges = [];
    for (const guestId of ids) {
      const guest = value<Guest>(call('guests.get', { guestId }));
      const { code } = value<{ code: string }>(call('codes.issue', { guestId, deviceKey: false }));
      badges.push(await badgeData(guest, code, event, 'zh-CN', ''));
    }
    const rendered = await renderBadgesPdf(badges, 'cr80', FONT_ROOT, 'a4');
    expect(rendered.overflowing).toEqual([]);
    const pages = await qrCodesInPdf(rendered.pdf);
    expect(pages).toHaveLength(2);
    const decoded = pages.flatMap((p) => p.split('\n')).sort();
    expect(decoded).toEqual(badges.map((b) => b.code).sort());
  });

  it('1,000 badges in one PDF: 1,000 pages of the label size; the first, the last and both sides of a print job boundary scan to their own codes and carry their names', async () => {
    const badges = await demoBadges(1000);
    const rendered = await renderBadgesPdf(badges, 'cr80', FONT_ROOT, 'label');
    expect(rendered.overflowing).toEqual([]);
    // The renderer prints in jobs, one page per CPU, and concatenates their PDFs: check where two meet.
    const firstJob = printJobs(badges, 1, os.availableParallelism())[0]!.length;
    expect(firstJob).toBeLessThan(1000);
    const pages = [0, firstJob - 1, firstJob, 999];
    expect(await qrCodesInPdf(rendered.pdf, 300, pages)).toEqual(pages.map((i) => badges[i]!.code));
    const doc = mupdf.Document.openDocument(rendered.pdf, 'application/pdf') as mupdf.PDFDocument;
    try {
      // The parts are joined by copying bytes (concat-pdf.ts): a reader needs no repair to find the pages.
      expect(doc.wasRepaired()).toBe(false);
      expect(doc.countPages()).toBe(1000);
      for (const i of pages) {
        const page = doc.loadPage(i);
        // Within 0.1 mm of CR80's 85.6 × 54 mm (72 pt to the inch).
        const [, , widthPt, heightPt] = page.getBounds();
        expect(Math.abs((widthPt * 25.4) / 72 - badgeSizes.cr80.widthMm)).toBeLessThan(0.1);
        expect(Math.abs((heightPt * 25.4) / 72 - badgeSizes.cr80.heightMm)).toBeLessThan(0.1);
        page.destroy();
      }
      // The names in their own script (Chinese on both) and in Latin letters, as text: a glyph missing
      // from the fonts would come out as U+FFFD.
      for (const i of [0, 999]) {
        const page = doc.loadPage(i);
        const text = page.toStructuredText('').asText();
        expect(text).toContain(badges[i]!.name);
        expect(text).toContain(badges[i]!.latinName);
        page.destroy();
      }
    } finally {
      doc.destroy();
    }
  }, 300_000);

  it('a Korean name prints in the bundled Noto Sans KR, not as a missing glyph (Noto Sans SC has no Hangul)', async () => {
    const korean = (await demoBadges(200)).filter((b) => /[\uac00-\ud7af]/.test(b.name)).slice(0, 2);
    expect(korean.length).toBe(2);
    const rendered = await renderBadgesPdf(korean, 'cr80', FONT_ROOT, 'label');
    const doc = mupdf.Document.openDocument(rendered.pdf, 'application/pdf');
    try {
      for (const [i, badge] of korean.entries()) {
        const page = doc.loadPage(i);
        const lines = (
          JSON.parse(page.toStructuredText('').asJSON()) as {
            blocks: { lines?: { text: string; font: { name: string } }[] }[];
          }
        ).blocks.flatMap((b) => b.lines ?? []);
        const nameLine = lines.find((l) => l.text.includes(badge.name.slice(1)));
        // Without the Korean font a system fallback drew the first syllable as U+FFFD.
        expect(nameLine?.text).toBe(badge.name);
        expect(nameLine?.font.name).toMatch(/NotoSansKR/);
        page.destroy();
      }
    } finally {
      doc.destroy();
    }
  }, 120_000);

  it('the event logo prints in the badge header; settings refuse anything but an image data URL', async () => {
    const logo = await QRCode.toDataURL('LOGO', { margin: 0, width: 64 });
    const saved = value<{ logoDataUrl: string }>(
      call('badges.setSettings', {
        settings: { defaultTemplate: 'a6', byRole: { speaker: 'cr80' }, printOnCheckIn: false, logoDataUrl: logo },
      }),
    );
    expect(saved.logoDataUrl).toBe(logo);
    const bad = call('badges.setSettings', {
      settings: { defaultTemplate: 'a6', byRole: {}, printOnCheckIn: false, logoDataUrl: 'javascript:alert(1)' },
    });
    expect(!bad.ok && bad.error.code).toBe('invalid_input');
    const event = value<{ event: EventInfo }>(call('app.status', {})).event;
    const guest = value<Guest>(call('guests.get', { guestId: 'g0030' }));
    const { code } = value<{ code: string }>(call('codes.issue', { guestId: guest.id, deviceKey: false }));
    const data = await badgeData(guest, code, event, 'en', logo);
    expect(badgeDocument([data], 'a6', '')).toContain(`<img class="logo" src="${logo}"`);
    const rendered = await renderBadgesPdf([data], 'a6', FONT_ROOT, 'label');
    expect(rendered.overflowing).toEqual([]);
    expect((await qrCodesInPdf(rendered.pdf)).join('\n')).toContain(code);
  });

  it('prints are events: a reprint needs a reason', () => {
    expect(
      value<{ printCount: number }>(call('badges.recordPrint', { guestId: 'g0010', template: 'cr80', reason: '' }))
        .printCount,
    ).toBe(1);
    const again = call('badges.recordPrint', { guestId: 'g0010', template: 'cr80', reason: '' });
    expect(!again.ok && again.error.code).toBe('reprint_needs_reason');
    expect(
      value<{ printCount: number }>(
        call('badges.recordPrint', { guestId: 'g0010', template: 'cr80', reason: 'badge torn' }),
      ).printCount,
    ).toBe(2);
    expect(kiosk.db!.prepare(`SELECT count(*) FROM facts WHERE type = 'badge_print'`).pluck().get()).toBe(2);
  });
});
