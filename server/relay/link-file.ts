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

/** Where a hub not linked yet keeps the id it will link with (a door's hand-over proof names it). */
const HUB_ID_FILE = 'relay-hub-id';

/**
 * The id this hub links with: kept across links (a new code rolls its token), made once and kept before
 * the first link too, so a door that hands over to the hub before it is linked names the id it links with.
 */
export function hubIdOf(dataDir: string): string {
  const linked = readHubLink(dataDir)?.hubId;
  if (linked !== undefined) return linked;
  const file = join(dataDir, HUB_ID_FILE);
  const kept = existsSync(file) ? HubIdSchema.safeParse(readFileSync(file, 'utf8').trim()) : null;
  if (kept?.success) return kept.data;
  const made = `hub_${randomBytes(10).toString('hex')}`;
  writeFileSync(file, `${made}\n`, { mode: 0o600 });
  return made;
}

/** The hub's id for a door's hand-over: linked, or a hub (relay on) not linked yet; null on the central server. */
export function hubIdentity(dataDir: string, relayOn: boolean): string | null {
  if (relayOn || existsSync(join(dataDir, HUB_LINK_FILE))) return hubIdOf(dataDir);
  return null;
}
