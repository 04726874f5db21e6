import { PDFDocument } from 'pdf-lib';

/**
 * One PDF of several, page after page in the given order. Each part keeps its own resources (its fonts
 * are embedded once per part), copied by reference, so nothing is re-rendered or re-encoded.
 */
export async function concatenatePdfs(parts: readonly Uint8Array[]): Promise<Buffer> {
  if (parts.length === 1) return Buffer.from(parts[0]!);
  const whole = await PDFDocument.create({ updateMetadata: false });
  for (const part of parts) {
    const doc = await PDFDocument.load(part, { updateMetadata: false });
    for (const page of await whole.copyPages(doc, doc.getPageIndices())) whole.addPage(page);
  }
  return Buffer.from(await whole.save({ addDefaultPage: false }));
}
