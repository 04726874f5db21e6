/**
 * Whether a process with this pid runs on this host: the app lock and the import's scratch files name their
 * writer's pid, and a dead writer's leftovers are ignored or removed.
 */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0); // signal 0: only asks whether the process exists
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // exists, but belongs to someone else
  }
}
