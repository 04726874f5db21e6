import * as mupdf from 'mupdf';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import {
  concatenatePdfs,
  joinPlainPdfs,
  readPlainPdf,
  shiftReferences,
} from '../../electron/core/badges/concat-pdf.ts';

/** A part of `pages` pages, each `width` pt wide and saying which part and page it is. */
async function part(name: string, pages: number, width: number, objectStreams: boolean): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let i = 0; i < pages; i++) doc.addPage([width, 100]).drawText(`${name} page ${i + 1}`, { x: 10, y: 50, font });
  return doc.save({ useObjectStreams: objectStreams });
}

function pagesOf(pdf: Uint8Array): Array<{ width: number; text: string }> {
  const doc = mupdf.Document.openDocument(pdf, 'application/pdf') as mupdf.PDFDocument;
  try {
    // A reader that had to rebuild the cross-reference table would still show the pages: check it did not.
    expect(doc.wasRepaired()).toBe(false);
    return Array.from({ length: doc.countPages() }, (_, i) => {
      const page = doc.loadPage(i);
      const result = { width: page.getBounds()[2], text: page.toStructuredText('').asText().trim() };
      page.destroy();
      return result;
    });
  } finally {
    doc.destroy();
  }
}

const expected = [
  { width: 200, text: 'A page 1' },
  { width: 200, text: 'A page 2' },
  { width: 300, text: 'B page 1' },
  { width: 300, text: 'B page 2' },
  { width: 300, text: 'B page 3' },
  { width: 400, text: 'C page 1' },
];

describe('joining badge PDFs printed in parts', () => {
  it('plain parts (a classic cross-reference table) are joined by copying bytes: every page, in order', async () => {
    const parts = [await part('A', 2, 200, false), await part('B', 3, 300, false), await part('C', 1, 400, false)];
    expect(parts.map((p) => readPlainPdf(p)?.pageCount)).toEqual([2, 3, 1]);
    const joined = joinPlainPdfs(parts);
    expect(joined).not.toBeNull();
    expect(pagesOf(joined!)).toEqual(expected);
    // A strict second reader agrees.
    expect((await PDFDocument.load(joined!)).getPageCount()).toBe(6);
    expect(pagesOf(await concatenatePdfs(parts))).toEqual(expected);
  });

  it('parts written otherwise (object streams) are not plain, and are joined by pdf-lib instead', async () => {
    const parts = [await part('A', 2, 200, true), await part('B', 3, 300, false), await part('C', 1, 400, true)];
    expect(readPlainPdf(parts[0]!)).toBeNull();
    expect(joinPlainPdfs(parts)).toBeNull();
    expect(pagesOf(await concatenatePdfs(parts))).toEqual(expected);
  });

  it('a single part is the whole, untouched', async () => {
    const one = await part('A', 2, 200, true);
    expect(Buffer.compare(await concatenatePdfs([one]), Buffer.from(one))).toBe(0);
  });

  it('renumbering shifts references and object numbers, never what is inside a string', () => {
    expect(
      shiftReferences(
        '7 0 obj\n<</Parent 3 0 R /Kids [4 0 R 12 0 R] /Title (see 3 0 R \\) (5 0 R)) /Id <3020> /N 3 0 R>>',
        10,
      ),
    ).toBe('17 0 obj\n<</Parent 13 0 R /Kids [14 0 R 22 0 R] /Title (see 3 0 R \\) (5 0 R)) /Id <3020> /N 13 0 R>>');
  });
});
