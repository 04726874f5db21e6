import { CsvError, type Delimiter } from '../../shared/roster/csv.ts';

/**
 * The first CSV parser, kept as the oracle for the fast one in shared/roster/csv.ts: it reads one
 * character at a time and is easy to check against RFC 4180 by eye. Same rows, same errors, same lines.
 */
export function referenceParseCsv(text: string, delimiter: Delimiter): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quotedSeen = false;
  let i = 0;
  let line = 1;
  const n = text.length;
  const endRow = (): void => {
    row.push(field);
    field = '';
    if (quotedSeen || !row.every((cell) => cell === '')) rows.push(row);
    row = [];
    quotedSeen = false;
  };
  while (i < n) {
    const ch = text[i]!;
    if (ch === '"' && field === '') {
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
