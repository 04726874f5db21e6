/**
 * The largest roster file the kiosk imports. Checked by the screen before it reads a chosen file (so a
 * wrong, huge export is refused at once, in the staff's language, and never sent) and again by the core,
 * which trusts no size a client claims (electron/core/roster/read-file.ts, upload-bytes.ts).
 */
export const MAX_FILE_BYTES = 32 * 1024 * 1024;
