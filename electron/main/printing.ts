import { BrowserWindow, type WebContents } from 'electron';
import { z } from 'zod';
import { fail, ok, type Result } from '../../shared/result.ts';
import type { PrinterInfo } from '../../shared/shell.ts';

/**
 * Silent badge printing: the fitted badge document is loaded into a hidden window with JavaScript off and
 * printed at the label's page size to the kiosk's chosen printer.
 */
const PrintBadgeInputSchema = z.object({
  html: z.string().max(5_000_000),
  widthMm: z.number().min(20).max(400),
  heightMm: z.number().min(20).max(400),
  printer: z.string().max(200),
});

export async function listPrinters(contents: WebContents): Promise<PrinterInfo[]> {
  // Electron reports the system default in the printer's options (CUPS 'printer-is-default' style flags vary by OS).
  return (await contents.getPrintersAsync()).map((p) => ({
    name: p.name,
    displayName: p.displayName || p.name,
    isDefault: (p.options as Record<string, string> | undefined)?.['isDefault'] === 'true',
  }));
}

export async function printBadge(raw: unknown): Promise<Result<{ printed: true }>> {
  const parsed = PrintBadgeInputSchema.safeParse(raw);
  if (!parsed.success) return fail('invalid_input', parsed.error.issues[0]?.message ?? 'invalid print request');
  const input = parsed.data;
  const win = new BrowserWindow({
    show: false,
    webPreferences: { javascript: false, sandbox: true, contextIsolation: true, nodeIntegration: false },
  });
  try {
    await win.loadURL(`data:text/html;charset=utf-8,${encodeURIComponent(input.html)}`);
    return await new Promise<Result<{ printed: true }>>((resolve) => {
      win.webContents.print(
        {
          silent: true,
          printBackground: true,
          deviceName: input.printer,
          margins: { marginType: 'none' },
          pageSize: { width: Math.round(input.widthMm * 1000), height: Math.round(input.heightMm * 1000) },
        },
        (success, reason) =>
          resolve(success ? ok({ printed: true as const }) : fail('internal', `printing failed: ${reason}`)),
      );
    });
  } finally {
    win.destroy();
  }
}
