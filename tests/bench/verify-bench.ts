/**
 * Badge-code verification through the core (`codes.verify`, zod and all) as a ratio to the raw
 * `node:crypto` work for the same codes, measured interleaved in one loop (a core pass, a raw pass, …)
 * so machine noise hits both; absolute rates swing 2× between machines, the ratio does not.
 *   signed (format 1, Ed25519): raw = `crypto.verify` of the code's signed bytes with a ready key;
 *   roster (format 2, HMAC-SHA256): raw = the tag's HMAC over the same message.
 */
import { createHash, createHmac, createPublicKey, createSecretKey, verify } from 'node:crypto';
import { parseCode } from '../../shared/codes/payload.ts';
import { rosterMessage } from '../../shared/codes/short.ts';
import type { Result } from '../../shared/result.ts';
import { figure, round3, time, type Figure } from './stats.ts';

type Dispatch = (method: string, input: unknown) => Result<unknown>;

export interface VerifyBench {
  codes: number;
  signed: { corePerSecond: Figure; rawPerSecond: Figure; ratio: Figure };
  roster: { corePerSecond: Figure; rawPerSecond: Figure; ratio: Figure };
}

const CODES = 300;
const PASSES = 4; // per round: each code verified this often by the core and by the raw loop

function value<T>(r: Result<unknown>): T {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value as T;
}

function interleaved(rounds: number, core: () => void, raw: () => void, n: number) {
  const coreRates: number[] = [];
  const rawRates: number[] = [];
  const ratios: number[] = [];
  core(); // warm-up: caches, JIT
  raw();
  for (let r = 0; r < rounds; r++) {
    let coreMs = 0;
    let rawMs = 0;
    for (let p = 0; p < PASSES; p++) {
      coreMs += time(core);
      rawMs += time(raw);
    }
    coreRates.push(((n * PASSES) / coreMs) * 1000);
    rawRates.push(((n * PASSES) / rawMs) * 1000);
    ratios.push(rawMs / coreMs);
  }
  return {
    corePerSecond: figure(coreRates.map(Math.round)),
    rawPerSecond: figure(rawRates.map(Math.round)),
    ratio: figure(ratios.map(round3)),
  };
}

/**
 * `guestIds`: guests of the kiosk's event `eventId`. Leaves the code policy as it found it (short codes).
 */
export function runVerifyBench(
  dispatch: Dispatch,
  eventId: string,
  guestIds: readonly string[],
  rounds: number,
): VerifyBench {
  const ids = guestIds.slice(0, CODES);
  const issue = (): string[] =>
    ids.map((guestId) => value<{ code: string }>(dispatch('codes.issue', { guestId, deviceKey: false })).code);
  const checkAll = (codes: readonly string[]) => () => {
    for (const code of codes)
      if (!value<{ valid: boolean }>(dispatch('codes.verify', { code })).valid) throw new Error(`${code} invalid`);
  };

  // Format 2: the roster's own codes.
  const rosterCodes = issue();
  const eventTagHex = Buffer.from(createHash('sha256').update(eventId).digest().subarray(0, 4)).toString('hex');
  const rosterMessages = ids.map((id) => rosterMessage(eventTagHex, id));
  const hmacKey = createSecretKey(Buffer.alloc(32, 7)); // the raw work does not depend on the key's value
  const rawRoster = () => {
    for (const [i, m] of rosterMessages.entries())
      if (createHmac('sha256', hmacKey).update(m).digest()[0] === 256 + i) throw new Error('unreachable');
  };
  const roster = interleaved(rounds, checkAll(rosterCodes), rawRoster, ids.length);

  // Format 1: signed with name and organisation.
  value(dispatch('codes.setPolicy', { carryDetails: true }));
  try {
    const signedCodes = issue();
    const keys = value<{ keys: Array<{ keyId: number; publicKey: string }> }>(dispatch('keys.list', {})).keys;
    const keyObjects = new Map(
      keys.map((k) => [
        k.keyId,
        createPublicKey({
          key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(k.publicKey, 'hex').toString('base64url') },
          format: 'jwk',
        }),
      ]),
    );
    const parsed = signedCodes.map((code) => {
      const p = parseCode(code);
      if (!p.ok) throw new Error(`unparseable code ${code}: ${p.reason}`);
      return { signed: p.signed, signature: p.signature, key: keyObjects.get(p.payload.keyId)! };
    });
    const rawSigned = () => {
      for (const p of parsed) if (!verify(null, p.signed, p.key, p.signature)) throw new Error('raw verify failed');
    };
    const signed = interleaved(rounds, checkAll(signedCodes), rawSigned, ids.length);
    return { codes: ids.length, signed, roster };
  } finally {
    value(dispatch('codes.setPolicy', { carryDetails: false }));
  }
}
