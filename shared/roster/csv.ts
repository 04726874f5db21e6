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

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;

/**
 * Parses the whole text. Throws CsvError for an unterminated quote or text after a closing quote;
 * blank lines are skipped. `onRow` may throw to cancel (a time or row cap).
 *
 * Fields are cut out with `slice` between the positions found by scanning char codes: building them a
 * character at a time (`field += ch`) made a 10 MB file take ~0.5 s and a rope per cell.
 */
export function parseCsv(text: string, delimiter: Delimiter, onRow: (index: number) => void = () => {}): string[][] {
  const steps = parseCsvInSteps(text, delimiter, onRow);
  for (let step = steps.next(); ; step = steps.next()) if (step.done === true) return step.value;
}

/** Rows parsed between two pauses of parseCsvInSteps. */
const STEP_ROWS = 200;
/** Characters of a row cut by pieces beyond which the rest of the text is read in one (parseCsvInSteps). */
const MAX_CARRY = 1 << 20;

/**
 * parseCsv, pausing (`yield`) every STEP_ROWS rows, so a caller on the kiosk's main thread can let scans
 * run between steps of a big file; the rows are the generator's return value. With `sink`, the rows go
 * there at every pause and at the end instead (the return value is then empty), so no array of the whole
 * file is built.
 *
 * The text may come in pieces (a big file as it was decoded, a slice at a time): joining 10 MB of decoded
 * slices into one string held the door's thread ~50 ms (roster bench: the upload's worst scan, every
 * round). A row that a piece cuts is read again from its start with the next piece; rows, errors and line
 * numbers are the same as for the joined text (a property test cuts at every kind of place).
 */
export function* parseCsvInSteps(
  input: string | Iterable<string>,
  delimiter: Delimiter,
  onRow: (index: number) => void = () => {},
  sink: ((rows: string[][]) => void) | null = null,
): Generator<void, string[][], void> {
  let rows: string[][] = [];
  let sent = 0; // rows already given to the sink
  let pauseAt = STEP_ROWS;
  const d = delimiter.charCodeAt(0);
  let row: string[] = [];
  let quotedSeen = false; // this row has a quoted field, so it is not blank even if every cell is empty
  let line = 1;
  const endRow = (): void => {
    const blank = !quotedSeen && row.every((cell) => cell === '');
    if (!blank) {
      onRow(sent + rows.length);
      rows.push(row);
    }
    row = [];
    quotedSeen = false;
  };
  const pieces = (typeof input === 'string' ? [input] : input)[Symbol.iterator]();
  let carry = ''; // the start of a row the last piece cut
  for (let piece = pieces.next(), first = true; piece.done !== true; first = false) {
    if (!first) yield; // a turn for the door between pieces, rows or not
    let following = pieces.next();
    let last = following.done === true;
    let text = carry + piece.value;
    if (!last && carry.length > MAX_CARRY) {
      // One row over many pieces (a quote never closed): read again with each, it would cost the square
      // of its length. The rest of the text is joined once instead, as a file read whole.
      const rest: string[] = [];
      for (; following.done !== true; following = pieces.next()) rest.push(following.value);
      text += rest.join('');
      last = true;
    }
    piece = following;
    carry = '';
    const n = text.length;
    let i = 0;
    let rowStart = 0;
    let rowLine = line;
    // Before the last piece, a row that reaches the piece's end may go on in the next one.
    const cut = (): void => {
      carry = text.slice(rowStart);
      line = rowLine;
      row = [];
      quotedSeen = false;
    };
    scan: while (i < n) {
      if (rows.length >= pauseAt) {
        if (sink !== null) {
          sink(rows);
          sent += rows.length;
          rows = [];
        }
        pauseAt = rows.length + STEP_ROWS;
        yield;
      }
      // One field per turn, starting at i; a quote opens a quoted field only at the field's start.
      let field: string;
      if (text.charCodeAt(i) === QUOTE) {
        // Quoted field: runs to the next lone quote; "" is a literal quote.
        const startLine = line;
        quotedSeen = true;
        let from = i + 1;
        let head = '';
        for (;;) {
          const q = text.indexOf('"', from);
          // Not closed in this piece, or closed by its last character (it may be the first of a "").
          if ((q === -1 || q === n - 1) && !last) {
            cut();
            break scan;
          }
          if (q === -1) throw new CsvError(`a quoted field starting on line ${startLine} is never closed`, startLine);
          for (let k = text.indexOf('\n', from); k !== -1 && k < q; k = text.indexOf('\n', k + 1)) line++;
          if (text.charCodeAt(q + 1) === QUOTE) {
            head += text.slice(from, q + 1);
            from = q + 2;
            continue;
          }
          field = head + text.slice(from, q);
          i = q + 1;
          break;
        }
        const next = text.charCodeAt(i);
        if (i < n && next !== d && next !== LF && next !== CR) {
          throw new CsvError(`unexpected text after a closing quote on line ${line}`, line);
        }
      } else {
        let j = i;
        for (let c = text.charCodeAt(j); j < n && c !== d && c !== LF && c !== CR; c = text.charCodeAt(++j));
        if (j >= n && !last) {
          cut();
          break;
        }
        field = text.slice(i, j);
        i = j;
      }
      row.push(field);
      if (i >= n) {
        endRow();
        break;
      }
      const c = text.charCodeAt(i);
      i++;
      if (c === d) {
        if (i >= n) {
          if (!last) {
            cut();
            break;
          }
          row.push(''); // "a,b," at the very end: the last field is empty
          endRow();
        }
        continue;
      }
      if (c === CR && i >= n && !last) {
        cut(); // its LF may open the next piece
        break;
      }
      if (c === CR && text.charCodeAt(i) === LF) i++;
      line++;
      endRow();
      rowStart = i;
      rowLine = line;
    }
  }
  if (sink === null) return rows;
  if (rows.length > 0) sink(rows);
  return [];
}

/**
 * OWASP CSV injection: a cell that a spreadsheet could read as a formula gets a leading apostrophe. That is
 * one starting with `= + - @`, and one starting with any control character (TAB, CR, LF, NUL, …): some
 * spreadsheets skip those before deciding, so "\0=1+1" must be caught as well as "=1+1".
 */
export function neutralizeFormula(value: string): string {
  if (value.length === 0) return value;
  const first = value.charCodeAt(0);
  const control = first <= 0x1f || (first >= 0x7f && first <= 0x9f);
  return control || '=+-@'.includes(value[0]!) ? `'${value}` : value;
}

function quoteCell(value: string, delimiter: Delimiter): string {
  return /["\r\n]/.test(value) || value.includes(delimiter) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** One CSV line (CRLF-terminated, as Excel expects). Text cells are neutralised; numbers are not text. */
export function csvLine(cells: ReadonlyArray<string | number>, delimiter: Delimiter = ','): string {
  return `${cells.map((c) => (typeof c === 'number' ? String(c) : quoteCell(neutralizeFormula(c), delimiter))).join(delimiter)}\r\n`;
}
