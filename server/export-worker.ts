import { parentPort, Worker, workerData } from 'node:worker_threads';
import type { EventInfo } from '../shared/domain.ts';
import type { AttendanceRow } from '../shared/roster/export/attendance.ts';
import type { ExportLocale } from '../shared/roster/export/labels.ts';
import { attendanceCsv, attendanceXlsx } from '../shared/roster/export/files.ts';

/**
 * Attendance files are written in a worker thread: a 100,000-guest XLSX takes seconds of CPU, and on the
 * request thread it would hold up every kiosk's sync meanwhile. The same shared writers as the kiosk's.
 */
interface ExportJob {
  format: 'csv' | 'xlsx';
  rows: AttendanceRow[];
  event: EventInfo;
  /** null: the English export with forum ids that older scripts read. */
  locale: ExportLocale | null;
}

export function writeAttendanceFile(job: ExportJob): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL(import.meta.url), { workerData: job });
    worker.once('message', (bytes: Uint8Array) => resolve(bytes));
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`the export worker stopped with code ${code}`));
    });
  });
}

if (parentPort !== null && workerData !== null) {
  const job = workerData as ExportJob;
  const bytes =
    job.format === 'csv'
      ? attendanceCsv(job.rows, job.locale)
      : attendanceXlsx(job.rows, job.event, undefined, job.locale);
  parentPort.postMessage(bytes, [bytes.buffer as ArrayBuffer]);
}
