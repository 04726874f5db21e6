import { createPrivateKey, createPublicKey, sign } from 'node:crypto';
import { certificateMessage, encodeCode, encodeUnsigned, type CodePayload } from '../../shared/codes/payload.ts';
import { eventTag } from '../../electron/core/badges/codes/signed-codes.ts';

/** Ed25519 from a 32-byte seed: PKCS#8 is a fixed 16-byte prefix followed by the seed. */
export function keyFromSeed(seedHex: string) {
  const privateKey = createPrivateKey({
    key: Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), Buffer.from(seedHex, 'hex')]),
    format: 'der',
    type: 'pkcs8',
  });
  const publicKey = createPublicKey(privateKey);
  const raw = Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url');
  return { privateKey, publicKey, publicKeyHex: raw.toString('hex') };
}

export interface CodeVector {
  description: string;
  eventId: string;
  eventKeyId: number;
  eventSeed: string;
  eventPublicKey: string;
  signerSeed: string;
  payload: {
    keyId: number;
    guestId: string;
    validity: { notBeforeMin: number; notAfterMin: number } | null;
    name: string | null;
    organization: string | null;
    forum: string | null;
    device: boolean;
  };
  payloadBytes: number;
  code: string;
}

const EVENT_SEED = '0101010101010101010101010101010101010101010101010101010101010101';
const DEVICE_SEED = '0202020202020202020202020202020202020202020202020202020202020202';

/** Builds the documented vectors deterministically (Ed25519 signatures are deterministic). */
export function buildVectors(): CodeVector[] {
  const eventKey = keyFromSeed(EVENT_SEED);
  const deviceKey = keyFromSeed(DEVICE_SEED);
  const eventId = 'open-day-2026';
  const specs: Array<
    Omit<CodeVector, 'eventId' | 'eventKeyId' | 'eventSeed' | 'eventPublicKey' | 'payloadBytes' | 'code'>
  > = [
    {
      description: 'minimal: guest id only',
      signerSeed: EVENT_SEED,
      payload: {
        keyId: 1,
        guestId: 'g0001',
        validity: null,
        name: null,
        organization: null,
        forum: null,
        device: false,
      },
    },
    {
      description: 'with name, organisation and forum in Chinese',
      signerSeed: EVENT_SEED,
      payload: {
        keyId: 1,
        guestId: 'g0001',
        validity: null,
        name: '刘青',
        organization: '长三角国家技术创新中心',
        forum: 'Biomedicine · A101',
        device: false,
      },
    },
    {
      description: 'with a validity window',
      signerSeed: EVENT_SEED,
      payload: {
        keyId: 1,
        guestId: 'g0004',
        validity: { notBeforeMin: 29_666_880, notAfterMin: 29_668_320 },
        name: 'Anna Müller',
        organization: null,
        forum: null,
        device: false,
      },
    },
    {
      description: 'payload over 256 bytes (long German organisation)',
      signerSeed: EVENT_SEED,
      payload: {
        keyId: 1,
        guestId: 'g0005',
        validity: null,
        name: 'Maximilian Alexander von Großmann-Schäfer',
        organization:
          'Rheinisch-Westfälische Forschungsgesellschaft für Werkstoff- und Verfahrenstechnik im Anlagen- und Maschinenbau mbH, Niederlassung Shanghai (Entwicklungszentrum Asien-Pazifik)',
        forum: 'Equipment Manufacturing · B105',
        device: false,
      },
    },
    {
      description: 'walk-in signed by a device key certified by the event key',
      signerSeed: DEVICE_SEED,
      payload: {
        keyId: 40000,
        guestId: 'w_0123456789abcdef',
        validity: null,
        name: 'Zoë Ärger',
        organization: 'Le Journal',
        forum: null,
        device: true,
      },
    },
  ];
  return specs.map((spec) => {
    const p = spec.payload;
    const payload: CodePayload = {
      keyId: p.keyId,
      eventTag: eventTag(eventId),
      guestId: p.guestId,
      validity: p.validity,
      name: p.name,
      organization: p.organization,
      forum: p.forum,
      deviceCert: p.device
        ? {
            publicKey: new Uint8Array(Buffer.from(deviceKey.publicKeyHex, 'hex')),
            certificate: new Uint8Array(
              sign(null, certificateMessage(p.keyId, Buffer.from(deviceKey.publicKeyHex, 'hex')), eventKey.privateKey),
            ),
          }
        : null,
    };
    const unsigned = encodeUnsigned(payload);
    const signer = p.device ? deviceKey : eventKey;
    const code = encodeCode(unsigned, new Uint8Array(sign(null, unsigned, signer.privateKey)));
    return {
      ...spec,
      eventId,
      eventKeyId: 1,
      eventSeed: EVENT_SEED,
      eventPublicKey: eventKey.publicKeyHex,
      payloadBytes: unsigned.length + 64,
      code,
    };
  });
}
