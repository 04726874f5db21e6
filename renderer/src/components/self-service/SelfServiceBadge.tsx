import QRCode from 'qrcode';
import { useEffect, useRef, useState } from 'react';
import { badgeDocument, badgeSizes, fitBadgeText } from '../../../../shared/badges/templates.ts';
import type { SelfServiceBadge as Badge } from '../../../../shared/self-service/schemas.ts';
import { api, shell } from '../../api/client.ts';
import { useForumName, useT } from '../../i18n.ts';
import { useKiosk } from '../../store.ts';
import { fontFaceCss } from '../BadgePreview.tsx';

/**
 * The guest's badge as it prints (the same document as the staff's badge preview and the PDF), and, when
 * the core has just recorded its print, sent to the printer once: silently to the kiosk's badge printer in
 * Electron, through the print dialog in a browser.
 */
export function SelfServiceBadge({ badge, print }: { badge: Badge; print: boolean }) {
  const t = useT();
  const forumName = useForumName();
  const locale = useKiosk((s) => s.locale);
  const event = useKiosk((s) => s.status?.event);
  const frame = useRef<HTMLIFrameElement>(null);
  const printed = useRef(false);
  const [html, setHtml] = useState('');

  useEffect(() => {
    if (!event) return;
    let current = true;
    void (async () => {
      const settings = await api['badges.settings']({});
      const forum = event.forums.find((f) => f.id === badge.forumId);
      const data = {
        guestId: badge.guestId,
        name: badge.name,
        latinName: badge.latinName,
        organization: badge.organization,
        role: badge.role,
        roleLabel: t(`role.${badge.role}`),
        forum: forum ? `${forumName(forum)} · ${forum.room}` : '',
        eventName: locale === 'zh-CN' ? event.name.zh : locale === 'de' ? event.name.de : event.name.en,
        code: badge.code,
        qrSvg: await QRCode.toString(badge.code, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 }),
        logo: settings.ok ? settings.value.logoDataUrl : '',
      };
      if (current) setHtml(badgeDocument([data], badge.template, fontFaceCss()));
    })();
    return () => {
      current = false;
    };
    // Drawn once per answer, in the language of that moment: a redraw would load the frame again.
  }, [badge, event]);

  const onLoad = async () => {
    const doc = frame.current?.contentDocument;
    if (!doc) return;
    await doc.fonts.ready;
    fitBadgeText(doc);
    doc.body.dataset['fitted'] = 'true';
    if (!print || printed.current) return;
    printed.current = true;
    const { widthMm, heightMm } = badgeSizes[badge.template];
    if (shell !== null) {
      const html = `<!doctype html>${doc.documentElement.outerHTML}`;
      await shell.printBadge({ html, widthMm, heightMm, printer: localStorage.getItem('lanyard.printer') ?? '' });
    } else frame.current?.contentWindow?.print();
  };

  const { widthMm, heightMm } = badgeSizes[badge.template];
  if (html === '') return null;
  return (
    <iframe
      ref={frame}
      className="self-badge"
      title={t('badge.heading')}
      data-testid="self-badge"
      srcDoc={html}
      onLoad={() => void onLoad()}
      style={{ width: `${widthMm}mm`, height: `${heightMm}mm` }}
    />
  );
}
