import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { readTable } from '../../electron/core/roster/read-table.ts';
import { zipFiles } from '../../electron/core/roster/zip.ts';

/**
 * The workbook reader (roster/read-xlsx.ts) on what Excel, LibreOffice and other writers put in a sheet:
 * each case here is a way the XML can say a cell, read as the user sees it in the spreadsheet.
 */
const encoder = new TextEncoder();

/** A workbook of hand-written parts: `sheet` is the inside of `<sheetData>`. */
function workbook(parts: { sheet: string; shared?: string[]; styles?: string; date1904?: boolean }): Uint8Array {
  const ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"';
  const files: Record<string, Uint8Array> = {
    'xl/workbook.xml': encoder.encode(
      `<?xml version="1.0"?><workbook ${ns}><workbookPr${parts.date1904 === true ? ' date1904="1"' : ''}/><sheets><sheet name="G" sheetId="1"/></sheets></workbook>`,
    ),
    'xl/worksheets/sheet1.xml': encoder.encode(
      `<?xml version="1.0"?>\r\n<worksheet ${ns}><cols><col min="1" max="3" width="9"/></cols><sheetData>${parts.sheet}</sheetData></worksheet>`,
    ),
  };
  if (parts.shared !== undefined)
    files['xl/sharedStrings.xml'] = encoder.encode(`<sst ${ns}>${parts.shared.join('')}</sst>`);
  if (parts.styles !== undefined)
    files['xl/styles.xml'] = encoder.encode(`<styleSheet ${ns}>${parts.styles}</styleSheet>`);
  return zipFiles(files, 6);
}

const rowsOf = async (bytes: Uint8Array) => {
  const table = await readTable('t.xlsx', bytes, () => {});
  return [table.headers, ...table.rows];
};

describe('reading a workbook', () => {
  it('every kind of cell as the spreadsheet shows it', async () => {
    const bytes = workbook({
      shared: [
        '<si><t>Name</t></si>',
        '<si><t xml:space="preserve">  Org  </t></si>',
        // rich text runs are joined; the phonetic guide (furigana) is not part of the text
        '<si><r><rPr><b/></rPr><t>王</t></r><r><t>芳</t></r><rPh sb="0" eb="1"><t>ワン</t></rPh></si>',
        '<si><t>a &lt;b&gt; &amp; &quot;c&quot; &#233;&#x4E2D;</t></si>',
        '<si/>',
        '<si><t>line1\r\nline2</t></si>',
      ],
      styles:
        '<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"/></numFmts>' +
        '<cellStyleXfs count="1"><xf numFmtId="14"/></cellStyleXfs>' +
        '<cellXfs count="4"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"><alignment/></xf><xf numFmtId="164"/><xf numFmtId="4"/></cellXfs>',
      sheet:
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="inlineStr"><is><t>Code</t></is></c></row>' +
        '<row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2" t="s"><v>3</v></c><c r="C2"><v>123456789012</v></c></row>' +
        // a blank row, then one whose cells skip a column and come out of order
        '<row r="3"/><row r="4"><c r="C4" t=\'str\'><v>x&amp;y</v></c><c r="A4" t="b"><v>1</v></c></row>' +
        // dates: a built-in date format, a custom one, a number format that is not a date
        '<row r="5"><c r="A5" s="1"><v>46113</v></c><c r="B5" s="2"><v>46113.5</v></c><c r="C5" s="3"><v>46113</v></c></row>' +
        // formulas give their cached value, never the formula; errors give nothing
        '<row r="6"><c r="A6" t="str"><f>UPPER("a")</f><v>A</v></c><c r="B6"><f>1+1</f><v>2</v></c><c r="C6" t="e"><v>#N/A</v></c></row>' +
        // cells without a reference follow each other; an empty shared string; a cell with no value
        '<row r="7"><c t="s"><v>4</v></c><c t="s"><v>5</v></c><c r="C7" s="1"/></row>' +
        '<row r="8"><c r="A8" t="inlineStr"><is><r><t>in</t></r><r><t>line</t></r></is></c><c r="B8"><v>1.5E-7</v></c></row>',
    });
    expect(await rowsOf(bytes)).toEqual([
      ['Name', 'Org', 'Code'],
      ['王芳', 'a <b> & "c" é中', '123456789012'],
      ['true', '', 'x&y'],
      ['2026-04-01', '2026-04-01T12:00:00.000Z', '46113'],
      ['A', '2', ''],
      ['', 'line1\nline2', ''],
      ['inline', '1.5e-7', ''],
    ]);
  });

  it('dates of a 1904 workbook', async () => {
    const bytes = workbook({
      date1904: true,
      styles: '<cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14"/></cellXfs>',
      sheet:
        '<row r="1"><c r="A1" t="inlineStr"><is><t>Date</t></is></c></row><row r="2"><c r="A2" s="1"><v>44651</v></c></row>',
    });
    expect(await rowsOf(bytes)).toEqual([['Date'], ['2026-04-01']]);
  });

  it('a cell past the last column, a value never closed: unreadable, not a crash', async () => {
    for (const sheet of [
      '<row r="1"><c r="ZZZZ1" t="inlineStr"><is><t>x</t></is></c></row>',
      '<row r="1"><c r="A1"><v>1</c></row>',
      '<row r="1"><c r="A1"><v>1</v></c>',
    ]) {
      await expect(readTable('t.xlsx', workbook({ sheet }), () => {})).rejects.toMatchObject({
        code: 'file_unreadable',
      });
    }
  });

  it('a sheet of several megabytes, read a window of rows at a time: every row once, in order, intact', async () => {
    const cell = (ref: string, text: string) => `<c r="${ref}" t="inlineStr"><is><t>${text}</t></is></c>`;
    const rows = Array.from({ length: 15_000 }, (_, i) => [
      `欧阳晓东${i}`,
      `Ärzte & Söhne ${i % 7}${'长三角'.repeat(i % 7)}`,
    ]);
    const sheet =
      `<row r="1">${cell('A1', '姓名')}${cell('B1', 'Firma')}</row>` +
      rows
        .map(
          ([name, org], i) =>
            `<row r="${i + 2}">${cell(`A${i + 2}`, name!)}${cell(`B${i + 2}`, org!.replace('&', '&amp;'))}</row>`,
        )
        .join('');
    expect(sheet.length).toBeGreaterThan(2 * 1024 * 1024);
    expect(await rowsOf(workbook({ sheet }))).toEqual([['姓名', 'Firma'], ...rows]);
  });

  // ExcelJS's streaming reader, used before, cut characters in two where its stream's chunks ended: in the
  // bench's 100,000-row workbook 147 Chinese names came back with U+FFFD in them (宋勇 read as 宋���).
  it('every Chinese name of a large workbook exactly as written', async () => {
    const family = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高欧阳司马';
    const given = '芳伟娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英';
    const names = Array.from(
      { length: 6_000 },
      (_, i) => `${family[i % family.length]}${given[(i * 7) % given.length]}${given[(i * 13) % given.length]}${i}`,
    );
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Gäste');
    ws.addRow(['姓名', '单位']);
    for (const [i, name] of names.entries()) ws.addRow([name, `长三角国家技术创新中心 第${i}分部`]);
    const table = await readTable('cjk.xlsx', new Uint8Array(await wb.xlsx.writeBuffer()), () => {});
    expect(table.rows.map((r) => r[0])).toEqual(names);
    expect(table.rows.map((r) => r[1])).toEqual(names.map((_, i) => `长三角国家技术创新中心 第${i}分部`));
  }, 60_000);
});
