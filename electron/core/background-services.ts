import type { Database } from 'better-sqlite3';
import { BackupService } from './backup/service.ts';
import type { CodeService } from './badges/codes/signed-codes.ts';
import type { ShortCodeService } from './badges/codes/short-codes.ts';
import { startCheckpoints } from './db/checkpoints.ts';
import { readEvent } from './event/store.ts';
import { HubService } from './hub/service.ts';
import type { KioskOptions } from './kiosk-options.ts';
import type { MetaStore } from './meta.ts';
import type { Projections } from './sync/apply.ts';
import { ConflictStore } from './sync/conflicts.ts';
import { SyncEngine } from './sync/engine.ts';
import { SyncLoop } from './sync/loop.ts';

/** Sync with the central server: the engine (pair, one round, status) and its background loop. */
export interface SyncAgent {
  engine: SyncEngine;
  loop: SyncLoop;
}

/** The kiosk's work beside the door's own: each started by `startBackground` and stopped on close. */
export interface BackgroundServices {
  sync: SyncAgent;
  conflicts: ConflictStore;
  backups: BackupService;
  /** The venue hub (the sync server for the doors on the LAN). */
  hub: HubService;
}

export interface BackgroundDeps {
  db: Database;
  meta: MetaStore;
  options: KioskOptions;
  deviceId: string;
  projections: Projections;
  codes: CodeService;
  /** The door's name as staff and reports call it (the hub lists its own door by it). */
  doorName: () => string;
}

/** Sync, rolling backups and the venue hub of an open database; none of them runs until started. */
export function openBackgroundServices(deps: BackgroundDeps): BackgroundServices {
  const { db, meta, options, codes } = deps;
  const { now } = options;
  const conflicts = new ConflictStore(db, now);
  const engine = new SyncEngine({
    db,
    meta,
    projections: deps.projections,
    codes,
    conflicts,
    deviceId: deps.deviceId,
    now,
    secrets: options.secrets,
  });
  const loop = new SyncLoop(engine, Math.random, now);
  const backups = new BackupService({
    db,
    meta,
    dataDir: options.dataDir,
    eventId: () => readEvent(db)?.id ?? null,
    now,
  });
  const hub = new HubService({
    db,
    meta,
    codes,
    engine,
    loop,
    dataDir: options.dataDir,
    now,
    doorName: deps.doorName,
    pgliteTemplate: options.hubPgliteTemplate ?? null,
  });
  return { sync: { engine, loop }, conflicts, backups, hub };
}

/**
 * The database's helpers, running while it is open: the roster code indexer (kept up in slices between
 * scans, so the first scan after a big import or a package does not pay for it) and the checkpoint worker
 * (the door's commits never pay for a checkpoint). Returns the stop, which returns once neither touches
 * the database.
 */
export function startDatabaseHelpers(db: Database, short: ShortCodeService): () => void {
  const stopIndexer = short.startIndexer();
  const stopCheckpoints = startCheckpoints(db);
  return () => {
    stopIndexer();
    stopCheckpoints();
  };
}
