import type { Handlers } from '../../../shared/contract.ts';
import type { BundleExportWatch } from '../closing/handlers.ts';
import type { JobRunner } from '../jobs.ts';
import type { RosterService } from './service.ts';

/** Roster files in (upload, mapping, import into a list) and attendance out, as jobs the screens follow. */
export function rosterHandlers(deps: {
  roster: RosterService;
  jobs: JobRunner;
  bundleExports: BundleExportWatch;
}): Pick<
  Handlers,
  | 'roster.upload'
  | 'roster.presetMapping'
  | 'roster.import'
  | 'roster.lists'
  | 'roster.export'
  | 'jobs.get'
  | 'jobs.cancel'
> {
  const { roster, jobs, bundleExports } = deps;
  return {
    'roster.upload': ({ fileName, dataBase64 }) => ({
      jobId: roster.startUpload(fileName, { base64: dataBase64 }),
    }),
    'roster.presetMapping': ({ uploadId, preset }) => ({ mapping: roster.presetMapping(uploadId, preset) }),
    'roster.import': ({ uploadId, mapping, dryRun, list, replace }) => ({
      jobId: roster.startImport(uploadId, mapping, dryRun, list, replace),
    }),
    'roster.lists': () => roster.listSummaries(),
    'roster.export': ({ format, forumId, lang }) => {
      const jobId = roster.startExport(format, forumId, lang ?? null);
      bundleExports.started(format, jobId);
      return { jobId };
    },
    'jobs.get': ({ jobId }) => bundleExports.seen(jobs.get(jobId)),
    'jobs.cancel': ({ jobId }) => jobs.cancel(jobId),
  };
}
