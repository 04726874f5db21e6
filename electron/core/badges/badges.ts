import QRCode from 'qrcode';
import type { BadgeData, BadgeSize } from '../../../shared/badges/templates.ts';
import type { EventInfo, Guest } from '../../../shared/domain.ts';
import { translate, type Locale } from '../../../shared/i18n/index.ts';

/** The data printed on one guest's badge: name in its own script (and Latin), role band, forum, QR. */
export async function badgeData(
  guest: Guest,
  code: string,
  event: EventInfo,
  locale: Locale,
  logo: string,
): Promise<BadgeData> {
  const forum = event.forums.find((f) => f.id === guest.forumId);
  const forumName = forum
    ? `${locale === 'zh-CN' ? forum.name.zh : locale === 'de' ? forum.name.de : forum.name.en} · ${forum.room}`
    : '';
  return {
    guestId: guest.id,
    name: guest.name,
    latinName: guest.latinName,
    organization: guest.organization,
    role: guest.role,
    roleLabel: translate(locale, `role.${guest.role}`),
    forum: forumName,
    eventName: locale === 'zh-CN' ? event.name.zh : locale === 'de' ? event.name.de : event.name.en,
    code,
    // Digits only, so the QR uses numeric mode; error correction M survives a scuffed badge.
    qrSvg: await QRCode.toString(code, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 }),
    logo,
  };
}

export type { BadgeSize };
