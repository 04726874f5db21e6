import { inflateRawSync } from 'node:zlib';
import { LanyardFailure } from '../../../shared/result.ts';

/** Bigger than any roster's XML (a 100,000-row sheet unpacks to ~30 MB): a zip bomb stops here. */
export const MAX_UNPACKED_BYTES = 512 * 1024 * 1024;

const unreadable = (why: string) => new LanyardFailure('file_unreadable', `not a readable XLSX workbook: ${why}`);
const tooMuch = () => new LanyardFailure('file_too_large', 'the workbook unpacks to too much data');

/**
 * The entries of an archive whose names `wanted` accepts, inflated, by name. A zip bomb is refused by the
 * bytes zlib really unpacks (its output is capped at what is left of `limit`), never by the sizes in the
 * headers, which a hostile file can make lie; a damaged or truncated archive (no end record, an entry
 * that is not where the directory says, a broken deflate stream) is refused as unreadable. Entries not
 * wanted are never inflated, so they cannot cost anything.
 */
export function unzipEntries(
  bytes: Uint8Array,
  wanted: (name: string) => boolean,
  limit = MAX_UNPACKED_BYTES,
): Map<string, Buffer> {
  const found = new Map<string, Buffer>();
  let unpacked = 0;
  for (const entry of zipEntries(bytes)) {
    if (!wanted(entry.name)) continue;
    let data: Buffer;
    if (entry.method === 0) data = Buffer.from(entry.data.buffer, entry.data.byteOffset, entry.data.byteLength);
    else if (entry.method === 8) {
      try {
        data = inflateRawSync(entry.data, { maxOutputLength: Math.max(1, limit - unpacked + 1) });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || error instanceof RangeError)
          throw tooMuch();
        throw unreadable((error as Error).message);
      }
    } else throw unreadable(`entry ${entry.name} uses compression method ${entry.method}`);
    unpacked += data.length;
    if (unpacked > limit) throw tooMuch();
    found.set(entry.name, data);
  }
  return found;
}

/** The whole archive inflated once, within `limit` (the tests' bomb check; the reader uses unzipEntries). */
export function checkZip(bytes: Uint8Array, limit = MAX_UNPACKED_BYTES): void {
  unzipEntries(bytes, () => true, limit);
}

const decoder = new TextDecoder();

/** The entries of a ZIP by its central directory: name, method and compressed bytes. Throws if damaged. */
function* zipEntries(bytes: Uint8Array): Generator<{ name: string; method: number; data: Uint8Array }> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let end = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 65_535); i--) {
    if (view.getUint32(i, true) === 0x06054b50) {
      end = i;
      break;
    }
  }
  if (end < 0) throw unreadable('no end of central directory (truncated?)');
  const count = view.getUint16(end + 10, true);
  let at = view.getUint32(end + 16, true);
  for (let n = 0; n < count; n++) {
    if (at + 46 > bytes.length || view.getUint32(at, true) !== 0x02014b50)
      throw unreadable('damaged central directory');
    const method = view.getUint16(at + 10, true);
    const size = view.getUint32(at + 20, true);
    const nameLength = view.getUint16(at + 28, true);
    const local = view.getUint32(at + 42, true);
    if (at + 46 + nameLength > bytes.length) throw unreadable('damaged central directory');
    const name = decoder.decode(bytes.subarray(at + 46, at + 46 + nameLength));
    at += 46 + nameLength + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
    if (local + 30 > bytes.length || view.getUint32(local, true) !== 0x04034b50)
      throw unreadable(`entry ${name} is not where the directory says`);
    const start = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
    if (start + size > bytes.length) throw unreadable(`entry ${name} is cut off`);
    yield { name, method, data: bytes.subarray(start, start + size) };
  }
}
