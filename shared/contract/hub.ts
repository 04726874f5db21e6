import { z } from 'zod';
import { HubStatusSchema } from '../hub/status.ts';
import { Empty, HumanText, Text, type MethodSpecs } from './fields.ts';

/**
 * The venue hub: this laptop runs the sync server for the doors on the LAN while the internet is down.
 * Starting and stopping run in the background; `hub.status` shows the progress, the address and the error.
 */
export const hubMethods = {
  'hub.status': { input: Empty, output: HubStatusSchema },
  /**
   * Starts listening on the LAN: port absent uses the last one (doors paired before find it again), 0 any
   * free port; host '' listens on every interface and shows the best LAN address, or names one of this
   * laptop's addresses to listen on alone.
   */
  'hub.start': {
    input: z.object({ port: z.number().int().min(0).max(65535).optional(), host: Text(100).optional() }).strict(),
    output: HubStatusSchema,
  },
  /** Stops listening; the doors keep working on their own and sync again when it is back. */
  'hub.stop': { input: Empty, output: HubStatusSchema },
  /** A pairing code for the next door, shown in `hub.status` (`pairing`) once the hub made it. */
  'hub.newPairing': { input: z.object({ name: HumanText(100).trim().min(1) }).strict(), output: HubStatusSchema },
} as const satisfies MethodSpecs;
