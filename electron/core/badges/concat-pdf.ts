import { PDFDocument } from 'pdf-lib';

/**
 * One PDF of `count` parts, page after page in the order of their indexes. Parts may arrive in any order;
 * each is copied in as soon as the ones before it are in, so that the copying happens while later parts
 * are still printing and only the writing is left for the end. A part keeps its own resources (its fonts
 * are embedded once per part); nothing is re-rendered or re-encoded. A single part is the whole as it is.
 */
export class PdfConcatenation {
  private readonly count: number;
  private readonly whole = PDFDocument.create({ updateMetadata: false });
  private readonly parts: Array<Uint8Array | undefined> = [];
  private next = 0;
  private copying: Promise<void> = Promise.resolve();
  private failure: unknown = null;

  constructor(count: number) {
    this.count = count;
  }

  add(index: number, pdf: Uint8Array): void {
    this.parts[index] = pdf;
    if (this.count === 1) return;
    this.copying = this.copying
      .then(() => this.copyReadyParts())
      .catch((error: unknown) => {
        this.failure ??= error;
      });
  }

  /** The whole document, once every part is added. */
  async finish(): Promise<Buffer> {
    if (this.count === 1 && this.parts[0] !== undefined) return Buffer.from(this.parts[0]);
    await this.copying;
    if (this.failure !== null) throw this.failure;
    if (this.next !== this.count) throw new Error(`PDF concatenation: ${this.next} of ${this.count} parts in`);
    return Buffer.from(await (await this.whole).save({ addDefaultPage: false }));
  }

  private async copyReadyParts(): Promise<void> {
    for (let part = this.parts[this.next]; part !== undefined; part = this.parts[this.next]) {
      const whole = await this.whole;
      const doc = await PDFDocument.load(part, { updateMetadata: false });
      for (const page of await whole.copyPages(doc, doc.getPageIndices())) whole.addPage(page);
      this.parts[this.next++] = undefined;
    }
  }
}
