import type { Database } from 'better-sqlite3';

/**
 * The door's turn to write while a worker thread writes the same database through its own connection
 * (a big import's copy: roster/import-writer.ts). SQLite lets one connection write at a time, and a
 * deferred transaction of the door's that read before the worker committed could not write at all
 * (SQLITE_BUSY_SNAPSHOT, which no busy timeout retries). So the two take turns here, on shared memory:
 *
 * - the door raises WANT around each of its transactions (installWriteGate wraps db.transaction) and
 *   waits while the worker is IN_TXN — at most one step of the worker's chunk and its COMMIT (the worker
 *   looks at WANT between steps and commits early: doorWaiting);
 * - the worker raises IN_TXN before each of its transactions, and backs off while WANT is up.
 *
 * Both raise their flag and then read the other's (sequentially consistent Atomics): at least one of
 * them sees the other, so their transactions never overlap. The worker never waits for the door while it
 * holds SQLite's write lock, so nothing can deadlock. With no writer running the door pays one check of
 * a boolean per transaction.
 */
export const WANT = 0;
export const IN_TXN = 1;
/** Set by the owner: the worker starts no more transactions. */
export const STOP = 2;

/** Longest the door waits for the worker's turn to end before it goes on anyway (SQLite's busy timeout then applies). */
const DOOR_WAIT_LIMIT_MS = 5000;

export class WriteGate {
  /** Shared with the worker: WANT, IN_TXN, STOP. */
  readonly flags = new Int32Array(new SharedArrayBuffer(12));
  /**
   * Shared with the worker: when the door's last transaction began while a writer ran (doorClockNow; 0:
   * none yet). The writer takes long chunks while the door has been quiet for a while
   * (roster/chunk-size.ts). A plain float, not an atomic: a stale read only delays the switch by a chunk.
   */
  readonly doorClock = new Float64Array(new SharedArrayBuffer(8));
  private notTheDoor = 0;
  private writers = 0;
  private depth = 0;
  /** What the door's transactions waited for the worker so far (for the import's log). */
  readonly waits = { count: 0, ms: 0, maxMs: 0 };

  /**
   * Runs the import's own transactions on the door's thread (its recovery record, as its copy starts): they
   * take turns with the writer like any other, but they are not the door at work, and must not keep the
   * writer's chunks short.
   */
  notDoorWork<T>(run: () => T): T {
    this.notTheDoor++;
    try {
      return run();
    } finally {
      this.notTheDoor--;
    }
  }

  /** A worker starts writing (the door then takes turns with it). */
  writerStarted(): void {
    this.writers++;
  }

  /** The worker is gone: its flag goes down whatever state it left it in. */
  writerGone(): void {
    this.writers = Math.max(0, this.writers - 1);
    Atomics.store(this.flags, IN_TXN, 0);
    Atomics.notify(this.flags, IN_TXN);
  }

  /** Asks a running writer to start no more transactions (its chunk in progress ends as it would). */
  stopWriters(): void {
    Atomics.store(this.flags, STOP, 1);
    Atomics.notify(this.flags, WANT);
  }

  /** Runs the door's `run` (a transaction's body) with the worker standing aside. Nests. */
  hold<T>(run: () => T): T {
    if (this.writers === 0 && this.depth === 0) return run();
    // Stamped while a writer runs (from the import's start: its reading and checking come before the copy),
    // so the event's setup before an import does not count as the door at work.
    if (this.notTheDoor === 0) this.doorClock[0] = doorClockNow();
    const f = this.flags;
    if (this.depth++ === 0) {
      Atomics.store(f, WANT, 1);
      if (Atomics.load(f, IN_TXN) === 1) {
        const began = performance.now();
        const until = began + DOOR_WAIT_LIMIT_MS;
        while (Atomics.load(f, IN_TXN) === 1 && performance.now() < until) Atomics.wait(f, IN_TXN, 1, 50);
        const ms = performance.now() - began;
        this.waits.count++;
        this.waits.ms += ms;
        this.waits.maxMs = Math.max(this.waits.maxMs, ms);
      }
    }
    try {
      return run();
    } finally {
      if (--this.depth === 0) {
        Atomics.store(f, WANT, 0);
        Atomics.notify(f, WANT);
      }
    }
  }
}

const gates = new WeakMap<Database, WriteGate>();

/**
 * Makes every transaction of `db` (the kiosk's connection) hold the gate, and its close stop a writer. Call it before anything
 * creates transactions on it (openDatabase does): a transaction function made earlier is not wrapped.
 * The gate is taken when the transaction's body starts: a deferred BEGIN takes no lock nor snapshot
 * before its first statement, and an immediate one waits in SQLite's busy handler instead.
 */
export function installWriteGate(db: Database): WriteGate {
  const existing = gates.get(db);
  if (existing !== undefined) return existing;
  const gate = new WriteGate();
  const transaction = db.transaction.bind(db);
  db.transaction = ((fn: (...args: unknown[]) => unknown) =>
    transaction(function (this: unknown, ...args: unknown[]) {
      return gate.hold(() => fn.apply(this, args));
    })) as Database['transaction'];
  // A writer must not go on writing the file of a closed kiosk (the app quits, the event closes).
  const close = db.close.bind(db);
  db.close = (() => {
    gate.stopWriters();
    return close();
  }) as Database['close'];
  gates.set(db, gate);
  return gate;
}

/** The gate of a connection, if it has one. */
export function writeGateOf(db: Database): WriteGate | undefined {
  return gates.get(db);
}

/**
 * The worker's side: waits until the door wants nothing, then raises IN_TXN. Returns false (nothing
 * raised) once the owner has set STOP.
 */
export function enterAsWriter(flags: Int32Array): boolean {
  for (;;) {
    if (Atomics.load(flags, STOP) === 1) return false;
    if (Atomics.load(flags, WANT) === 1) {
      Atomics.wait(flags, WANT, 1, 20);
      continue;
    }
    Atomics.store(flags, IN_TXN, 1);
    if (Atomics.load(flags, WANT) === 0) return true;
    leaveAsWriter(flags); // the door came in between: its turn first
  }
}

/** The worker's side, inside its turn: whether the door is waiting for it (then it ends its turn soon). */
export function doorWaiting(flags: Int32Array): boolean {
  return Atomics.load(flags, WANT) === 1;
}

/**
 * A clock every thread of the process reads alike (each thread's performance.timeOrigin is the same wall
 * clock, taken as the thread started), for WriteGate.doorClock.
 */
export function doorClockNow(): number {
  return performance.timeOrigin + performance.now();
}

export function leaveAsWriter(flags: Int32Array): void {
  Atomics.store(flags, IN_TXN, 0);
  Atomics.notify(flags, IN_TXN);
}
