import { scanGrayBuffer } from '@undecaf/zbar-wasm';

/**
 * Reads a QR code drawn as SVG by the `qrcode` package (a white square, then one path of dark runs:
 * `M x y.5` / `m dx dy` moves and `h n` runs, one module high) the way a camera would: the modules painted
 * into a grey bitmap, `scale` pixels each, then decoded by ZBar (WASM) — an independent decoder.
 */
export async function decodeQrSvg(svg: string, scale = 8): Promise<string[]> {
  const size = Number(/viewBox="0 0 (\d+) \1"/.exec(svg)?.[1]);
  const path = /<path[^>]*stroke="[^"]+"[^>]*d="([^"]+)"/.exec(svg)?.[1];
  if (!Number.isInteger(size) || path === undefined) throw new Error(`not a qrcode SVG: ${svg.slice(0, 200)}`);
  const dark: boolean[][] = Array.from({ length: size }, () => new Array<boolean>(size).fill(false));
  let x = 0;
  let y = 0;
  for (const [, command, args] of path.matchAll(/([Mmh])([^Mmh]*)/g)) {
    const n = args!
      .trim()
      .split(/[\s,]+/)
      .map(Number);
    if (command === 'M') [x, y] = [n[0]!, n[1]!];
    else if (command === 'm') [x, y] = [x + n[0]!, y + n[1]!];
    else {
      for (let i = 0; i < n[0]!; i++) dark[Math.floor(y)]![x + i] = true;
      x += n[0]!;
    }
  }
  const width = size * scale;
  const grey = new Uint8Array(width * width).fill(255);
  for (let row = 0; row < width; row++) {
    for (let col = 0; col < width; col++) {
      if (dark[Math.floor(row / scale)]![Math.floor(col / scale)]) grey[row * width + col] = 0;
    }
  }
  return (await scanGrayBuffer(grey.buffer, width, width)).map((s) => s.decode());
}
