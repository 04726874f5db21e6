import QRCode from 'qrcode';
import { useEffect, useRef, useState } from 'react';
import { badgeDocument, badgeSizes, fitBadgeText, type BadgeSize } from '../../../shared/badges/templates.ts';
import type { Guest } from '../../../shared/domain.ts';
import type { LanyardError } from '../../../shared/result.ts';
import type { PrinterInfo } from '../../../shared/shell.ts';
import { api, shell } from '../api/client.ts';
import { useEscape } from '../escape.ts';
import { useForumName, useT } from '../i18n.ts';
import { useKiosk } from '../store.ts';
import { ErrorNote } from './ErrorNote.tsx';

/** The app's bundled font faces, with absolute URLs, for the badge document in the preview frame. */
export function fontFaceCss(): string {
  let css = '';
  for (const sheet of Array.from(document.styleSheets)) {
    let rules: CSSRuleList;
    try {
      rules = sheet.cssRules;
    } catch {
      continue;
    }
    for (const rule of Array.from(rules)) {
      if (rule instanceof CSSFontFaceRule) {
        css += rule.cssText.replace(
          /url\("?([^")]+)"?\)/g,
          (_m, u: string) => `url("${new URL(u, sheet.href ?? window.location.href).href}")`,
        );
      }
    }
  }
  return css;
}

/**
 * The badge exactly as it prints (the same HTML/CSS as the PDF), with its size chosen per event and
 * role; Print opens the system print dialog for the badge alone and records a badge_print event. A
 * reprint asks for a reason.
 */
export function BadgePreview({ guest, autoPrint, onClose }: { guest: Guest; autoPrint: boolean; onClose: () => void }) {
  const t = useT();
  const forumName = useForumName();
  const locale = useKiosk((s) => s.locale);
  const event = useKiosk((s) => s.status?.event);
  const frame = useRef<HTMLIFrameElement>(null);
  const [size, setSize] = useState<BadgeSize | null>(null);
  const [logo, setLogo] = useState('');
  const [html, setHtml] = useState('');
  const [needReason, setNeedReason] = useState(false);
  const [reason, setReason] = useState('');
  const [message, setMessage] = useState('');
  const [failure, setFailure] = useState<LanyardError | null>(null);
  // In Electron: this kiosk's badge printer (remembered), printed to without a dialog.
  const [printers, setPrinters] = useState<PrinterInfo[]>([]);
  const [printer, setPrinter] = useState(() => localStorage.getItem('lanyard.printer') ?? '');
  useEscape(onClose);
  useEffect(() => {
    void shell?.listPrinters().then(setPrinters);
  }, []);

  useEffect(() => {
    void api['badges.settings']({}).then((r) => {
      setLogo(r.ok ? r.value.logoDataUrl : '');
      setSize(r.ok ? (r.value.byRole[guest.role] ?? r.value.defaultTemplate) : 'cr80');
    });
  }, [guest.role]);

  useEffect(() => {
    if (!event || size === null) return;
    void (async () => {
      const issued = await api['codes.issue']({ guestId: guest.id, deviceKey: false });
      if (!issued.ok) {
        setFailure(issued.error);
        return;
      }
      const forum = event.forums.find((f) => f.id === guest.forumId);
      const data = {
        guestId: guest.id,
        name: guest.name,
        latinName: guest.latinName,
        organization: guest.organization,
        role: guest.role,
        roleLabel: t(`role.${guest.role}`),
        forum: forum ? `${forumName(forum)} · ${forum.room}` : '',
        eventName: locale === 'zh-CN' ? event.name.zh : locale === 'de' ? event.name.de : event.name.en,
        code: issued.value.code,
        qrSvg: await QRCode.toString(issued.value.code, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 }),
        logo,
      };
      setHtml(badgeDocument([data], size, fontFaceCss()));
    })();
  }, [guest, size, event, locale, logo]);

  const print = async (withReason: string) => {
    const r = await api['badges.recordPrint']({ guestId: guest.id, template: size ?? 'cr80', reason: withReason });
    if (!r.ok) {
      if (r.error.code === 'reprint_needs_reason') setNeedReason(true);
      else setFailure(r.error);
      return;
    }
    setNeedReason(false);
    setFailure(null);
    const doc = frame.current?.contentDocument;
    if (shell !== null && doc) {
      const dims = badgeSizes[size ?? 'cr80'];
      const printed = await shell.printBadge({
        html: `<!doctype html>${doc.documentElement.outerHTML}`,
        widthMm: dims.widthMm,
        heightMm: dims.heightMm,
        printer,
      });
      if (!printed.ok) {
        setFailure(printed.error);
        return;
      }
    } else frame.current?.contentWindow?.print(); // a browser: the browser's print dialog
    setMessage(t('badge.printed', { count: r.value.printCount }));
  };

  const onLoad = async () => {
    const doc = frame.current?.contentDocument;
    if (!doc) return;
    await doc.fonts.ready;
    fitBadgeText(doc);
    doc.body.dataset['fitted'] = 'true';
    if (autoPrint) void print('');
  };

  const dims = size ? badgeSizes[size] : badgeSizes.cr80;
  return (
    <div className="dialog-backdrop">
      <div className="dialog badge-preview" data-testid="badge-preview" role="dialog" aria-label={t('badge.heading')}>
        <h2>{t('badge.heading')}</h2>
        <select
          aria-label={t('badge.size')}
          data-testid="badge-size"
          value={size ?? ''}
          onChange={(e) => setSize(e.target.value as BadgeSize)}
        >
          {(Object.keys(badgeSizes) as BadgeSize[]).map((s) => (
            <option key={s} value={s}>
              {t(`badgeSize.${s}`)}
            </option>
          ))}
        </select>
        {shell !== null && (
          <select
            aria-label={t('badge.printer')}
            value={printer}
            onChange={(e) => {
              setPrinter(e.target.value);
              localStorage.setItem('lanyard.printer', e.target.value);
            }}
          >
            <option value="">{t('badge.defaultPrinter')}</option>
            {printers.map((p) => (
              <option key={p.name} value={p.name}>
                {p.displayName}
              </option>
            ))}
          </select>
        )}
        {html && (
          <iframe
            ref={frame}
            title={t('badge.heading')}
            data-testid="badge-frame"
            srcDoc={html}
            onLoad={() => void onLoad()}
            style={{
              width: `${dims.widthMm}mm`,
              height: `${dims.heightMm}mm`,
              border: '1px solid #ccc',
              background: '#fff',
            }}
          />
        )}
        {needReason && (
          <form
            className="override"
            onSubmit={(e) => {
              e.preventDefault();
              if (reason.trim()) void print(reason);
            }}
          >
            <p className="bad">{t('badge.reprintReason')}</p>
            <input name="reprint-reason" value={reason} onChange={(e) => setReason(e.target.value)} required />
            <button type="submit" data-testid="badge-reprint">
              {t('badge.reprint')}
            </button>
          </form>
        )}
        {message && <p data-testid="badge-message">{message}</p>}
        {failure && <ErrorNote error={failure} testId="badge-error" />}
        <div className="actions">
          <button type="button" data-testid="badge-close" onClick={onClose}>
            {t('walkIn.cancel')}
          </button>
          <button
            type="button"
            className="primary"
            data-testid="badge-print"
            disabled={!html}
            onClick={() => void print('')}
          >
            {t('badge.print')}
          </button>
        </div>
      </div>
    </div>
  );
}
