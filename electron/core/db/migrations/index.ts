import type { Database } from 'better-sqlite3';
import { up as initial } from './001-initial.ts';
import { up as forums } from './002-forums.ts';
import { up as rosterImport } from './003-roster-import.ts';
import { up as signingKeys } from './004-signing-keys.ts';
import { up as sync } from './005-sync.ts';
import { up as searchTerms } from './006-search-terms.ts';
import { up as rosterLists } from './007-roster-lists.ts';
import { up as codeSecrets } from './008-code-secrets.ts';
import { up as staff } from './009-staff.ts';
import { up as parkedEvents } from './010-parked-events.ts';
import { up as idempotencyKeys } from './011-idempotency-keys.ts';
import { up as eventSetup } from './012-event-setup.ts';
import { up as searchInfixTypo } from './013-search-infix-typo.ts';
import { up as facts } from './014-facts.ts';
import { up as importJobs } from './015-import-jobs.ts';
import { up as settledRoster } from './016-settled-roster.ts';
import { up as fewerEntryIndexes } from './017-fewer-entry-indexes.ts';
import { up as syncServerKind } from './018-sync-server-kind.ts';
import { up as checkinKeys } from './019-checkin-keys.ts';
import { up as factsByDevice } from './020-facts-by-device.ts';
import { up as entriesWithoutFactKey } from './021-entries-without-fact-key.ts';
import { up as checkinsWithoutFactKey } from './022-checkins-without-fact-key.ts';
import { up as attendanceDerived } from './023-attendance-derived.ts';

export interface Migration {
  version: number;
  name: string;
  up: (db: Database) => void;
}

/** Numbered, append-only. Never edit a shipped migration; add the next number. */
export const migrations: readonly Migration[] = [
  { version: 1, name: 'initial', up: initial },
  { version: 2, name: 'forums', up: forums },
  { version: 3, name: 'roster-import', up: rosterImport },
  { version: 4, name: 'signing-keys', up: signingKeys },
  { version: 5, name: 'sync', up: sync },
  { version: 6, name: 'search-terms', up: searchTerms },
  { version: 7, name: 'roster-lists', up: rosterLists },
  { version: 8, name: 'code-secrets', up: codeSecrets },
  { version: 9, name: 'staff', up: staff },
  { version: 10, name: 'parked-events', up: parkedEvents },
  { version: 11, name: 'idempotency-keys', up: idempotencyKeys },
  { version: 12, name: 'event-setup', up: eventSetup },
  { version: 13, name: 'search-infix-typo', up: searchInfixTypo },
  { version: 14, name: 'facts', up: facts },
  { version: 15, name: 'import-jobs', up: importJobs },
  { version: 16, name: 'settled-roster', up: settledRoster },
  { version: 17, name: 'fewer-entry-indexes', up: fewerEntryIndexes },
  { version: 18, name: 'sync-server-kind', up: syncServerKind },
  { version: 19, name: 'checkin-keys', up: checkinKeys },
  { version: 20, name: 'facts-by-device', up: factsByDevice },
  { version: 21, name: 'entries-without-fact-key', up: entriesWithoutFactKey },
  { version: 22, name: 'checkins-without-fact-key', up: checkinsWithoutFactKey },
  { version: 23, name: 'attendance-derived', up: attendanceDerived },
];

export const LATEST_VERSION = migrations.length;
