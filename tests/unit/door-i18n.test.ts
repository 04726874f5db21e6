import { describe, expect, it } from 'vitest';
import { badgeSizes } from '../../shared/badges/templates.ts';
import { codeCheckReasons, forumScanStatuses, guestStatuses, roles, scanStatuses } from '../../shared/domain.ts';
import { catalogues, locales, translate, type MessageKey } from '../../shared/i18n/index.ts';

/**
 * Nothing raw reaches the door in 中文 or Deutsch: every status, role and badge size the screen shows has
 * its own text in each language, different from the code itself, and every message keeps its placeholders.
 */
describe('translations at the door', () => {
  const shown: MessageKey[] = [
    ...scanStatuses.map((s) => `result.${s}` as const),
    ...forumScanStatuses.map((s) => `forumScan.${s}` as const),
    ...guestStatuses.map((s) => `guestStatus.${s}` as const),
    ...roles.map((r) => `role.${r}` as const),
    ...codeCheckReasons.map((r) => `codeReason.${r}` as const),
    ...(Object.keys(badgeSizes) as Array<keyof typeof badgeSizes>).map((s) => `badgeSize.${s}` as MessageKey),
    'door.defaultDoor',
    'door.defaultOperator',
    'result.secondsAgo',
    'result.repeat',
    'forumScan.notArrived',
  ];

  it('every status, role, badge size and default name is translated, never the raw code', () => {
    for (const key of shown) {
      const raw = key.slice(key.indexOf('.') + 1);
      for (const locale of locales) {
        const text = catalogues[locale][key];
        expect(text, `${locale} ${key}`).toBeDefined();
        expect(text.trim(), `${locale} ${key}`).not.toBe('');
        expect(text, `${locale} ${key}`).not.toBe(raw);
      }
      // 中文 is written in Chinese: at least one Han character in each of these.
      if (!key.startsWith('badgeSize.') && key !== 'role.vip') {
        expect(catalogues['zh-CN'][key], key).toMatch(/\p{Script=Han}/u);
      }
    }
    expect(translate('de', 'door.defaultDoor')).toBe('Tür 1');
    expect(translate('zh-CN', 'guestStatus.blocked')).toBe('禁止入场');
  });

  it('every message has the same placeholders in every language', () => {
    const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const key of Object.keys(catalogues.en) as MessageKey[]) {
      for (const locale of locales) {
        expect(placeholders(catalogues[locale][key]), `${locale} ${key}`).toEqual(placeholders(catalogues.en[key]));
      }
    }
  });
});
