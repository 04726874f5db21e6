import type { Result } from './result.ts';

/**
 * What the Electron shell adds to the contract's API (window.lanyardShell): things only a desktop app
 * can do. The preload `satisfies` this type; in a browser host it is absent and the UI falls back.
 */
export interface PrinterInfo {
  name: string;
  displayName: string;
  isDefault: boolean;
}

export interface PrintBadgeInput {
  /** The fitted badge document; fonts and assets referenced by absolute app:// URLs. */
  html: string;
  widthMm: number;
  heightMm: number;
  /** A printer name from listPrinters(); '' = the system default. */
  printer: string;
}

export interface LanyardShell {
  exitKiosk(pin: string): Promise<Result<{ unlocked: true }>>;
  listPrinters(): Promise<PrinterInfo[]>;
  /** Prints without a dialog, at the label's page size. */
  printBadge(input: PrintBadgeInput): Promise<Result<{ printed: true }>>;
  /** Someone tried to close the kiosk window (Alt+F4, …): the screen asks for the PIN. Returns unsubscribe. */
  onCloseRequested(listener: () => void): () => void;
}

export const SHELL_CHANNELS = {
  exitKiosk: 'lanyard-shell:exit-kiosk',
  listPrinters: 'lanyard-shell:list-printers',
  printBadge: 'lanyard-shell:print-badge',
  closeRequested: 'lanyard-shell:close-requested',
} as const;
