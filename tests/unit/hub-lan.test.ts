import { describe, expect, it } from 'vitest';
import { isPrivateIPv4, lanAddresses, pairingPayload } from '../../shared/hub/lan.ts';
import { parsePairingQr } from '../../renderer/src/pairing.ts';

const v4 = (address: string, internal = false) => ({ address, family: 'IPv4', internal });
const v6 = (address: string) => ({ address, family: 'IPv6', internal: false });

describe('the hub address for the pairing QR', () => {
  it('takes a private IPv4 first, skipping loopback, link-local, IPv6 and virtual interfaces', () => {
    expect(
      lanAddresses({
        lo: [v4('127.0.0.1', true), { address: '::1', family: 'IPv6', internal: true }],
        docker0: [v4('172.17.0.1')],
        'br-5f2a': [v4('172.18.0.1')],
        vboxnet0: [v4('192.168.56.1')],
        tailscale0: [v4('100.101.102.103')],
        eth1: [v4('169.254.10.20')],
        eth0: [v4('203.0.113.9'), v6('fe80::1')],
        wlan0: [v4('192.168.1.23'), v6('fd00::23')],
      }),
    ).toEqual(['192.168.1.23', '203.0.113.9']);
  });

  it('knows the three private ranges exactly', () => {
    for (const a of ['10.0.0.1', '10.255.255.254', '172.16.0.1', '172.31.255.1', '192.168.0.1']) {
      expect(isPrivateIPv4(a), a).toBe(true);
    }
    for (const a of ['172.15.0.1', '172.32.0.1', '192.169.0.1', '11.0.0.1', '100.64.0.1', '10.0.0', 'x.1.2.3']) {
      expect(isPrivateIPv4(a), a).toBe(false);
    }
  });

  it('accepts the numeric family of older Node versions, and finds nothing on a laptop without a network', () => {
    expect(lanAddresses({ en0: [{ address: '10.1.2.3', family: 4, internal: false }] })).toEqual(['10.1.2.3']);
    expect(lanAddresses({ lo: [v4('127.0.0.1', true)] })).toEqual([]);
  });

  it('writes the pairing payload the kiosk pairing screen reads', () => {
    const text = pairingPayload('http://192.168.1.23:8088', '123456789012');
    expect(parsePairingQr(text)).toEqual({ url: 'http://192.168.1.23:8088', code: '123456789012' });
  });
});
