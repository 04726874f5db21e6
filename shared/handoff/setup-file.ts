import { z } from 'zod';
import { EventPackageSchema } from '../sync/protocol.ts';

/**
 * The event set-up file one kiosk writes for another (`lanyard event export`, Settings → Export event
 * setup): the same event package a server sends a newly paired kiosk (one shape, one reader), plus the
 * badge settings, plus — only when a passphrase was given — a sealed signing key for the receiving kiosk.
 */
export const SETUP_FILE_FORMAT = 'lanyard-event-setup';
export const SETUP_FILE_VERSION = 1;

/** scrypt + AES-256-GCM; every number needed to open it travels with it, so the cost can grow later. */
export const SealedSecretsSchema = z.object({
  kdf: z.literal('scrypt'),
  n: z
    .number()
    .int()
    .min(2 ** 14)
    .max(2 ** 20),
  r: z.number().int().min(1).max(32),
  p: z.number().int().min(1).max(16),
  salt: z.string().regex(/^[A-Za-z0-9+/=]{16,}$/),
  cipher: z.literal('aes-256-gcm'),
  iv: z.string().regex(/^[A-Za-z0-9+/=]{16}$/),
  /** base64(ciphertext ‖ 16-byte tag) */
  data: z.string().regex(/^[A-Za-z0-9+/=]+$/),
});
export type SealedSecrets = z.infer<typeof SealedSecretsSchema>;

/**
 * Fields of the event package that are secret (a server gives them only to paired devices): in a set-up
 * file they travel only inside the sealed part, and a file without a passphrase leaves them out.
 */
export const SECRET_PACKAGE_FIELDS = ['codeSecrets'] as const;

/**
 * What the passphrase protects: a device signing key certified by the event key, made for the receiver
 * (null when the exporting kiosk does not hold the event key), and the package's secret fields.
 */
export const SetupSecretsSchema = z.object({
  deviceKey: z
    .object({
      keyId: z.number().int().min(32768).max(65535),
      publicKey: z.string().regex(/^[0-9a-f]{64}$/),
      /** PKCS#8 DER, hex */
      privateKey: z.string().regex(/^[0-9a-f]+$/),
      certificate: z.string().regex(/^[0-9a-f]{128}$/),
    })
    .nullable(),
  packageFields: z.record(z.string(), z.unknown()),
});
export type SetupSecrets = z.infer<typeof SetupSecretsSchema>;

export const SetupFileSchema = z.object({
  format: z.literal(SETUP_FILE_FORMAT),
  version: z.literal(SETUP_FILE_VERSION),
  exportedAt: z.string(),
  /** The device id of the kiosk that wrote the file (for the receiving kiosk's log only). */
  fromDevice: z.string().max(64),
  /** The event package without its secret fields (SECRET_PACKAGE_FIELDS). */
  package: EventPackageSchema,
  badgeSettings: z.unknown(),
  /** The roster's lists and who is on each (with the code that list's file gave them), so a complete-list
   * import on the receiving kiosk takes off exactly the guests it would have taken off here. */
  lists: z
    .array(
      z.object({
        id: z.string().min(1).max(100),
        name: z.string().min(1).max(200),
        createdMs: z.number().int(),
        lastImportMs: z.number().int(),
        lastFileName: z.string().max(1000),
        members: z.array(z.tuple([z.string().min(1).max(200), z.string().max(500)])),
      }),
    )
    .default([]),
  sealed: SealedSecretsSchema.nullable(),
});
export type SetupFile = z.infer<typeof SetupFileSchema>;

/** The file name a kiosk suggests: the event id, safe on every file system. */
export function setupFileName(eventId: string): string {
  return `lanyard-setup-${eventId.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 80)}.json`;
}
