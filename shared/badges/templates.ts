import type { Role } from '../domain.ts';

/**
 * Badge templates as HTML/CSS: one renderer for the screen preview, printing and PDF. A badge is a
 * page of its label size; text that might not fit (names, organisations) is shrunk by `fitBadgeText`.
 */
export const badgeSizes = {
  cr80: { label: 'CR80 card 85.6 × 54 mm', widthMm: 85.6, heightMm: 54 },
  '4x3in': { label: '4 × 3 in', widthMm: 101.6, heightMm: 76.2 },
  a6: { label: 'A6 105 × 148 mm', widthMm: 105, heightMm: 148 },
  'ql-62x100': { label: 'Brother QL 62 mm × 100 mm', widthMm: 62, heightMm: 100 },
  '4x6in': { label: '4 × 6 in', widthMm: 101.6, heightMm: 152.4 },
} as const;
export type BadgeSize = keyof typeof badgeSizes;

export const roleColours: Record<Role, string> = {
  speaker: '#c0392b',
  partner: '#27ae60',
  guest: '#2c3e50',
  press: '#f39c12',
  staff: '#2980b9',
  vip: '#8e44ad',
};

export interface BadgeData {
  guestId: string;
  name: string;
  latinName: string;
  organization: string;
  role: Role;
  roleLabel: string;
  forum: string;
  eventName: string;
  code: string;
  /** The QR code as an SVG document (qrcode's `toString(code, {type: 'svg'})`). */
  qrSvg: string;
  /** The event logo as a data URL, or '' for none. */
  logo: string;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Landscape labels put the QR beside the text; portrait ones below it. */
function isLandscape(size: BadgeSize): boolean {
  return badgeSizes[size].widthMm > badgeSizes[size].heightMm;
}

export function badgeCss(size: BadgeSize, fontFamily: string): string {
  const { widthMm, heightMm } = badgeSizes[size];
  const landscape = isLandscape(size);
  const qr = landscape ? Math.min(heightMm * 0.55, widthMm * 0.36) : Math.min(widthMm * 0.55, heightMm * 0.34);
  return `
    @page { size: ${widthMm}mm ${heightMm}mm; margin: 0; }
    * { box-sizing: border-box; margin: 0; padding: 0; }
    html, body { font-family: ${fontFamily}; color: #111; }
    .badge { width: ${widthMm}mm; height: ${heightMm}mm; overflow: hidden; position: relative; display: flex;
             flex-direction: column; page-break-after: always; break-after: page; background: #fff; }
    .event { font-size: ${landscape ? 2.6 : 3.4}mm; padding: 1.6mm 3mm; color: #444; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
    .logo { height: ${landscape ? 4 : 5.5}mm; vertical-align: middle; margin-right: 1.5mm; }
    .main { flex: 1; display: flex; flex-direction: ${landscape ? 'row' : 'column'}; gap: 2mm; padding: 0 3mm; min-height: 0; }
    .text { flex: 1; display: flex; flex-direction: column; justify-content: center; min-width: 0; min-height: 0; gap: 1mm; }
    .fit { flex: none; overflow: hidden; overflow-wrap: anywhere; line-height: 1.4; }
    .name { font-weight: 700; font-size: ${landscape ? 9 : 11}mm; max-height: ${landscape ? 18 : 22}mm; }
    .latin { font-size: ${landscape ? 3.2 : 4.2}mm; color: #333; max-height: 5mm; }
    .org { font-size: ${landscape ? 4 : 5}mm; max-height: ${landscape ? 10 : 11.5}mm; }
    .forum { font-size: ${landscape ? 3 : 4}mm; color: #333; max-height: 5mm; }
    .qr { width: ${qr}mm; height: ${qr}mm; flex: none; align-self: center; }
    .qr svg { width: 100%; height: 100%; display: block; }
    .role { height: ${landscape ? 7 : 10}mm; flex: none; color: #fff; font-weight: 700; font-size: ${landscape ? 4 : 5.5}mm;
            display: flex; align-items: center; justify-content: center; letter-spacing: 0.05em; }
  `;
}

export function badgeBodyHtml(b: BadgeData): string {
  return `<section class="badge" data-guest-id="${escapeHtml(b.guestId)}">
  <div class="event">${/^data:image\/(png|jpeg|svg\+xml);base64,[A-Za-z0-9+/=]+$/.test(b.logo) ? `<img class="logo" src="${b.logo}" alt="">` : ''}${escapeHtml(b.eventName)}</div>
  <div class="main">
    <div class="text">
      <div class="fit name" data-fit>${escapeHtml(b.name)}</div>
      ${b.latinName ? `<div class="fit latin" data-fit>${escapeHtml(b.latinName)}</div>` : ''}
      ${b.organization ? `<div class="fit org" data-fit>${escapeHtml(b.organization)}</div>` : ''}
      ${b.forum ? `<div class="fit forum" data-fit>${escapeHtml(b.forum)}</div>` : ''}
    </div>
    <div class="qr">${b.qrSvg}</div>
  </div>
  <div class="role" style="background:${roleColours[b.role]}">${escapeHtml(b.roleLabel)}</div>
</section>`;
}

const FONT_FAMILY = `'Noto Sans', 'Noto Sans SC', 'Noto Sans KR', sans-serif`;

/** How many labels of a size fit on an A4 sheet (10 mm margins), as columns × rows. */
export function a4Grid(size: BadgeSize): { columns: number; rows: number } {
  const { widthMm, heightMm } = badgeSizes[size];
  return { columns: Math.max(1, Math.floor(190 / widthMm)), rows: Math.max(1, Math.floor(277 / heightMm)) };
}

/** Labels: one badge per page of its size. A4: sheets of cards (e.g. CR80: 2 × 5 per page). */
export type BadgeLayout = 'label' | 'a4';

/** How many badges one page holds: 1 on labels, columns × rows on an A4 sheet. */
export function badgesPerPage(size: BadgeSize, layout: BadgeLayout): number {
  const { columns, rows } = a4Grid(size);
  return layout === 'a4' ? columns * rows : 1;
}

/** The page's styles: `fontCss` declares the bundled fonts (file URLs in the core). */
export function badgeStyles(size: BadgeSize, fontCss: string, layout: BadgeLayout): string {
  if (layout === 'label') return `${fontCss}${badgeCss(size, FONT_FAMILY)}`;
  const { columns } = a4Grid(size);
  const { widthMm, heightMm } = badgeSizes[size];
  const sheetCss = `
    @page { size: 210mm 297mm; margin: 0; }
    .sheet { width: 210mm; height: 297mm; padding: 10mm; display: grid; align-content: start; justify-content: center;
             grid-template-columns: repeat(${columns}, ${widthMm}mm); grid-auto-rows: ${heightMm}mm; break-after: page; }
    .sheet .badge { outline: 0.2mm dashed #bbb; break-after: auto; page-break-after: auto; }`;
  return `${fontCss}${badgeCss(size, FONT_FAMILY).replace(/@page \{[^}]*\}/, '')}${sheetCss}`;
}

/** The body of a printable document: one section per badge, or A4 sheets of them. */
export function badgeBodies(badges: readonly BadgeData[], size: BadgeSize, layout: BadgeLayout): string {
  if (layout === 'label') return badges.map(badgeBodyHtml).join('\n');
  const perPage = badgesPerPage(size, layout);
  const pages: string[] = [];
  for (let i = 0; i < badges.length; i += perPage) {
    pages.push(
      `<div class="sheet">${badges
        .slice(i, i + perPage)
        .map(badgeBodyHtml)
        .join('')}</div>`,
    );
  }
  return pages.join('\n');
}

function wrapDocument(styles: string, body: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><style>${styles}</style></head>\n<body>${body}</body></html>`;
}

/** A document with the styles and an empty body, for pages that then receive badges chunk by chunk. */
export function badgeShellDocument(size: BadgeSize, fontCss: string, layout: BadgeLayout): string {
  return wrapDocument(badgeStyles(size, fontCss, layout), '');
}

/** A whole printable document, one badge per label page. */
export function badgeDocument(badges: readonly BadgeData[], size: BadgeSize, fontCss: string): string {
  return wrapDocument(badgeStyles(size, fontCss, 'label'), badgeBodies(badges, size, 'label'));
}

/** Badges laid out on A4 sheets of cards, for office printers and cutters. */
export function badgeSheetDocument(badges: readonly BadgeData[], size: BadgeSize, fontCss: string): string {
  return wrapDocument(badgeStyles(size, fontCss, 'a4'), badgeBodies(badges, size, 'a4'));
}

/**
 * Shrinks every [data-fit] element's font until its text fits its box (never clipped, never overflowing).
 * Self-contained (no imports, no closures) so a browser can run it via `page.evaluate` or the renderer.
 * Each box shrinks in steps of 6 % until it fits. The boxes are stepped together: all are measured
 * (one layout), then every box that still overflows shrinks one step, and so on; a box's size does not
 * depend on the others', so each ends where stepping it alone would. Measuring right after each change
 * instead costs one layout per step, and a layout of a 1,000-badge document grows with its size.
 */
export function fitBadgeText(root: { querySelectorAll(selector: string): ArrayLike<unknown> }): number {
  type Box = {
    style: { fontSize: string };
    scrollHeight: number;
    clientHeight: number;
    scrollWidth: number;
    clientWidth: number;
    ownerDocument: { defaultView: { getComputedStyle(e: unknown): { fontSize: string } } };
  };
  const boxes = Array.from(root.querySelectorAll('[data-fit]') as ArrayLike<Box>);
  const sizes = boxes.map((el) => parseFloat(el.ownerDocument.defaultView.getComputedStyle(el).fontSize));
  let adjusted = 0;
  let pending = boxes.map((_, i) => i);
  for (let step = 0; step < 200 && pending.length > 0; step++) {
    // Read every box first, then write: one layout per step for the whole document.
    pending = pending.filter((i) => {
      const el = boxes[i]!;
      return (el.scrollHeight > el.clientHeight + 0.5 || el.scrollWidth > el.clientWidth + 0.5) && sizes[i]! > 4;
    });
    for (const i of pending) {
      sizes[i] = sizes[i]! * 0.94;
      boxes[i]!.style.fontSize = `${sizes[i]}px`;
      adjusted++;
    }
  }
  return adjusted;
}
