import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { HubIdSchema } from '../../shared/sync/relay.ts';

/**
 * The hub's link to the central server: the central URL, the hub's id and its token. Kept owner-only
 * (0600) in the hub's data directory, beside the cluster, as the admin token is: the hub is a kiosk
 * laptop its supervisor controls, and the relay must start again after a reboot without a person.
 */
export const HUB_LINK_FILE = 'relay-link.json';

const HubLinkSchema = z.object({
  centralUrl: z.string().url(),
  hubId: HubIdSchema,
  eventId: z.string().min(1),
  name: z.string(),
  token: z.string().min(43),
  linkedMs: z.number().int(),
});
export type HubLink = z.infer<typeof HubLinkSchema>;

/** The stored link, null when the hub was never linked; a damaged file is an error, never "unlinked". */
export function readHubLink(dataDir: string): HubLink | null {
  const file = join(dataDir, HUB_LINK_FILE);
  if (!existsSync(file)) return null;
  const parsed = HubLinkSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) throw new Error(`${file} is not a hub link: ${parsed.error.issues[0]?.message ?? ''}`);
  return parsed.data;
}

export function writeHubLink(dataDir: string, link: HubLink): void {
  const file = join(dataDir, HUB_LINK_FILE);
  const partial = `${file}.part`;
  // Written whole then renamed: a crash leaves the old link or the new one, never half a token.
  writeFileSync(partial, `${JSON.stringify(link, null, 2)}\n`, { mode: 0o600 });
  chmodSync(partial, 0o600);
  renameSync(partial, file);
}

/** The id this hub links with: kept across links (a new code rolls its token), made once. */
export function hubIdOf(dataDir: string): string {
  return readHubLink(dataDir)?.hubId ?? `hub_${randomBytes(10).toString('hex')}`;
}
