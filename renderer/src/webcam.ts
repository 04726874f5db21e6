import { prepareZXingModule, readBarcodes } from 'zxing-wasm/reader';
import wasmUrl from 'zxing-wasm/reader/zxing_reader.wasm?url';

/**
 * QR decoding for the webcam, with zxing-wasm loaded from the app's own files (never its default CDN:
 * kiosks are offline and the CSP allows only 'self').
 */
prepareZXingModule({
  overrides: {
    locateFile: (path: string, prefix: string) =>
      path.endsWith('.wasm') ? new URL(wasmUrl, window.location.href).href : prefix + path,
  },
});

export async function decodeQr(image: ImageData): Promise<string | null> {
  const results = await readBarcodes(image, { formats: ['QRCode'], tryHarder: true, maxNumberOfSymbols: 1 });
  const first = results.find((r) => r.isValid && r.text.length > 0);
  return first?.text ?? null;
}

/** The same code seen again within this window is the same scan (a badge held in front of the camera). */
export const REPEAT_WINDOW_MS = 3000;

export function isRepeat(last: { code: string; at: number } | null, code: string, now: number): boolean {
  return last !== null && last.code === code && now - last.at < REPEAT_WINDOW_MS;
}
