import { LanyardFailure } from '../../shared/result.ts';
import { RelayClient, relayErrorCode } from './client.ts';
import { hubIdOf, writeHubLink, type HubLink } from './link-file.ts';

export interface LinkHubOptions {
  /** The hub's data directory (its cluster and the link file). */
  dataDir: string;
  /** The central server's URL, as the organiser gave it. */
  centralUrl: string;
  /** The one-time hub code the organiser made on the central server. */
  code: string;
  /** The event the hub serves: a code of another event is refused without being spent. */
  eventId?: string;
  now: () => number;
}

/**
 * Links a venue hub with the central server by a one-time hub code: the central server answers with the
 * hub's token, kept owner-only in the hub's data directory (link-file.ts). A running relay picks the new
 * link up at its next round. Linking again with a new code keeps the hub's id and rolls its token.
 */
export async function linkHub(options: LinkHubOptions): Promise<Omit<HubLink, 'token'>> {
  const centralUrl = options.centralUrl.trim().replace(/\/+$/, '');
  if (!/^https?:\/\/[^\s/]+/.test(centralUrl)) {
    throw new LanyardFailure('invalid_input', `not a server address: ${options.centralUrl}`);
  }
  const hubId = hubIdOf(options.dataDir);
  let answer;
  try {
    answer = await new RelayClient(centralUrl, '').link(options.code.trim(), hubId, options.eventId);
  } catch (error) {
    throw new LanyardFailure(relayErrorCode(error), (error as Error).message);
  }
  const link: HubLink = {
    centralUrl,
    hubId: answer.hubId,
    eventId: answer.eventId,
    name: answer.name,
    token: answer.token,
    linkedMs: options.now(),
  };
  writeHubLink(options.dataDir, link);
  const { token: _token, ...shown } = link;
  return shown;
}
