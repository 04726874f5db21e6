import * as mupdf from 'mupdf';
import { scanGrayBuffer } from '@undecaf/zbar-wasm';

/**
 * ZBar misses some symbols on a page full of them (an A4 sheet of ten badges), differently at every
 * resolution: each pass paints the codes it found white and looks again, until a pass finds nothing new.
 */
async function scanAll(grey: Uint8Array, width: number, height: number): Promise<Set<string>> {
  const found = new Set<string>();
  for (let pass = 0; pass < 20; pass++) {
    const symbols = await scanGrayBuffer(grey.slice().buffer, width, height);
    const fresh = symbols.filter((s) => !found.has(s.decode()));
    if (fresh.length === 0) break;
    for (const symbol of symbols) {
      found.add(symbol.decode());
      const xs = symbol.points.map((p) => p.x);
      const ys = symbol.points.map((p) => p.y);
      const pad = Math.ceil((Math.max(...xs) - Math.min(...xs)) / 4);
      const [x0, x1] = [Math.max(0, Math.min(...xs) - pad), Math.min(width, Math.max(...xs) + pad)];
      const [y0, y1] = [Math.max(0, Math.min(...ys) - pad), Math.min(height, Math.max(...ys) + pad)];
      for (let y = y0; y < y1; y++) grey.fill(255, y * width + x0, y * width + x1);
    }
  }
  return found;
}

/**
 * Reads the QR codes printed in a PDF the way a door scanner would see the paper: every page rendered by
 * MuPDF (WASM) to a grey 300 dpi pixmap, then decoded by ZBar (WASM) — an independent decoder, not the
 * zxing the app scans with. One entry per page (or per page of `pages`, indexes from 0): its codes, sorted,
 * joined by newlines.
 */
export async function qrCodesInPdf(pdf: Uint8Array, dpi = 300, pages?: readonly number[]): Promise<string[]> {
  // ZBar finds every symbol of a one-badge page, but on an A4 sheet of ten small QR codes (24-digit
  // codes: version 2) it misses one or two — different ones at different resolutions (measured at 150,
  // 200, 300, 400 dpi). A scanner reads one badge at a time, from varying distances: so a sheet is read at
  // the given resolution and at two lower ones, and what any reading decoded counts. Nothing is invented:
  // every code returned was decoded from the page's pixels.
  const readings = await Promise.all(
    [dpi, Math.round((dpi * 2) / 3), Math.round(dpi / 2)].map((d) => decodePages(pdf, d, pages)),
  );
  return readings[0]!.map((_, page) =>
    [...new Set(readings.flatMap((r) => (r[page] === '' ? [] : r[page]!.split('\n'))))].sort().join('\n'),
  );
}

async function decodePages(pdf: Uint8Array, dpi: number, only?: readonly number[]): Promise<string[]> {
  const doc = mupdf.Document.openDocument(pdf, 'application/pdf');
  try {
    const pages: string[] = [];
    for (const i of only ?? Array.from({ length: doc.countPages() }, (_, i) => i)) {
      const page = doc.loadPage(i);
      const pixmap = page.toPixmap(mupdf.Matrix.scale(dpi / 72, dpi / 72), mupdf.ColorSpace.DeviceGray, false, true);
      const width = pixmap.getWidth();
      const height = pixmap.getHeight();
      const stride = pixmap.getStride();
      const pixels = pixmap.getPixels();
      // zbar wants tightly packed rows; MuPDF may pad them.
      const grey = new Uint8Array(width * height);
      for (let y = 0; y < height; y++) grey.set(pixels.subarray(y * stride, y * stride + width), y * width);
      pixmap.destroy();
      page.destroy();
      pages.push([...(await scanAll(grey, width, height))].sort().join('\n'));
    }
    return pages;
  } finally {
    doc.destroy();
  }
}
