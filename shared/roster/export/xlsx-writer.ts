import { strToU8, zipSync } from 'fflate';

/**
 * A small SpreadsheetML (XLSX) writer for exports: typed cells (inline strings, numbers, dates), a
 * frozen, bold header row with an autofilter, and column widths. It writes plain XML strings and zips
 * them — roughly 10× faster than building ExcelJS's object model for 100,000 rows — and it can only
 * write values: there is no way for a cell to become a formula.
 */
export type XlsxCell = string | number | Date | null;

/** Builds a ZIP archive of `files` at deflate `level` (0–9). */
export type Zipper = (files: Record<string, Uint8Array>, level: number) => Uint8Array;

// 1980-01-01 12:00 (local): a fixed entry time, so the same export gives the same bytes.
const FIXED_MTIME = new Date(1980, 0, 1, 12);

/**
 * The runtime-neutral ZIP writer (fflate, pure JavaScript). A host with a faster native deflate (the
 * kiosk's node:zlib writer) passes its own `Zipper` instead.
 */
export const zipPortable: Zipper = (files, level) => {
  const entries: Record<string, [Uint8Array, { level: 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9; mtime: Date }]> = {};
  const clamped = Math.max(0, Math.min(9, Math.round(level))) as 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9;
  for (const [name, data] of Object.entries(files)) entries[name] = [data, { level: clamped, mtime: FIXED_MTIME }];
  return zipSync(entries);
};

export interface XlsxSheet {
  name: string;
  widths: number[];
  header: string[];
  rows: XlsxCell[][];
  /** Columns (0-based) holding dates, formatted yyyy-mm-dd hh:mm:ss. */
  dateColumns: number[];
}

// XML 1.0 forbids most control characters even escaped; drop them (a tab, LF and CR are allowed).
// eslint-disable-next-line no-control-regex -- the point is to remove control characters
const XML_FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;

// eslint-disable-next-line no-control-regex -- control characters need escaping or removal
const NEEDS_ESCAPE = /[&<>"\u0000-\u001f\ufffe\uffff]/;

function escapeXml(text: string): string {
  if (!NEEDS_ESCAPE.test(text)) return text; // the common case: nothing to do
  return text
    .replace(XML_FORBIDDEN, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/\r/g, '&#13;');
}

function columnName(index: number): string {
  let n = index + 1;
  let name = '';
  while (n > 0) {
    const rem = (n - 1) % 26;
    name = String.fromCharCode(65 + rem) + name;
    n = Math.floor((n - 1) / 26);
  }
  return name;
}

/** Excel's serial date: days since 1899-12-30, the Date read as wall-clock time. */
function serial(date: Date): number {
  return date.getTime() / 86_400_000 + 25_569;
}

function cellXml(ref: string, value: XlsxCell, style: number): string {
  if (value === null || value === '') return '';
  if (value instanceof Date) return `<c r="${ref}" s="2"><v>${serial(value)}</v></c>`;
  if (typeof value === 'number') return `<c r="${ref}"${style ? ` s="${style}"` : ''}><v>${value}</v></c>`;
  const first = value.charCodeAt(0);
  const last = value.charCodeAt(value.length - 1);
  const space = first <= 32 || last <= 32 || value.includes('\n') ? ' xml:space="preserve"' : '';
  return `<c r="${ref}" t="inlineStr"${style ? ` s="${style}"` : ''}><is><t${space}>${escapeXml(value)}</t></is></c>`;
}

function sheetXml(sheet: XlsxSheet): string {
  const cols = sheet.widths.map((w, i) => `<col min="${i + 1}" max="${i + 1}" width="${w}" customWidth="1"/>`).join('');
  const names = sheet.header.map((_, i) => columnName(i));
  const parts: string[] = [
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>',
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">',
    '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>',
    `<cols>${cols}</cols><sheetData>`,
    `<row r="1">${sheet.header.map((h, i) => cellXml(`${names[i]}1`, h, 1)).join('')}</row>`,
  ];
  sheet.rows.forEach((row, r) => {
    const n = r + 2;
    let cells = '';
    for (let i = 0; i < row.length; i++) cells += cellXml(`${names[i]}${n}`, row[i] ?? null, 0);
    parts.push(`<row r="${n}">${cells}</row>`);
  });
  parts.push('</sheetData>');
  parts.push(`<autoFilter ref="A1:${names[names.length - 1]}${sheet.rows.length + 1}"/>`);
  parts.push('</worksheet>');
  return parts.join('');
}

const STYLES = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd hh:mm:ss"/></numFmts>
<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>
<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>
<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>
<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>
</styleSheet>`;

export function writeXlsx(sheets: readonly XlsxSheet[], zip: Zipper = zipPortable): Uint8Array {
  const files: Record<string, Uint8Array> = {};
  const overrides = sheets
    .map(
      (_, i) =>
        `<Override PartName="/xl/worksheets/sheet${i + 1}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`,
    )
    .join('');
  files['[Content_Types].xml'] = strToU8(
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>${overrides}</Types>`,
  );
  files['_rels/.rels'] = strToU8(
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
  );
  const sheetEntries = sheets
    .map((s, i) => `<sheet name="${escapeXml(s.name.slice(0, 31))}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`)
    .join('');
  const filters = sheets
    .map(
      (s, i) =>
        `<definedName name="_xlnm._FilterDatabase" localSheetId="${i}" hidden="1">'${escapeXml(s.name.slice(0, 31)).replace(/'/g, "''")}'!$A$1:$${columnName(s.header.length - 1)}$${s.rows.length + 1}</definedName>`,
    )
    .join('');
  files['xl/workbook.xml'] = strToU8(
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>${sheetEntries}</sheets><definedNames>${filters}</definedNames></workbook>`,
  );
  const rels = sheets
    .map(
      (_, i) =>
        `<Relationship Id="rId${i + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`,
    )
    .join('');
  files['xl/_rels/workbook.xml.rels'] = strToU8(
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${rels}<Relationship Id="rId${sheets.length + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>`,
  );
  files['xl/styles.xml'] = strToU8(STYLES);
  sheets.forEach((s, i) => {
    files[`xl/worksheets/sheet${i + 1}.xml`] = strToU8(sheetXml(s));
  });
  // Level 1: exports are written once and opened once; speed matters more than the last 20% of size.
  return zip(files, 1);
}
