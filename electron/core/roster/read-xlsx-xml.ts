import { LanyardFailure } from '../../../shared/result.ts';

/**
 * The SpreadsheetML pieces the workbook reader (read-xlsx.ts) needs, read with indexOf and slice on short
 * strings (a cell, a string item, a window of rows): tags, attributes, entities, shared strings, date
 * styles, and one cell's text as ExcelJS gave it. Anything malformed throws `file_unreadable`.
 */
export const unreadable = (why: string): LanyardFailure =>
  new LanyardFailure('file_unreadable', `not a readable XLSX workbook: ${why}`);

/** Number formats ExcelJS knew as dates without a custom code (its defaultnumformats table). */
const BUILT_IN_DATES = new Set([14, 15, 16, 17, 18, 19, 20, 21, 22, 45, 46, 47]);

/** The position of the next `<name` tag (a whole name: `<c` is not `<col`) at or after `from`, or -1. */
export function tagAt(xml: string, name: string, from: number, before = xml.length): number {
  for (let at = xml.indexOf(`<${name}`, from); at !== -1 && at < before; at = xml.indexOf(`<${name}`, at + 1)) {
    const next = xml.charCodeAt(at + 1 + name.length);
    if (next === 0x3e || next === 0x20 || next === 0x2f || next === 0x09 || next === 0x0a || next === 0x0d) return at;
  }
  return -1;
}

/** The end of the tag opening at `at` (its `>`), or a failure. */
export function tagEnd(xml: string, at: number): number {
  const end = xml.indexOf('>', at);
  if (end === -1) throw unreadable('an element is cut off');
  return end;
}

/** An attribute's value in an opening tag's text, or undefined. */
function attribute(tag: string, name: string): string | undefined {
  const at = tag.search(new RegExp(`\\s${name}\\s*=`));
  if (at === -1) return undefined;
  const open = tag.indexOf('=', at) + 1;
  let q = open;
  while (tag[q] === ' ') q++;
  const quote = tag[q];
  if (quote !== '"' && quote !== "'") return undefined;
  const close = tag.indexOf(quote, q + 1);
  return close === -1 ? undefined : decodeXml(tag.slice(q + 1, close));
}

/** The `r`, `t` and `s` attributes of a cell's opening tag (the text after `<c`), without a regex per cell. */
export function cellAttributes(tag: string): { ref: string; type: string; style: number } {
  let ref = '';
  let type = '';
  let style = 0;
  for (let at = 0; ;) {
    const eq = tag.indexOf('=', at);
    if (eq === -1) break;
    const name = tag.slice(at, eq).trim();
    let q = eq + 1;
    while (tag.charCodeAt(q) === 0x20) q++;
    const quote = tag[q];
    if (quote !== '"' && quote !== "'") break;
    const close = tag.indexOf(quote, q + 1);
    if (close === -1) break;
    const value = tag.slice(q + 1, close);
    if (name === 'r') ref = value;
    else if (name === 't') type = value;
    else if (name === 's') style = Number.parseInt(value, 10) || 0;
    at = close + 1;
  }
  return { ref, type, style };
}

/** The column number (1 = A) of a cell reference such as "AB12", or 0 if it has none. */
export function columnOf(ref: string): number {
  let col = 0;
  for (let i = 0; i < ref.length; i++) {
    const c = ref.charCodeAt(i);
    if (c >= 0x41 && c <= 0x5a) col = col * 26 + (c - 0x40);
    else if (c >= 0x61 && c <= 0x7a) col = col * 26 + (c - 0x60);
    else break;
  }
  return col;
}

const ENTITY = /&(?:#(\d+)|#x([0-9a-fA-F]+)|(lt|gt|amp|quot|apos));/g;
const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** XML text → its characters: the five entities and character references; CRLF read as LF, as XML does. */
function decodeXml(raw: string): string {
  let text = raw.includes('\r') ? raw.replace(/\r\n?/g, '\n') : raw;
  if (!text.includes('&')) return text;
  text = text.replace(ENTITY, (whole, dec: string | undefined, hex: string | undefined, name: string | undefined) => {
    if (name !== undefined) return NAMED[name]!;
    const code = Number.parseInt(dec ?? hex!, dec !== undefined ? 10 : 16);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
  return text;
}

/**
 * The text of the `<t>` elements of one string item or inline string (`inner`, a short slice: searches in
 * it end at its end), joined, leaving out phonetic runs (`<rPh>`).
 */
function textIn(inner: string): string {
  let text = '';
  for (let at = 0; ;) {
    const t = tagAt(inner, 't', at);
    if (t === -1) break;
    const phonetic = tagAt(inner, 'rPh', at);
    if (phonetic !== -1 && phonetic < t) {
      const end = inner.indexOf('</rPh>', phonetic);
      if (end === -1) throw unreadable('a phonetic run is not closed');
      at = end + 6;
      continue;
    }
    const open = tagEnd(inner, t);
    if (inner.charCodeAt(open - 1) === 0x2f) {
      at = open + 1; // <t/>
      continue;
    }
    const close = inner.indexOf('</t>', open);
    if (close === -1) throw unreadable('a text element is not closed');
    text += inner.slice(open + 1, close);
    at = close + 4;
  }
  return decodeXml(text);
}

export function sharedStrings(xml: string): string[] {
  const strings: string[] = [];
  for (let at = tagAt(xml, 'si', 0); at !== -1;) {
    const open = tagEnd(xml, at);
    if (xml.charCodeAt(open - 1) === 0x2f) {
      strings.push('');
      at = tagAt(xml, 'si', open);
      continue;
    }
    const close = xml.indexOf('</si>', open);
    if (close === -1) throw unreadable('a shared string is not closed');
    strings.push(textIn(xml.slice(open + 1, close)));
    at = tagAt(xml, 'si', close);
  }
  return strings;
}

/** ExcelJS's test for a date format: date or time letters outside quotes and brackets. */
function isDateFormat(code: string): boolean {
  return /[ymdhMsb]+/.test(code.replace(/\[[^\]]*]/g, '').replace(/"[^"]*"/g, ''));
}

/** The cell style indexes (`s`) whose number format is a date. */
export function dateStyleIds(xml: string): Set<number> {
  const formats = new Map<number, string>();
  for (let at = tagAt(xml, 'numFmt', 0); at !== -1; at = tagAt(xml, 'numFmt', at + 1)) {
    const tag = xml.slice(at, tagEnd(xml, at));
    formats.set(Number(attribute(tag, 'numFmtId')), attribute(tag, 'formatCode') ?? '');
  }
  const dates = new Set<number>();
  const start = tagAt(xml, 'cellXfs', 0);
  if (start === -1) return dates;
  const end = xml.indexOf('</cellXfs>', start);
  let index = 0;
  for (let at = tagAt(xml, 'xf', start, end); at !== -1; at = tagAt(xml, 'xf', at + 1, end)) {
    const id = Number(attribute(xml.slice(at, tagEnd(xml, at)), 'numFmtId') ?? 0);
    const custom = formats.get(id);
    if (custom !== undefined ? isDateFormat(custom) : BUILT_IN_DATES.has(id)) dates.add(index);
    index++;
  }
  return dates;
}

function numberText(raw: string, date: boolean, date1904: boolean): string {
  const value = Number.parseFloat(raw);
  if (!date || !Number.isFinite(value)) return String(value);
  const ms = Math.round((value - 25569 + (date1904 ? 1462 : 0)) * 86_400_000);
  const when = new Date(ms);
  return Number.isNaN(when.getTime()) ? String(value) : when.toISOString().replace(/T00:00:00\.000Z$/, '');
}

/** One cell's text from its type, style and inner XML (a short slice: searches in it end at its end). */
export function cellText(
  inner: string,
  type: string,
  style: number,
  shared: readonly string[],
  dateStyles: ReadonlySet<number>,
  date1904: boolean,
): string {
  if (type === 'inlineStr') return textIn(inner);
  const v = tagAt(inner, 'v', 0);
  let raw: string | null = null;
  if (v !== -1) {
    const open = tagEnd(inner, v);
    if (inner.charCodeAt(open - 1) !== 0x2f) {
      const close = inner.indexOf('</v>', open);
      if (close === -1) throw unreadable('a value is not closed');
      raw = inner.slice(open + 1, close);
    }
  }
  if (raw === null || type === 'e') return '';
  if (tagAt(inner, 'f', 0) !== -1) return type === 'str' ? decodeXml(raw) : String(Number.parseFloat(raw));
  switch (type) {
    case 's':
      return shared[Number.parseInt(raw, 10)] ?? '';
    case 'str':
      return decodeXml(raw);
    case 'b':
      return String(Number.parseInt(raw, 10) !== 0);
    default:
      return numberText(raw, dateStyles.has(style), date1904);
  }
}
