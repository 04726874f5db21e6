/**
 * Which of this laptop's addresses the venue's doors should use to reach the hub. Pure: the caller hands
 * in what `os.networkInterfaces()` reported, so the rule is tested without a network.
 */
export interface InterfaceAddress {
  address: string;
  family: string | number;
  internal: boolean;
}

/** Interfaces of virtual machines, containers and VPNs: reachable from this laptop only, or from afar. */
const VIRTUAL_INTERFACE =
  /^(lo|docker|br-|veth|virbr|vmnet|vboxnet|vethernet|tun|tap|utun|wg|tailscale|zt|ham|llw|awdl|anpi|bridge)/i;

function octets(address: string): number[] | null {
  const parts = address.split('.');
  if (parts.length !== 4) return null;
  const numbers = parts.map((p) => (/^\d{1,3}$/.test(p) ? Number(p) : NaN));
  return numbers.every((n) => n >= 0 && n <= 255) ? numbers : null;
}

/** 10/8, 172.16/12, 192.168/16 (RFC 1918): where a venue's Wi-Fi or switch hands out addresses. */
export function isPrivateIPv4(address: string): boolean {
  const o = octets(address);
  if (o === null) return false;
  const [a, b] = o as [number, number];
  return a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168);
}

/** 127/8 (this laptop only) and 169.254/16 (link-local: no DHCP answered; other laptops rarely share it). */
function unusableIPv4(address: string): boolean {
  const o = octets(address);
  return o === null || o[0] === 127 || (o[0] === 169 && o[1] === 254) || o[0] === 0;
}

const isIPv4 = (a: InterfaceAddress) => a.family === 'IPv4' || a.family === 4;

/**
 * The LAN addresses, best first: private IPv4 on a physical interface, then any other IPv4 another machine
 * could reach (a venue that hands out public or carrier addresses); loopback, link-local and virtual
 * interfaces never. Empty when the laptop is on no network.
 */
export function lanAddresses(interfaces: Record<string, InterfaceAddress[] | undefined>): string[] {
  const candidates: Array<{ address: string; rank: number }> = [];
  for (const [name, addresses] of Object.entries(interfaces)) {
    if (VIRTUAL_INTERFACE.test(name)) continue;
    for (const a of addresses ?? []) {
      if (!isIPv4(a) || a.internal || unusableIPv4(a.address)) continue;
      candidates.push({ address: a.address, rank: isPrivateIPv4(a.address) ? 0 : 1 });
    }
  }
  return [...new Set(candidates.sort((x, y) => x.rank - y.rank).map((c) => c.address))];
}

/** Every address of this laptop, loopback included: a `--host` given must be one of them. */
export function localAddresses(interfaces: Record<string, InterfaceAddress[] | undefined>): Set<string> {
  return new Set(
    Object.values(interfaces)
      .flatMap((list) => list ?? [])
      .map((a) => a.address),
  );
}

/**
 * The text of a pairing QR, as the server's admin route makes it and the kiosk's pairing screen reads it
 * (renderer/src/pairing.ts): `lanyard-pair:<url>#<code>`.
 */
export function pairingPayload(url: string, code: string): string {
  return `lanyard-pair:${url}#${code}`;
}
