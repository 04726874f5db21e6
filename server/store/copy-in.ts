import type pg from 'pg';

/**
 * `COPY … FROM STDIN` (text format) on one `pg` connection: the rows go as one CopyData message and PostgreSQL
 * stores them with its bulk path (no per-row function calls, heap pages filled several rows at a time).
 * The `pg` package has no COPY of its own; this is the "submittable" it accepts in `client.query`, with the
 * handlers it calls for the messages of a COPY (as the pg-copy-streams package does, without the stream).
 */
class CopyIn {
  private readonly text: string;
  private readonly data: Buffer;
  private rowCount = 0;
  private failed = false;
  callback: ((error: Error | null, rowCount: number) => void) | undefined;

  constructor(text: string, data: string) {
    this.text = text;
    this.data = Buffer.from(data, 'utf8');
  }

  submit(connection: CopyConnection): void {
    connection.query(this.text);
  }

  handleCopyInResponse(connection: CopyConnection): void {
    connection.sendCopyFromChunk(this.data);
    connection.endCopyFrom();
  }

  handleCommandComplete(message: { text?: string }): void {
    this.rowCount = Number(/^COPY (\d+)/.exec(message.text ?? '')?.[1] ?? 0);
  }

  // After an error PostgreSQL still sends ReadyForQuery, but `pg` has let go of the query by then: the
  // error is the answer.
  handleError(error: Error): void {
    this.failed = true;
    this.callback?.(error, 0);
  }

  handleReadyForQuery(): void {
    if (!this.failed) this.callback?.(null, this.rowCount);
  }

  handleCopyData(): void {}
  handleRowDescription(): void {}
  handleDataRow(): void {}
  handleEmptyQuery(): void {}
  handlePortalSuspended(): void {}
}

interface CopyConnection {
  query(text: string): void;
  sendCopyFromChunk(chunk: Buffer): void;
  endCopyFrom(): void;
}

/** Runs `COPY table (columns) FROM STDIN` with `data` (text format: lines of tab-separated, escaped fields). */
export function copyIn(client: pg.PoolClient, text: string, data: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const copy = new CopyIn(text, data);
    copy.callback = (error, rowCount) => (error === null ? resolve(rowCount) : reject(error));
    // `pg` types its query() for its own Query objects; a submittable is accepted the same way at run time.
    (client as unknown as { query(submittable: CopyIn): void }).query(copy);
  });
}

const COPY_SPECIAL = /[\\\t\n\r]/;

/** A text field of COPY's text format: backslash, tab, newline and carriage return escaped. */
export function copyField(value: string): string {
  if (!COPY_SPECIAL.test(value)) return value;
  return value.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));
}
