import {
  cellAttributes,
  cellText,
  columnOf,
  dateStyleIds,
  sharedStrings,
  tagAt,
  tagEnd,
  unreadable,
} from './read-xlsx-xml.ts';
import { unzipEntries } from './zip-check.ts';

export { unreadable } from './read-xlsx-xml.ts';

/**
 * The first worksheet with any rows of an XLSX workbook, as rows of cell texts, read straight from its XML
 * with indexOf and slice. ExcelJS's streaming reader (used until now) took ~6 s of CPU and ~3 s of GC for a
 * 100,000-row sheet: a SAX event and an object per tag and attribute, a Cell object per cell, and, because
 * ExcelJS writes the sheet before the shared strings in its zip, a round trip through a temporary file.
 * The parts a roster needs are few and regular (SpreadsheetML: rows of `<c>` cells with a type, a style and
 * a `<v>` value or an inline string), so this reads only them, with the values ExcelJS gave:
 * - `t="s"` the shared string (rich text runs joined, phonetic guides `<rPh>` left out);
 * - `t="inlineStr"` its text, `t="str"` its value, `t="b"` true / false, `t="e"` (an error) nothing;
 * - a formula its cached value (never the formula), a number as JavaScript prints it, a number in a date
 *   format (built-in ids 14–22, 45–47, or a custom format with date letters) as the ISO date (and time);
 * - cells placed by their `r` reference (A1, AB12…), so gaps stay gaps; without one, the next column.
 * Worksheets are taken in the archive's order, as ExcelJS did. Elements with a namespace prefix are not
 * recognised (ExcelJS did not either). Anything malformed is `file_unreadable`, never another exception.
 */
export interface WorkbookRows {
  /** The worksheets in the archive's order, each its rows; cells in column order, '' for gaps, not trimmed. */
  sheets(): Generator<Generator<string[], void, void>, void, void>;
}

const SHEET = /^xl\/worksheets\/sheet\d+\.xml$/;
const SHARED = 'xl/sharedStrings.xml';
const STYLES = 'xl/styles.xml';
const WORKBOOK = 'xl/workbook.xml';

/** Opens the workbook: unzips the parts it needs (zip-bomb capped) and reads shared strings and styles. */
export function openWorkbook(bytes: Uint8Array): WorkbookRows {
  const parts = unzipEntries(
    bytes,
    (name) => SHEET.test(name) || name === SHARED || name === STYLES || name === WORKBOOK,
  );
  const text = (name: string): string => parts.get(name)?.toString('utf8') ?? '';
  const shared = sharedStrings(text(SHARED));
  const dateStyles = dateStyleIds(text(STYLES));
  const date1904 = /<workbookPr\b[^>]*\bdate1904\s*=\s*["'](1|true)["']/.test(text(WORKBOOK));
  const sheets = [...parts.keys()].filter((name) => SHEET.test(name));
  return {
    *sheets() {
      for (const name of sheets) {
        const xml = parts.get(name)!;
        parts.delete(name); // the inflated bytes go with this sheet's rows
        yield sheetRows(xml, shared, dateStyles, date1904);
      }
    },
  };
}

/** Bytes of sheet XML decoded at a time: whole rows, about this much (a row longer than this: that row). */
const WINDOW_BYTES = 1 << 20;
const ROW_END = Buffer.from('</row>');

/**
 * A sheet's rows, its XML decoded a window of whole rows at a time: a sheet is the biggest part (~30 MB
 * for 100,000 rows of 7 columns, up to the unpacked limit for a wide one) and is never one string. Windows
 * end just after a `</row>`, which is ASCII, so no character is cut in two.
 */
function* sheetRows(
  xml: Buffer,
  shared: readonly string[],
  dateStyles: ReadonlySet<number>,
  date1904: boolean,
): Generator<string[], void, void> {
  const data = xml.indexOf('<sheetData');
  if (data === -1) return;
  for (let start = data; start < xml.length;) {
    let end = xml.length;
    if (start + WINDOW_BYTES < xml.length) {
      const last = xml.lastIndexOf(ROW_END, start + WINDOW_BYTES);
      const cut = last > start ? last : xml.indexOf(ROW_END, start + WINDOW_BYTES);
      if (cut !== -1) end = cut + ROW_END.length;
    }
    yield* rowsIn(xml.toString('utf8', start, end), shared, dateStyles, date1904);
    start = end;
  }
}

/** The rows in a window of sheet XML (whole rows; the last window may end with a row cut off: unreadable). */
function* rowsIn(
  xml: string,
  shared: readonly string[],
  dateStyles: ReadonlySet<number>,
  date1904: boolean,
): Generator<string[], void, void> {
  for (let at = tagAt(xml, 'row', 0); at !== -1;) {
    const open = tagEnd(xml, at);
    if (xml.charCodeAt(open - 1) === 0x2f) {
      at = tagAt(xml, 'row', open);
      continue; // <row/>: nothing in it
    }
    const close = xml.indexOf('</row>', open);
    if (close === -1) throw unreadable('a row is not closed');
    const cells: string[] = [];
    for (let c = tagAt(xml, 'c', open, close); c !== -1;) {
      const cOpen = tagEnd(xml, c);
      const { ref, type, style } = cellAttributes(xml.slice(c + 2, cOpen));
      const column = columnOf(ref) || cells.length + 1;
      if (column > 16_384) throw unreadable(`cell reference ${ref} is past the last column`);
      let next: number;
      let value = '';
      if (xml.charCodeAt(cOpen - 1) === 0x2f) next = cOpen + 1;
      else {
        const cClose = xml.indexOf('</c>', cOpen);
        if (cClose === -1 || cClose > close) throw unreadable('a cell is not closed');
        value = cellText(xml.slice(cOpen + 1, cClose), type, style, shared, dateStyles, date1904);
        next = cClose + 4;
      }
      while (cells.length < column - 1) cells.push('');
      if (cells.length === column - 1) cells.push(value);
      else cells[column - 1] = value; // out of order: placed by its reference
      c = tagAt(xml, 'c', next, close);
    }
    yield cells;
    at = tagAt(xml, 'row', close + 6);
  }
}
