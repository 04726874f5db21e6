import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { MAX_FILE_BYTES } from '../../shared/roster/limits.ts';
import { decodeUpload, SLICE_CHARS } from '../../electron/core/roster/upload-bytes.ts';

/** An uploaded file's base64 decoded a slice at a time (the door goes on between): the same bytes as in one go. */
describe('decodeUpload', () => {
  const counted = () => {
    const between = { count: 0, fn: async () => void between.count++ };
    return between;
  };

  it.each([0, 1, 2, 3])(
    'a 3 MB file ending %i bytes past a whole group: the same bytes, with pauses',
    async (extra) => {
      const bytes = randomBytes(3 * 1024 * 1024 + extra);
      const between = counted();
      const text = bytes.toString('base64');
      const decoded = await decodeUpload('a.csv', text, between.fn);
      expect(Buffer.compare(Buffer.from(decoded), bytes)).toBe(0);
      // A pause after every slice but the last: steps of ~1 ms, not one per megabyte (5–30 ms each).
      expect(between.count).toBe(Math.ceil(text.length / SLICE_CHARS) - 1);
      expect(SLICE_CHARS).toBeLessThanOrEqual(128 * 1024);
    },
  );

  it('base64 that is not plain (line breaks, URL-safe letters, padding inside) decodes as Buffer does', async () => {
    const bytes = randomBytes(2 * 1024 * 1024);
    const plain = bytes.toString('base64');
    const wrapped = plain.replace(/.{76}/g, '$&\r\n'); // MIME's lines: no slice ends on a whole group
    const urlSafe = bytes.toString('base64url');
    const paddedInside = `${Buffer.from('ab').toString('base64')}${plain}`; // "YWI=" first: Buffer stops there
    // Not base64 at all in the third slice, and a slice that is URL-safe letters amid plain ones.
    const foreign = `${plain.slice(0, 2 * SLICE_CHARS + 7)}*${plain.slice(2 * SLICE_CHARS + 8)}`;
    const mixed = `${plain.slice(0, SLICE_CHARS)}${urlSafe.slice(SLICE_CHARS, 2 * SLICE_CHARS)}${plain.slice(2 * SLICE_CHARS)}`;
    const spaceInLast = `${plain.slice(0, plain.length - 9)} ${plain.slice(plain.length - 8)}`;
    for (const text of [wrapped, urlSafe, paddedInside, foreign, mixed, spaceInLast]) {
      const decoded = await decodeUpload('a.csv', text, async () => {});
      expect(Buffer.compare(Buffer.from(decoded), Buffer.from(text, 'base64'))).toBe(0);
    }
  });

  it('a file over the limit is refused from the text’s length, before any of it is decoded', async () => {
    const between = counted();
    const text = 'A'.repeat(Math.ceil(((MAX_FILE_BYTES + 1024) * 4) / 3));
    await expect(decodeUpload('huge.csv', text, between.fn)).rejects.toMatchObject({ code: 'file_too_large' });
    expect(between.count).toBe(0);
  });
});
