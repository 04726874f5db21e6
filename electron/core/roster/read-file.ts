import fs from 'node:fs';
import { LanyardFailure } from '../../../shared/result.ts';
import { MAX_FILE_BYTES } from '../../../shared/roster/limits.ts';

/**
 * Reads a roster file from disk for the CLI: only a regular file (a symlink to one is fine), its size
 * checked on the open descriptor before reading (no race with a rename), and never more than the limit
 * plus one byte read, so a file that grows meanwhile, a FIFO or /dev/zero cannot exhaust memory.
 */
export function readRosterFile(file: string): Buffer {
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
  } catch (error) {
    throw new LanyardFailure('file_unreadable', `cannot open ${file}: ${(error as Error).message}`);
  }
  try {
    const stat = fs.fstatSync(fd);
    if (!stat.isFile()) {
      throw new LanyardFailure('file_not_regular', `${file} is not a regular file (a device, folder, pipe or socket)`);
    }
    if (stat.size > MAX_FILE_BYTES) {
      throw new LanyardFailure(
        'file_too_large',
        `${file} is ${Math.round(stat.size / 1048576)} MB; the limit is ${MAX_FILE_BYTES / 1048576} MB`,
      );
    }
    const buffer = Buffer.alloc(Math.min(stat.size, MAX_FILE_BYTES) + 1);
    let length = 0;
    for (;;) {
      const read = fs.readSync(fd, buffer, length, buffer.length - length, null);
      if (read === 0) break;
      length += read;
      if (length > MAX_FILE_BYTES) {
        throw new LanyardFailure(
          'file_too_large',
          `${file} grew past ${MAX_FILE_BYTES / 1048576} MB while it was read`,
        );
      }
      if (length === buffer.length) break; // the file grew: the size check above decides on the next import
    }
    return buffer.subarray(0, length);
  } finally {
    fs.closeSync(fd);
  }
}
