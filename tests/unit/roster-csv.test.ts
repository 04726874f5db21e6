import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  csvLine,
  CsvError,
  detectDelimiter,
  neutralizeFormula,
  parseCsv,
  parseCsvInSteps,
} from '../../shared/roster/csv.ts';
import { detectMapping, presetMapping } from '../../shared/roster/mapping.ts';
import { roleFrom, splitFullName, toRecords } from '../../shared/roster/records.ts';
import { referenceParseCsv } from '../support/csv-reference.ts';

describe('CSV parsing', () => {
  it('in steps: pauses every few hundred rows (so scans run between) and ends with the same rows', () => {
    const text = Array.from({ length: 1_000 }, (_, i) => `name ${i},"org, ${i}",${i}\n`).join('');
    const steps = parseCsvInSteps(text, ',');
    let pauses = 0;
    let step = steps.next();
    for (; step.done !== true; step = steps.next()) pauses++;
    expect(pauses).toBeGreaterThanOrEqual(4);
    expect(step.value).toEqual(parseCsv(text, ','));
    expect(step.value).toHaveLength(1_000);
  });

  it('in steps with a sink: the same rows, handed over at each pause, and none kept', () => {
    const text = Array.from({ length: 1_000 }, (_, i) => (i % 7 === 0 ? '\n' : `name ${i},"org,\n${i}",${i}\r\n`)).join(
      '',
    );
    const batches: string[][][] = [];
    const indexes: number[] = [];
    const steps = parseCsvInSteps(
      text,
      ',',
      (index) => indexes.push(index),
      (rows) => batches.push(rows),
    );
    let step = steps.next();
    for (; step.done !== true; step = steps.next()) expect(batches.length).toBeGreaterThan(0);
    expect(step.value).toEqual([]);
    expect(batches.length).toBeGreaterThanOrEqual(4);
    expect(batches.flat()).toEqual(parseCsv(text, ','));
    // Row indexes run on across the batches (the row cap counts them).
    expect(indexes).toEqual([...batches.flat().keys()]);
  });

  it('in pieces (a big file as it was decoded): the rows, errors and line numbers of the joined text', () => {
    // Texts made of what matters at a piece's edge: quotes (doubled, unclosed, text after a closing one),
    // delimiters, CR, LF, CRLF, blank lines, a trailing delimiter; cut anywhere, even between "" or CR LF.
    const symbol = fc.constantFrom('a', '中', ',', '"', '""', '\n', '\r', '\r\n', ' ');
    const outcome = (run: () => string[][]) => {
      try {
        return { rows: run() };
      } catch (error) {
        if (!(error instanceof CsvError)) throw error;
        return { error: error.message, line: error.line };
      }
    };
    const inSteps = (input: string | string[]) => () => {
      const steps = parseCsvInSteps(input, ',');
      for (let step = steps.next(); ; step = steps.next()) if (step.done === true) return step.value;
    };
    fc.assert(
      fc.property(
        fc.array(symbol, { maxLength: 60 }).map((parts) => parts.join('')),
        fc.array(fc.nat(), { maxLength: 8 }),
        (text, cuts) => {
          const at = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((x, y) => x - y);
          const pieces = [0, ...at].map((from, k) => text.slice(from, at[k] ?? text.length));
          expect(outcome(inSteps(pieces))).toEqual(outcome(inSteps(text)));
        },
      ),
      { numRuns: 3_000 },
    );
    // A row cut by many pieces, and many rows in one: the same 1,000 rows as the joined text.
    const text = Array.from({ length: 1_000 }, (_, i) => `name ${i},"org,\n""${i}""",${i}\r\n`).join('');
    const pieces = Array.from({ length: Math.ceil(text.length / 7) }, (_, k) => text.slice(k * 7, k * 7 + 7));
    expect(inSteps(pieces)()).toEqual(parseCsv(text, ','));
    expect(inSteps([text.slice(0, 20_000), text.slice(20_000)])()).toEqual(parseCsv(text, ','));
  });

  it('in pieces, a quote never closed: the door gets a turn between pieces, and the error of the joined text', () => {
    const text = `name,org\n"${'x'.repeat(3_000_000)}`;
    const pieces = Array.from({ length: Math.ceil(text.length / 65_536) }, (_, k) =>
      text.slice(k * 65_536, (k + 1) * 65_536),
    );
    const steps = parseCsvInSteps(pieces, ',');
    let pauses = 0;
    expect(() => {
      for (let step = steps.next(); step.done !== true; step = steps.next()) pauses++;
    }).toThrow(new CsvError('a quoted field starting on line 2 is never closed', 2));
    // A turn after each piece until the cut row passed 1 M characters; then the rest is read in one go.
    expect(pauses).toBeGreaterThanOrEqual(16);
    expect(pauses).toBeLessThan(pieces.length - 1);
  });

  it('handles quotes, doubled quotes, embedded delimiters and newlines, CRLF and blank lines', () => {
    const text = 'a,b,c\r\n"x, y","he said ""hi""","line1\nline2"\r\n\r\nplain,,end\n';
    expect(parseCsv(text, ',')).toEqual([
      ['a', 'b', 'c'],
      ['x, y', 'he said "hi"', 'line1\nline2'],
      ['plain', '', 'end'],
    ]);
  });

  it('detects comma, semicolon and tab', () => {
    expect(detectDelimiter('Name,Email\nA,B')).toBe(',');
    expect(detectDelimiter('Vorname;Nachname;"Firma, GmbH"\n')).toBe(';');
    expect(detectDelimiter('姓名\t单位\t邮箱\n')).toBe('\t');
  });

  it('gives the same rows and errors (with lines) as the character-at-a-time reference parser', () => {
    const outcome = (parse: () => string[][]) => {
      try {
        return { rows: parse() };
      } catch (error) {
        return { error: (error as CsvError).message, line: (error as CsvError).line };
      }
    };
    const alphabet = fc.constantFrom('a', 'Ä', '张', ' ', ',', ';', '\t', '"', '\n', '\r', '\r\n', '""');
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 60 }), fc.constantFrom(',', ';', '\t'), (parts, delimiter) => {
        const text = parts.join('');
        const d = delimiter as ',' | ';' | '\t';
        expect(outcome(() => parseCsv(text, d))).toEqual(outcome(() => referenceParseCsv(text, d)));
      }),
      { numRuns: 5000 },
    );
  });

  it('reports an unterminated quote with its line', () => {
    expect(() => parseCsv('a\n"b\nc', ',')).toThrow(CsvError);
  });

  it('round-trips any table through csvLine (text cells come back, neutralised ones with their apostrophe)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.string({ unit: 'grapheme', maxLength: 12 }), { minLength: 1, maxLength: 5 }), {
          minLength: 1,
          maxLength: 8,
        }),
        fc.constantFrom(',' as const, ';' as const, '\t' as const),
        (table, delimiter) => {
          // A row whose cells are all empty carries no guest; the reader skips it by design.
          const rows = table.filter((r) => r.some((cell) => cell !== ''));
          const text = rows.map((r) => csvLine(r, delimiter)).join('');
          expect(parseCsv(text, delimiter)).toEqual(rows.map((r) => r.map(neutralizeFormula)));
        },
      ),
    );
  });

  it('never throws anything but CsvError on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), fc.constantFrom(',' as const, ';' as const), (text, d) => {
        try {
          parseCsv(text, d);
        } catch (error) {
          expect(error).toBeInstanceOf(CsvError);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('neutralises formula starters (OWASP)', () => {
    for (const s of ['=1', '+1', '-1', '@x', '\t=1', '\r=1', '\n=1', '\u0000=1+1', '\u001b@x', '\u0085=1'])
      expect(neutralizeFormula(s)).toBe(`'${s}`);
    for (const s of ['Anna', '1', '', "'=1"]) expect(neutralizeFormula(s)).toBe(s);
    expect(csvLine(['=HYPERLINK("x")', 5])).toBe(`"'=HYPERLINK(""x"")",5\r\n`);
  });
});

describe('column mapping', () => {
  it('detects English, German and Chinese headers', () => {
    expect(detectMapping(['First name', 'Last name', 'Company', 'E-Mail', 'Phone', 'Ticket', 'Role', 'Forum'])).toEqual(
      {
        givenName: 0,
        familyName: 1,
        organization: 2,
        email: 3,
        phone: 4,
        code: 5,
        role: 6,
        forum1: 7,
      },
    );
    expect(
      detectMapping(['Vorname', 'Nachname', 'Firma', 'E-Mail-Adresse', 'Telefon', 'Barcode', 'Typ', 'Fachforum']),
    ).toMatchObject({
      givenName: 0,
      familyName: 1,
      organization: 2,
      email: 3,
      phone: 4,
      code: 5,
      role: 6,
      forum1: 7,
    });
    expect(detectMapping(['姓名', '拼音', '单位', '邮箱', '电话', '票号', '类型', '分论坛', '备注'])).toEqual({
      fullName: 0,
      latinName: 1,
      organization: 2,
      email: 3,
      phone: 4,
      code: 5,
      role: 6,
      forum1: 7,
      note: 8,
    });
    expect(detectMapping(['\uFEFFName', 'Whatever'])).toEqual({ fullName: 0 });
  });

  it('applies a preset by exact column names', () => {
    const headers = [
      'Order code',
      'Attendee name',
      'Attendee name: First name',
      'Attendee name: Family name',
      'Product',
      'Secret',
      'E-mail',
      'Company',
    ];
    expect(presetMapping('pretix', headers)).toMatchObject({
      fullName: 1,
      givenName: 2,
      familyName: 3,
      role: 4,
      code: 5,
      email: 6,
      organization: 7,
    });
    expect(presetMapping('nope', headers)).toBeNull();
  });
});

describe('records', () => {
  it('keeps CJK names family-first, splits compound surnames and Latin names', () => {
    expect(splitFullName('欧阳晓东')).toEqual({ familyName: '欧阳', givenName: '晓东' });
    expect(splitFullName('刘青')).toEqual({ familyName: '刘', givenName: '青' });
    expect(splitFullName('佐藤 健')).toEqual({ familyName: '佐藤', givenName: '健' });
    expect(splitFullName('Anna Maria Müller')).toEqual({ familyName: 'Müller', givenName: 'Anna Maria' });
    const { records } = toRecords(['姓', '名'], [['王', '芳']], { familyName: 0, givenName: 1 }, []);
    expect(records[0]).toMatchObject({ displayName: '王芳', nativeName: '王芳' });
    const latin = toRecords(['First', 'Last'], [['Chloé', 'Dupont']], { givenName: 0, familyName: 1 }, []);
    expect(latin.records[0]!.displayName).toBe('Chloé Dupont');
  });

  it('maps role words in three languages', () => {
    expect(roleFrom('Referentin')).toBe('speaker');
    expect(roleFrom('媒体')).toBe('press');
    expect(roleFrom('Speaker ticket')).toBe('speaker');
    expect(roleFrom('General Admission')).toBe('guest');
  });
});
