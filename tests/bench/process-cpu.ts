/**
 * CPU time of the processes a sync bench runs (Linux /proc), so the ingest can be judged by CPU spent per
 * fact — which holds roughly still on a loaded machine — beside its wall-clock rate, which does not.
 * Elsewhere (no /proc) every reading is null and the bench reports wall-clock figures only.
 */
import fs from 'node:fs';

/** Clock ticks per second of /proc's times: 100 on every Linux this project runs on. */
const TICKS_PER_SECOND = 100;

function stat(pid: number): { ppid: number; ownMs: number; childrenMs: number } | null {
  try {
    const text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: the fields after it follow its last ')'.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    const tick = (i: number) => (Number(fields[i]) * 1000) / TICKS_PER_SECOND;
    // fields[0] is field 3 (state): ppid is field 4, utime..cstime are fields 14..17.
    return { ppid: Number(fields[1]), ownMs: tick(11) + tick(12), childrenMs: tick(13) + tick(14) };
  } catch {
    return null;
  }
}

function processes(): number[] {
  try {
    return fs
      .readdirSync('/proc')
      .filter((name) => /^\d+$/.test(name))
      .map(Number);
  } catch {
    return [];
  }
}

/** CPU ms of one process, its reaped children included. */
export function processCpuMs(pid: number): number | null {
  const s = stat(pid);
  return s === null ? null : s.ownMs + s.childrenMs;
}

/**
 * The PostgreSQL postmaster serving `database` (found by a backend's command line, "postgres: user
 * database …"), or null. Its CPU with that of its live and reaped children is the database's whole CPU.
 */
export function postmasterOf(database: string): number | null {
  for (const pid of processes()) {
    let cmdline: string;
    try {
      cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    } catch {
      continue;
    }
    if (cmdline.startsWith('postgres:') && cmdline.includes(` ${database} `)) return stat(pid)?.ppid ?? null;
  }
  return null;
}

/** CPU ms of a postmaster and every process under it (backends, WAL writer, checkpointer, autovacuum). */
export function postgresCpuMs(postmaster: number): number | null {
  const own = processCpuMs(postmaster);
  if (own === null) return null;
  let children = 0;
  for (const pid of processes()) {
    const s = stat(pid);
    if (s !== null && s.ppid === postmaster) children += s.ownMs;
  }
  return own + children;
}
