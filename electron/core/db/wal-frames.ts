import fs from 'node:fs';

/**
 * How far a WAL has grown since it last started over, read from the -wal file itself (sqlite.org/
 * fileformat2.html, "WAL file format"; all fields big-endian).
 *
 * Never from the -shm file. SQLite's locks on a WAL database are POSIX advisory locks on the -shm file,
 * and POSIX drops every lock a process holds on a file when the process closes *any* descriptor of it
 * (sqlite.org/howtocorrupt.html §2.2). An earlier checkpoint worker read the -shm's header (mxFrame,
 * nBackfill) with its own open and close every 250 ms, and each close released the door's write lock, its
 * read marks and the lock that says the WAL index is in use: a CLI started then rebuilt the index under the
 * open kiosk and could write beside it (checkpoint-locks.test.ts). SQLite takes no lock on the -wal file.
 *
 * Header (32 bytes): magic, version, page size, checkpoint sequence, salt-1, salt-2, checksums. Each frame:
 * a 24-byte header (page number, size after a commit, salt-1, salt-2, checksums) and one page. The frames
 * written since the WAL started over carry the header's salts and come first; the rest of the file holds
 * older frames, whose salts differ (salt-1 counts up at each restart, salt-2 is random).
 */
export interface WalFrames {
  /** The WAL's current generation (its salts): a new one each time the WAL starts over. */
  generation: string;
  /** Frames written in this generation (committed, or of a transaction still being written). */
  frames: number;
}

const HEADER_BYTES = 32;
const FRAME_HEADER_BYTES = 24;
const MAGIC = [0x377f0682, 0x377f0683];

/** Null when there is no WAL yet (nothing to copy); throws when the file is not a WAL (caller decides). */
export function readWalFrames(walPath: string): WalFrames | null {
  let fd: number;
  try {
    fd = fs.openSync(walPath, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  try {
    const header = Buffer.alloc(HEADER_BYTES);
    if (fs.readSync(fd, header, 0, HEADER_BYTES, 0) < HEADER_BYTES) return null; // empty: not started yet
    if (!MAGIC.includes(header.readUInt32BE(0))) throw new Error(`${walPath} is not a SQLite WAL`);
    const pageSize = header.readUInt32BE(8);
    // SQLite's page sizes: a power of two from 512 to 65,536. Anything else is not a WAL SQLite wrote.
    if (pageSize < 512 || pageSize > 65_536 || (pageSize & (pageSize - 1)) !== 0)
      throw new Error(`${walPath} claims pages of ${pageSize} bytes`);
    const salt1 = header.readUInt32BE(16);
    const salt2 = header.readUInt32BE(20);
    const stride = FRAME_HEADER_BYTES + pageSize;
    const inFile = Math.floor((fs.fstatSync(fd).size - HEADER_BYTES) / stride);
    const frame = Buffer.alloc(FRAME_HEADER_BYTES);
    const current = (index: number): boolean =>
      fs.readSync(fd, frame, 0, FRAME_HEADER_BYTES, HEADER_BYTES + index * stride) === FRAME_HEADER_BYTES &&
      frame.readUInt32BE(8) === salt1 &&
      frame.readUInt32BE(12) === salt2;
    // This generation's frames are a prefix of the file: the first frame that is not one ends it.
    let low = 0;
    let high = Math.max(0, inFile);
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (current(middle)) low = middle + 1;
      else high = middle;
    }
    return { generation: `${salt1}:${salt2}`, frames: low };
  } finally {
    // Safe to close: SQLite holds no lock on the -wal file (see above), so there is none to drop.
    fs.closeSync(fd);
  }
}

/**
 * Frames no checkpoint has copied yet, as the checkpoint worker sees them: this generation's frames minus
 * what its own last checkpoint of the same generation copied. Another connection's checkpoint is not
 * seen: the count is then too high, and the worker's next checkpoint, finding little to copy, sets it right.
 */
export class UncheckpointedFrames {
  private generation = '';
  private copied = 0;
  private seen = '';

  /** Infinity for a file that is not a WAL: the worker then checkpoints, as SQLite would. */
  count(walPath: string): number {
    let wal: WalFrames | null;
    try {
      wal = readWalFrames(walPath);
    } catch {
      this.seen = '';
      return Number.POSITIVE_INFINITY;
    }
    this.seen = wal?.generation ?? '';
    if (wal === null) return 0;
    return wal.generation === this.generation ? Math.max(0, wal.frames - this.copied) : wal.frames;
  }

  /**
   * After a checkpoint that copied `copied` frames. They belong to the generation `count` saw just before,
   * if the WAL still holds it; a WAL that started over meanwhile holds only frames not yet copied.
   */
  checkpointed(walPath: string, copied: number): void {
    let now = '';
    try {
      now = readWalFrames(walPath)?.generation ?? '';
    } catch {
      // not a WAL: count() says Infinity until it is one
    }
    this.generation = now;
    this.copied = now !== '' && now === this.seen ? copied : 0;
  }
}
