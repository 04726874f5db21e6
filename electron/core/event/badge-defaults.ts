import type { z } from 'zod';
import type { BadgeSettingsSchema } from '../../../shared/contract.ts';
import type { MetaStore } from '../meta.ts';

export type BadgeSettings = z.output<typeof BadgeSettingsSchema>;

const defaults: BadgeSettings = { defaultTemplate: 'cr80', byRole: {}, printOnCheckIn: false, logoDataUrl: '' };

/** The event's badge settings (label size per role, logo), kept in meta; defaults until someone sets them. */
export function readBadgeSettings(meta: MetaStore): BadgeSettings {
  const stored = meta.get('badge_settings');
  return stored === null ? defaults : { ...defaults, ...(JSON.parse(stored) as Partial<BadgeSettings>) };
}

export function writeBadgeSettings(meta: MetaStore, settings: BadgeSettings): BadgeSettings {
  meta.set('badge_settings', JSON.stringify(settings));
  return readBadgeSettings(meta);
}
