import { randomBytes } from 'node:crypto';
import type { Database } from 'better-sqlite3';

/**
 * Staff with a name, a role and a PIN (a salted scrypt hash, never the PIN). The kiosk's single staff PIN
 * of earlier versions becomes a supervisor called "Supervisor", so that PIN keeps unlocking kiosk mode.
 */
export function up(db: Database): void {
  db.exec(`
    CREATE TABLE staff (
      id TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      -- Names identify staff in the audit trail (the events' actor), so no two fold to the same text.
      name_key TEXT NOT NULL UNIQUE,
      role TEXT NOT NULL CHECK (role IN ('door', 'supervisor')),
      pin_hash TEXT NOT NULL,
      created_ms INTEGER NOT NULL
    ) STRICT;
  `);
  const legacy = db.prepare(`SELECT value FROM meta WHERE key = 'staff_pin'`).pluck().get() as string | undefined;
  if (legacy !== undefined) {
    db.prepare(
      `INSERT INTO staff (id, name, name_key, role, pin_hash, created_ms) VALUES (?, 'Supervisor', 'supervisor', 'supervisor', ?, ?)`,
    ).run(`s${randomBytes(6).toString('hex')}`, legacy, Date.now());
    db.prepare(`DELETE FROM meta WHERE key = 'staff_pin'`).run();
  }
}
