/**
 * CSV as registration systems and Excel write it: RFC 4180 quoting (quotes doubled, fields with
 * newlines), `,` `;` or tab as delimiter (detected), CRLF or LF. Runtime-neutral: text in, rows out.
 */
export type Delimiter = ',' | ';' | '\t';

export class CsvError extends Error {
  readonly line: number;
  constructor(message: string, line: number) {
    super(message);
    this.line = line;
  }
}

/** The delimiter that splits the header line into the most fields (quotes respected). */
export function detectDelimiter(text: string): Delimiter {
  const firstLine = headerLine(text);
  let best: Delimiter = ',';
  let bestCount = -1;
  for (const d of [',', ';', '\t'] as const) {
    let count = 0;
    let quoted = false;
    for (const ch of firstLine) {
      if (ch === '"') quoted = !quoted;
      else if (ch === d && !quoted) count++;
    }
    if (count > bestCount) {
      best = d;
      bestCount = count;
    }
  }
  return best;
}

function headerLine(text: string): string {
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') quoted = !quoted;
    else if ((ch === '\n' || ch === '\r') && !quoted) return text.slice(0, i);
  }
  return text;
}

/**
 * Parses the whole text. Throws CsvError for an unterminated quote or text after a closing quote;
 * blank lines are skipped. `onRow` may throw to cancel (a time or row cap).
 */
export function parseCsv(text: string, delimiter: Delimiter, onRow: (index: number) => void = () => {}): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quotedSeen = false; // this row has a quoted field, so it is not blank even if every cell is empty
  let i = 0;
  let line = 1;
  const n = text.length;
  const endRow = (): void => {
    row.push(field);
    field = '';
    const blank = !quotedSeen && row.every((cell) => cell === '');
    if (!blank) {
      onRow(rows.length);
      rows.push(row);
    }
    row = [];
    quotedSeen = false;
  };
  while (i < n) {
    const ch = text[i]!;
    if (ch === '"' && field === '') {
      // Quoted field: runs to the next lone quote; "" is a literal quote.
      const startLine = line;
      quotedSeen = true;
      i++;
      for (;;) {
        if (i >= n) throw new CsvError(`a quoted field starting on line ${startLine} is never closed`, startLine);
        const c = text[i]!;
        if (c === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        if (c === '\n') line++;
        field += c;
        i++;
      }
      const next = text[i];
      if (next !== undefined && next !== delimiter && next !== '\n' && next !== '\r') {
        throw new CsvError(`unexpected text after a closing quote on line ${line}`, line);
      }
      continue;
    }
    if (ch === delimiter) {
      row.push(field);
      field = '';
      i++;
      continue;
    }
    if (ch === '\r' || ch === '\n') {
      endRow();
      if (ch === '\r' && text[i + 1] === '\n') i++;
      i++;
      line++;
      continue;
    }
    field += ch;
    i++;
  }
  if (field !== '' || row.length > 0 || quotedSeen) endRow();
  return rows;
}

/** OWASP CSV injection: a cell that a spreadsheet could read as a formula gets a leading apostrophe. */
export function neutralizeFormula(value: string): string {
  return /^[=+\-@\t\r\n]/.test(value) ? `'${value}` : value;
}

function quoteCell(value: string, delimiter: Delimiter): string {
  return /["\r\n]/.test(value) || value.includes(delimiter) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** One CSV line (CRLF-terminated, as Excel expects). Text cells are neutralised; numbers are not text. */
export function csvLine(cells: ReadonlyArray<string | number>, delimiter: Delimiter = ','): string {
  return `${cells.map((c) => (typeof c === 'number' ? String(c) : quoteCell(neutralizeFormula(c), delimiter))).join(delimiter)}\r\n`;
}
