import { LanyardFailure } from '../../shared/result.ts';
import { hubDoorCount, hubPairingCode, pairingQrSvg, type HubAddress } from '../core/hub/admin-client.ts';
import { readRunningHub, storedAdminToken } from '../core/hub/files.ts';
import type { Kiosk } from '../core/kiosk.ts';
import { usage, type CliContext } from './context.ts';
import { hubRelayStatus, linkHubCommand, relayText } from './hub-link.ts';

/**
 * `lanyard hub [run | pair | status]`: this laptop as the venue hub. One entry per subcommand in
 * `hubSubcommands`; the hub ↔ central link (`hub link --server URL --code CODE`) is added there too.
 */
type HubCommand = (context: CliContext, kiosk: Kiosk, dataDir: string) => Promise<number>;

/** The hub another process of this data directory runs (`lanyard hub`, or the app's Settings), for its admin calls. */
function runningHub(dataDir: string): HubAddress {
  const running = readRunningHub(dataDir);
  const adminToken = storedAdminToken(dataDir);
  if (running === null || adminToken === null) {
    throw new LanyardFailure(
      'hub_not_running',
      'no venue hub runs on this data directory: start one with `lanyard hub` (or Settings → venue hub)',
    );
  }
  return { localUrl: running.localUrl, lanUrl: running.lanUrl, adminToken, eventId: running.eventId };
}

function portOption(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) usage('--port takes 0…65535 (0: any free port)');
  return port;
}

/** `lanyard hub [--port P] [--host ADDR]`: listens on the LAN until Ctrl+C, this laptop's door one of its doors. */
const run: HubCommand = async ({ values, out }, kiosk, dataDir) => {
  const hub = kiosk.hub ?? usage('this kiosk cannot open its database');
  const status = await hub.startAndWait({ port: portOption(values.port), host: values.host ?? '' });
  kiosk.startBackground(); // this laptop's door syncs with its hub like every other door
  out(
    {
      url: status.url,
      port: status.port,
      lan: status.lan,
      addresses: status.addresses,
      adminTokenFile: status.adminTokenFile,
      dataDir,
    },
    [
      `Venue hub listening on the LAN at ${status.url}${status.lan ? '' : ' (no LAN found: only this laptop can reach it)'}`,
      `Pair a door: lanyard hub pair --name "North door" --data ${dataDir}`,
      `Organisers' page: ${status.url}/admin (token in ${status.adminTokenFile}). Ctrl+C to stop.`,
    ].join('\n'),
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await hub.stopAndWait();
  return 0;
};

/** `lanyard hub pair --name NAME`: a one-time code on the running hub for a new door, its LAN URL and QR. */
const pair: HubCommand = async ({ values, out }, _kiosk, dataDir) => {
  const name = (values.name ?? '').trim();
  if (name === '' || name.length > 100) usage('hub pair needs --name NAME (the new door, up to 100 characters)');
  const pairing = await hubPairingCode(runningHub(dataDir), name);
  const qr = await pairingQrSvg(pairing.qrText);
  out(
    { code: pairing.code, url: pairing.url, qr, qrText: pairing.qrText, name, expiresAt: pairing.expiresAt },
    `Pairing code for ${name}: ${pairing.code} at ${pairing.url} (expires ${pairing.expiresAt})\nQR text: ${pairing.qrText}`,
  );
  return 0;
};

/** `lanyard hub status`: whether a hub runs on this data directory, where, and how many doors it has. */
const status: HubCommand = async ({ out }, _kiosk, dataDir) => {
  const running = readRunningHub(dataDir);
  if (running === null) {
    out({ running: false }, 'no venue hub runs on this data directory');
    return 0;
  }
  const doors = await hubDoorCount(runningHub(dataDir));
  const relay = await hubRelayStatus(runningHub(dataDir));
  out(
    { running: true, url: running.lanUrl, port: running.port, doors, relay },
    `venue hub at ${running.lanUrl}: ${doors} doors; ${relayText(relay)}`,
  );
  return 0;
};

export const hubSubcommands: Record<string, HubCommand> = { run, pair, status, link: linkHubCommand };

/** `lanyard hub` itself holds the data directory as the app does (restore and wipe wait for it). */
export function hubHoldsData(command: string | undefined, args: readonly string[]): boolean {
  return command === 'hub' && (args[0] ?? 'run') === 'run';
}

export async function runHubCommand(
  command: string,
  context: CliContext,
  kiosk: Kiosk,
  dataDir: string,
): Promise<number | null> {
  if (command !== 'hub') return null;
  const name = context.args[0] ?? 'run';
  const subcommand = hubSubcommands[name] ?? usage(`unknown hub command ${JSON.stringify(name)}`);
  return subcommand(context, kiosk, dataDir);
}
