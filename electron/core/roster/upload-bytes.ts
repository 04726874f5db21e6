import { LanyardFailure } from '../../../shared/result.ts';
import { MAX_FILE_BYTES } from '../../../shared/roster/limits.ts';

/**
 * Base64 characters decoded per step: a multiple of 4, so every slice ends on a whole group. 128 KiB take
 * ~0.7 ms (the plain-text test, the slice and the decode; 2–3 ms at worst here). Steps of 1 MiB took
 * 5–7 ms each, and on a loaded laptop 15–30 ms: the worst scans while a 100,000-row workbook uploaded
 * (the roster bench's reading phase, p99 11–14 ms against ~6–10 in the import's other phases).
 */
export const SLICE_CHARS = 128 * 1024;
const PLAIN_END = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * An uploaded file's bytes from the base64 the screen sends (roster.upload), decoded a slice at a time
 * with `between` awaited after each: a 10 MB list (13 MB of base64) decoded in one go held the door's
 * thread ~10 ms. A file over the size limit is refused from the text's length, before anything is decoded.
 * A slice that is not plain base64 (line breaks, padding before the end, other characters) ends the
 * slicing: the rest is decoded in one go, as Buffer's decoder always did it, so no text decodes differently.
 * Such a slice is told by what it decodes to: Buffer skips a character that is not base64 and stops at
 * padding, so only a slice of base64 letters alone (URL-safe ones too, which it reads the same anywhere)
 * gives three bytes for every four characters. A regular expression over every slice told the same at
 * ~4 ns a character, ~55 ms of the door's thread per 10 MB list.
 */
export async function decodeUpload(
  fileName: string,
  base64: string,
  between: () => Promise<void>,
): Promise<Uint8Array> {
  const most = Math.floor((base64.length * 3) / 4);
  if (most - 2 > MAX_FILE_BYTES)
    throw new LanyardFailure(
      'file_too_large',
      `${fileName} is ${Math.round(most / 1048576)} MB; the limit is ${MAX_FILE_BYTES / 1048576} MB`,
    );
  if (base64.length <= SLICE_CHARS) return Buffer.from(base64, 'base64');
  const bytes = Buffer.allocUnsafe(most);
  let length = 0;
  for (let at = 0; at < base64.length; at += SLICE_CHARS) {
    const slice = base64.slice(at, at + SLICE_CHARS);
    const last = at + SLICE_CHARS >= base64.length;
    // The last slice may end in padding: it is told by its characters. What a slice that is not plain
    // wrote past `length` is left behind: the rest is decoded again.
    const written = !last || PLAIN_END.test(slice) ? bytes.write(slice, length, 'base64') : -1;
    const plain = last ? written >= 0 : written === (slice.length / 4) * 3;
    if (!plain) return Buffer.concat([bytes.subarray(0, length), Buffer.from(base64.slice(at), 'base64')]);
    length += written;
    if (!last) await between();
  }
  return bytes.subarray(0, length);
}
