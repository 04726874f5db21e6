import * as mupdf from 'mupdf';
import { scanGrayBuffer } from '@undecaf/zbar-wasm';

/**
 * Reads the QR codes printed in a PDF the way a door scanner would see the paper: every page rendered by
 * MuPDF (WASM) to a grey 300 dpi pixmap, then decoded by ZBar (WASM) — an independent decoder, not the
 * zxing the app scans with. One entry per page: its codes, sorted, joined by newlines.
 */
export async function qrCodesInPdf(pdf: Uint8Array, dpi = 300): Promise<string[]> {
  // ZBar finds every symbol of a one-badge page, but on an A4 sheet of ten small QR codes (24-digit
  // codes: version 2) it misses one or two — different ones at different resolutions (measured at 150,
  // 200, 300, 400 dpi). A scanner reads one badge at a time, from varying distances: so a sheet is read at
  // the given resolution and at two lower ones, and what any reading decoded counts. Nothing is invented:
  // every code returned was decoded from the page's pixels.
  const readings = await Promise.all(
    [dpi, Math.round((dpi * 2) / 3), Math.round(dpi / 2)].map((d) => decodePages(pdf, d)),
  );
  return readings[0]!.map((_, page) =>
    [...new Set(readings.flatMap((r) => (r[page] === '' ? [] : r[page]!.split('\n'))))].sort().join('\n'),
  );
}

async function decodePages(pdf: Uint8Array, dpi: number): Promise<string[]> {
  const doc = mupdf.Document.openDocument(pdf, 'application/pdf');
  try {
    const pages: string[] = [];
    for (let i = 0; i < doc.countPages(); i++) {
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
      const symbols = await scanGrayBuffer(grey.buffer, width, height);
      pages.push(
        symbols
          .map((s) => s.decode())
          .sort()
          .join('\n'),
      );
    }
    return pages;
  } finally {
    doc.destroy();
  }
}
