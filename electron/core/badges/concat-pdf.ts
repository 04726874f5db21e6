/**
 * One PDF of several, page after page. Chromium writes its PDFs plainly (Skia: a classic cross-reference
 * table, every object at generation 0, stream lengths written inline, a catalog with only its pages), and
 * such parts are joined here by copying bytes: each part's objects are renumbered after the previous
 * part's, its page tree hangs under one new root, its fonts and content streams are not touched. That takes
 * milliseconds where parsing and re-serialising every object (pdf-lib) took 0.8–1.0 s of CPU for 1,000
 * badges. A part written any other way is joined by pdf-lib instead.
 */
export async function concatenatePdfs(parts: readonly Uint8Array[]): Promise<Buffer> {
  if (parts.length === 1) return Buffer.from(parts[0]!);
  return joinPlainPdfs(parts) ?? joinWithPdfLib(parts);
}

export async function joinWithPdfLib(parts: readonly Uint8Array[]): Promise<Buffer> {
  const { PDFDocument } = await import('pdf-lib'); // loaded only for the rare part Chromium did not write
  const whole = await PDFDocument.create({ updateMetadata: false });
  for (const part of parts) {
    const doc = await PDFDocument.load(part, { updateMetadata: false });
    for (const page of await whole.copyPages(doc, doc.getPageIndices())) whole.addPage(page);
  }
  return Buffer.from(await whole.save({ addDefaultPage: false }));
}

interface PlainPdf {
  bytes: Buffer;
  /** Object number → [start, end) of "N 0 obj … endobj" in bytes. */
  objects: Map<number, [number, number]>;
  size: number;
  catalog: number;
  info: number | null;
  pages: number;
  pageCount: number;
}

const latin1 = (bytes: Buffer, start: number, end: number): string => bytes.toString('latin1', start, end);

/** The part's structure, or null if it is not the plain kind described above. */
export function readPlainPdf(input: Uint8Array): PlainPdf | null {
  const bytes = Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  const tail = latin1(bytes, Math.max(0, bytes.length - 1024), bytes.length);
  const startxref = /startxref\s+(\d+)\s+%%EOF\s*$/.exec(tail);
  if (startxref === null) return null;
  const xrefAt = Number(startxref[1]);
  const xref = latin1(bytes, xrefAt, bytes.length);
  const table = /^xref\r?\n0 (\d+)\r?\n/.exec(xref);
  if (table === null) return null;
  const size = Number(table[1]);
  const entriesAt = table[0].length;
  const objects = new Map<number, [number, number]>();
  const starts: number[] = [];
  for (let n = 1; n < size; n++) {
    const entry = xref.slice(entriesAt + n * 20, entriesAt + n * 20 + 18);
    if (!/^\d{10} \d{5} [nf]$/.test(entry)) return null;
    if (entry.endsWith('f')) continue;
    if (entry.slice(11, 16) !== '00000') return null;
    const start = Number(entry.slice(0, 10));
    objects.set(n, [start, 0]);
    starts.push(start);
  }
  // One table, one trailer: a file updated incrementally has more, and is not plain.
  const trailer = /^\s*trailer\s*<<([^]*?)>>\s*startxref/.exec(xref.slice(entriesAt + size * 20));
  if (trailer === null) return null;
  const root = /\/Root (\d+) 0 R/.exec(trailer[1]!);
  const info = /\/Info (\d+) 0 R/.exec(trailer[1]!);
  if (root === null) return null;
  // Each object ends with the last "endobj" before the next object (or the table) begins.
  starts.sort((a, b) => a - b);
  const nextStart = new Map(starts.map((s, i) => [s, starts[i + 1] ?? xrefAt]));
  for (const [n, extent] of objects) {
    const end = bytes.lastIndexOf('endobj', nextStart.get(extent[0])! - 6, 'latin1');
    if (end < extent[0] || !latin1(bytes, extent[0], extent[0] + 24).startsWith(`${n} 0 obj`)) return null;
    extent[1] = end + 'endobj'.length;
  }
  const catalog = objectText(bytes, objects, Number(root[1]));
  const pagesRef = catalog === null ? null : /^<<\s*\/Type\s*\/Catalog\s*\/Pages (\d+) 0 R\s*>>$/.exec(catalog.trim());
  if (pagesRef === null) return null;
  const pages = objectText(bytes, objects, Number(pagesRef[1]));
  const count = pages === null || /\/Parent /.test(pages) ? null : /\/Type \/Pages[^]*\/Count (\d+)/.exec(pages);
  if (count === null) return null;
  return {
    bytes,
    objects,
    size,
    catalog: Number(root[1]),
    info: info === null ? null : Number(info[1]),
    pages: Number(pagesRef[1]),
    pageCount: Number(count[1]),
  };
}

/** The text between "N 0 obj" and "endobj" of an object without a stream. */
function objectText(bytes: Buffer, objects: PlainPdf['objects'], n: number): string | null {
  const extent = objects.get(n);
  if (extent === undefined) return null;
  const text = latin1(bytes, extent[0], extent[1]);
  return text.includes('stream') ? null : text.slice(`${n} 0 obj`.length, -'endobj'.length);
}

/**
 * Renumbers the references of an object's dictionary part, leaving its strings alone: literal strings
 * "( … )" (nested, with escapes) and hex strings "< … >" are copied as they are.
 */
export function shiftReferences(text: string, by: number): string {
  let out = '';
  let plainFrom = 0;
  const shift = (plain: string) =>
    plain.replace(/(\d+) 0 (R|obj)\b/g, (_m, n: string, kind: string) => `${Number(n) + by} 0 ${kind}`);
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '(') {
      out += shift(text.slice(plainFrom, i));
      let depth = 0;
      let j = i;
      for (; j < text.length; j++) {
        if (text[j] === '\\') j++;
        else if (text[j] === '(') depth++;
        else if (text[j] === ')' && --depth === 0) break;
      }
      out += text.slice(i, j + 1);
      i = j;
      plainFrom = j + 1;
    } else if (c === '<' && text[i + 1] !== '<' && text[i - 1] !== '<') {
      const j = text.indexOf('>', i);
      out += shift(text.slice(plainFrom, i)) + text.slice(i, j + 1);
      i = j;
      plainFrom = j + 1;
    }
  }
  return out + shift(text.slice(plainFrom));
}

/** An object renumbered by `by`: its dictionary rewritten, its stream data (if any) copied as it is. */
function shiftedObject(bytes: Buffer, [start, end]: [number, number], by: number, addParent: number | null): Buffer {
  const text = latin1(bytes, start, end);
  const streamAt = /\bstream\r?\n/.exec(text);
  const head = streamAt === null ? text : text.slice(0, streamAt.index);
  let dict = shiftReferences(head, by);
  if (addParent !== null) dict = dict.replace('<<', `<</Parent ${addParent} 0 R\n`);
  if (streamAt === null) return Buffer.from(dict, 'latin1');
  return Buffer.concat([Buffer.from(dict, 'latin1'), bytes.subarray(start + streamAt.index, end)]);
}

/** The plain parts joined, or null if one of them is not plain. */
export function joinPlainPdfs(inputs: readonly Uint8Array[]): Buffer | null {
  const parts: PlainPdf[] = [];
  for (const input of inputs) {
    const part = readPlainPdf(input);
    if (part === null) return null;
    parts.push(part);
  }
  const chunks: Buffer[] = [Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  let at = chunks[0]!.length;
  const offsets: number[] = [];
  const write = (n: number, chunk: Buffer) => {
    offsets[n] = at;
    chunks.push(chunk, Buffer.from('\n'));
    at += chunk.length + 1;
  };
  const total = parts.reduce((sum, p) => sum + p.size - 1, 0);
  const root = total + 1;
  const catalog = total + 2;
  const kids: string[] = [];
  let base = 0;
  let info: number | null = null;
  for (const [k, part] of parts.entries()) {
    for (const [n, extent] of part.objects) {
      // Each part's catalog gives way to the new one; the first part's document information stays.
      if (n === part.catalog || (n === part.info && k > 0)) continue;
      write(n + base, shiftedObject(part.bytes, extent, base, n === part.pages ? root : null));
    }
    if (k === 0 && part.info !== null) info = part.info;
    kids.push(`${part.pages + base} 0 R`);
    base += part.size - 1;
  }
  const pageCount = parts.reduce((sum, p) => sum + p.pageCount, 0);
  write(root, Buffer.from(`${root} 0 obj\n<</Type /Pages\n/Count ${pageCount}\n/Kids [${kids.join(' ')}]>>\nendobj`));
  write(catalog, Buffer.from(`${catalog} 0 obj\n<</Type /Catalog\n/Pages ${root} 0 R>>\nendobj`));
  let xref = `xref\n0 ${catalog + 1}\n0000000000 65535 f \n`;
  for (let n = 1; n <= catalog; n++) {
    xref += offsets[n] === undefined ? '0000000000 00000 f \n' : `${String(offsets[n]).padStart(10, '0')} 00000 n \n`;
  }
  xref += `trailer\n<</Size ${catalog + 1}\n/Root ${catalog} 0 R${info === null ? '' : `\n/Info ${info} 0 R`}>>\nstartxref\n${at}\n%%EOF\n`;
  chunks.push(Buffer.from(xref, 'latin1'));
  return Buffer.concat(chunks);
}
