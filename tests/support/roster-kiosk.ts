import { createDispatcher } from '../../electron/core/dispatch.ts';
import { createKiosk, type Kiosk } from '../../electron/core/kiosk.ts';
import type { ExportFile, ImportSummary, JobStatusView, RosterPreview } from '../../shared/roster/contract-types.ts';
import type { ColumnMapping } from '../../shared/roster/mapping.ts';
import type { Result } from '../../shared/result.ts';
import { tempDir } from './temp.ts';
import { testSecrets } from './secrets.ts';

/** A real kiosk core on a temp directory, with helpers that run roster jobs to their end. */
export interface RosterKiosk {
  kiosk: Kiosk;
  call: (method: string, input: unknown) => Result<unknown>;
  /** `file`: its bytes, or their base64 already made (as the screen sends it, made in the renderer). */
  upload(fileName: string, file: Uint8Array | { base64: string }): Promise<JobStatusView>;
  importFile(
    fileName: string,
    bytes: Uint8Array,
    options: {
      preset: string;
      dryRun: boolean;
      mapping: ColumnMapping | null;
      /** The guest list (default: the name the preview offers) and whether the file is its complete file. */
      list?: string;
      replace?: boolean;
    },
  ): Promise<{ preview: RosterPreview; summary: ImportSummary }>;
  exportFile(format: 'csv' | 'xlsx' | 'json' | 'bundle', forumId: string): Promise<{ file: ExportFile; bytes: Buffer }>;
  count(sql: string): number;
  close(): void;
}

/** Polls the job every 5 ms until it ends; `onPhase` hears each poll's phase (the bench counts by it). */
export async function waitJob(
  call: RosterKiosk['call'],
  jobId: string,
  onPhase: (phase: string) => void = () => {},
): Promise<JobStatusView> {
  for (;;) {
    const r = call('jobs.get', { jobId });
    if (!r.ok) throw new Error(r.error.message);
    const status = r.value as JobStatusView;
    onPhase(status.phase);
    if (status.state !== 'running') return status;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

export function openRosterKiosk(demo: boolean): RosterKiosk {
  const dir = tempDir('roster');
  const kiosk = createKiosk({ dataDir: dir.dir, now: Date.now, secrets: testSecrets });
  const call = createDispatcher(kiosk.handlers);
  const value = <T>(r: Result<unknown>): T => {
    if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
    return r.value as T;
  };
  if (demo) value(call('event.loadDemo', {}));
  else {
    // An event without guests: the demo's event and forums, with the roster emptied.
    value(call('event.loadDemo', {}));
    kiosk.db!.exec(
      `DELETE FROM search_keys; DELETE FROM guest_codes; DELETE FROM guest_forum_preferences; DELETE FROM guests;`,
    );
  }
  const upload = async (fileName: string, file: Uint8Array | { base64: string }) => {
    const dataBase64 = file instanceof Uint8Array ? Buffer.from(file).toString('base64') : file.base64;
    const { jobId } = value<{ jobId: string }>(call('roster.upload', { fileName, dataBase64 }));
    return waitJob(call, jobId);
  };
  return {
    kiosk,
    call,
    upload,
    async importFile(fileName, bytes, { preset, dryRun, mapping, list, replace = false }) {
      const status = await upload(fileName, bytes);
      if (status.state !== 'done')
        throw new Error(`upload ${status.state}: ${status.error?.code}: ${status.error?.message}`);
      const preview = status.result as RosterPreview;
      const chosen =
        mapping ??
        (preset === ''
          ? preview.mapping
          : value<{ mapping: ColumnMapping }>(call('roster.presetMapping', { uploadId: preview.uploadId, preset }))
              .mapping);
      const { jobId } = value<{ jobId: string }>(
        call('roster.import', { uploadId: preview.uploadId, mapping: chosen, dryRun, list, replace }),
      );
      const done = await waitJob(call, jobId);
      if (done.state !== 'done') throw new Error(`import ${done.state}: ${done.error?.code}: ${done.error?.message}`);
      return { preview, summary: done.result as ImportSummary };
    },
    async exportFile(format, forumId) {
      const { jobId } = value<{ jobId: string }>(call('roster.export', { format, forumId }));
      const done = await waitJob(call, jobId);
      if (done.state !== 'done') throw new Error(`export ${done.state}: ${done.error?.message}`);
      const file = done.result as ExportFile;
      return { file, bytes: Buffer.from(file.dataBase64, 'base64') };
    },
    count: (sql) => (kiosk.db!.prepare(sql).get() as { n: number }).n,
    close() {
      kiosk.close();
      dir.cleanup();
    },
  };
}
