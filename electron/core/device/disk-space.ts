import fs from 'node:fs';
import { LOW_DISK_MB, type DiskSpace } from '../../../shared/disk-space.ts';

/**
 * The free space of the file system that holds `dir`, for this user (statfs: one system call, no I/O),
 * and whether it is under `lowMb`. Null where it cannot be read (the screens then show nothing).
 */
export function readDiskSpace(dir: string, lowMb = LOW_DISK_MB): DiskSpace | null {
  try {
    const stats = fs.statfsSync(dir);
    const freeMb = Math.floor((stats.bavail * stats.bsize) / 1048576);
    return { freeMb, low: freeMb < lowMb };
  } catch {
    return null;
  }
}
