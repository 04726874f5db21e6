import { z } from 'zod';

/**
 * Free space where the kiosk keeps its data, as the door's top bar shows it. Under LOW_DISK_MB the door
 * warns, before anything fails: a 100,000-guest import needs a few hundred MB while it runs (its staging
 * file and the WAL), and on a full disk a scan cannot be saved at all (disk_full).
 */
export const LOW_DISK_MB = 500;

export const DiskSpaceSchema = z.object({ freeMb: z.number().int().nonnegative(), low: z.boolean() });
export type DiskSpace = z.infer<typeof DiskSpaceSchema>;
