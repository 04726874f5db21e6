import { useT } from '../i18n.ts';
import { useKiosk } from '../store.ts';

/**
 * The top bar's warning that this laptop is running out of disk space (app.status's `disk`, kept fresh by
 * useAppStatusPolling): said before anything fails, so the organiser frees space before an import or a
 * scan is refused with disk_full. Nothing while there is room, or where the space cannot be read.
 */
export function DiskIndicator() {
  const t = useT();
  const disk = useKiosk((s) => s.status?.disk ?? null);
  if (disk === null || !disk.low) return null;
  return (
    <span
      className="disk-low-warning"
      data-testid="disk-low"
      data-free-mb={disk.freeMb}
      role="status"
      title={t('disk.lowTitle')}
    >
      ⚠ {t('disk.low', { free: disk.freeMb })}
    </span>
  );
}
