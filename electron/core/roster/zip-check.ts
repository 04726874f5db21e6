import { unzipSync } from 'fflate';
import { inflateRawSync } from 'node:zlib';
import { LanyardFailure } from '../../../shared/result.ts';

/** Bigger than any roster's XML (a 100,000-row sheet unpacks to ~30 MB): a zip bomb stops here. */
export const MAX_UNPACKED_BYTES = 512 * 1024 * 1024;

/**
 * The whole archive checked before ExcelJS reads it: fflate inflates it once, so a damaged or truncated file
 * is refused here with a clear error (ExcelJS's streaming reader can wait forever on one); then every entry
 * is inflated by zlib with an output cap, so a zip bomb is refused by the bytes it really unpacks to, not by
 * its headers, which a hostile file can make lie.
 */
export function checkZip(bytes: Uint8Array, limit = MAX_UNPACKED_BYTES): void {
  let claimed = 0;
  try {
    unzipSync(bytes, {
      filter: (file) => {
        claimed += file.originalSize;
        if (claimed > limit) throw new LanyardFailure('file_too_large', 'the workbook unpacks to too much data');
        return true;
      },
    });
  } catch (error) {
    if (error instanceof LanyardFailure) throw error;
    throw new LanyardFailure('file_unreadable', `not a readable XLSX workbook: ${(error as Error).message}`);
  }
  // A hostile file's headers can lie, and fflate trusts them: inflate every entry again with
  // Node's zlib, which stops at the limit whatever the headers say.
  let unpacked = 0;
  for (const entry of zipEntries(bytes)) {
    if (entry.method === 0) unpacked += entry.data.length;
    else if (entry.method === 8) {
      try {
        unpacked += inflateRawSync(entry.data, { maxOutputLength: Math.max(1, limit - unpacked + 1) }).length;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || error instanceof RangeError)
          throw new LanyardFailure('file_too_large', 'the workbook unpacks to too much data');
        throw new LanyardFailure('file_unreadable', `not a readable XLSX workbook: ${(error as Error).message}`);
      }
    }
    if (unpacked > limit) throw new LanyardFailure('file_too_large', 'the workbook unpacks to too much data');
  }
}

/** The entries of a ZIP by its central directory: method and compressed bytes (fflate checked the structure). */
function* zipEntries(bytes: Uint8Array): Generator<{ method: number; data: Uint8Array }> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let end = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 65_535); i--) {
    if (view.getUint32(i, true) === 0x06054b50) {
      end = i;
      break;
    }
  }
  if (end < 0) return;
  const count = view.getUint16(end + 10, true);
  let at = view.getUint32(end + 16, true);
  for (let n = 0; n < count && at + 46 <= bytes.length; n++) {
    if (view.getUint32(at, true) !== 0x02014b50) return;
    const method = view.getUint16(at + 10, true);
    const size = view.getUint32(at + 20, true);
    const local = view.getUint32(at + 42, true);
    const next =
      at + 46 + view.getUint16(at + 28, true) + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
    if (local + 30 <= bytes.length && view.getUint32(local, true) === 0x04034b50) {
      const start = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
      yield { method, data: bytes.subarray(start, Math.min(bytes.length, start + size)) };
    }
    at = next;
  }
}
