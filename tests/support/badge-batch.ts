import QRCode from 'qrcode';
import type { BadgeData } from '../../shared/badges/templates.ts';
import { generateRoster } from '../../electron/core/demo/generate.ts';

/**
 * Badges of n demo guests (Chinese, German, English, French, Korean names; one code each), as a batch
 * print gets them: for the badge bench and the 1,000-badge PDF test.
 */
export async function demoBadges(n: number): Promise<BadgeData[]> {
  return Promise.all(
    generateRoster(n, 5).map(async (g) => ({
      guestId: g.id,
      name: g.displayName,
      latinName: g.latinName,
      organization: g.organization,
      role: g.role,
      roleLabel: g.role,
      forum: '',
      eventName: 'Global Innovation Partner Open Day',
      code: g.codes[0]!,
      qrSvg: await QRCode.toString(g.codes[0]!, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 }),
      logo: '',
    })),
  );
}
