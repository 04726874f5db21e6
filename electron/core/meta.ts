import type { Database, Statement } from 'better-sqlite3';

/** Small key/value settings of this kiosk (device id, door name, staff PIN hash). */
export class MetaStore {
  private readonly getStmt: Statement<[string], { value: string }>;
  private readonly setStmt: Statement<[string, string]>;

  constructor(db: Database) {
    this.getStmt = db.prepare(`SELECT value FROM meta WHERE key = ?`);
    this.setStmt = db.prepare(
      `INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
    );
  }

  /** Counts the sets through this store: a reader that keeps settings in memory knows when its copy is old. */
  private sets = 0;

  get version(): number {
    return this.sets;
  }

  get(key: string): string | null {
    return this.getStmt.get(key)?.value ?? null;
  }

  set(key: string, value: string): void {
    this.setStmt.run(key, value);
    this.sets++;
  }

  getOrCreate(key: string, create: () => string): string {
    const existing = this.get(key);
    if (existing !== null) return existing;
    const value = create();
    this.set(key, value);
    return value;
  }
}
