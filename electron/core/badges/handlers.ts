import type { Handlers } from '../../../shared/contract.ts';
import type { Device } from '../../../shared/domain.ts';
import { readBadgeSettings, writeBadgeSettings } from '../event/badge-defaults.ts';
import type { GuestStore } from '../guests/store.ts';
import type { MetaStore } from '../meta.ts';
import type { StaffAccess } from '../staff/access.ts';
import type { BadgePrints } from './prints.ts';

/** Printing badges: record a print (a reprint is a supervisor's), choose a batch, the label settings. */
export function badgeHandlers(deps: {
  meta: MetaStore;
  guests: GuestStore;
  prints: BadgePrints;
  access: StaffAccess;
  device: () => Device;
}): Pick<Handlers, 'badges.recordPrint' | 'badges.select' | 'badges.settings' | 'badges.setSettings'> {
  const { meta, guests, prints, access, device } = deps;
  return {
    'badges.recordPrint': ({ guestId, template, reason }) => {
      guests.requireGuest(guestId);
      const printCount = prints.record(
        guestId,
        { template, reason },
        () => access.requireSupervisor('badges.recordPrint', 'a reprint'),
        device,
      );
      return { printCount };
    },
    'badges.select': (input) => ({ guestIds: prints.select(input) }),
    'badges.settings': () => readBadgeSettings(meta),
    'badges.setSettings': ({ settings }) => writeBadgeSettings(meta, settings),
  };
}
