import type { Database } from 'better-sqlite3';
import { up as initial } from './001-initial.ts';

export interface Migration {
  version: number;
  name: string;
  up: (db: Database) => void;
}

/** Numbered, append-only. Never edit a shipped migration; add the next number. */
export const migrations: readonly Migration[] = [{ version: 1, name: 'initial', up: initial }];

export const LATEST_VERSION = migrations.length;
