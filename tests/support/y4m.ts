import fs from 'node:fs';

/** A QR code's modules as `qrcode`'s `create()` returns them. */
export interface QrModules {
  size: number;
  get(row: number, col: number): number | boolean;
}

const WIDTH = 640;
const HEIGHT = 480;
const FRAMES = 10; // one second at 10 fps; Chromium loops the clip

/**
 * A Y4M clip (YUV 4:2:0, full-range "C420jpeg") of a still QR code, black on white with a 4-module quiet
 * zone, 480 px square in the middle of a 640×480 frame. Y4M is a one-line text header, then per frame
 * `FRAME\n` and the Y, U and V planes; grey needs no colour, so U and V are all 128.
 */
export function writeQrY4m(file: string, qr: QrModules): void {
  const quiet = 4;
  const modules = qr.size + 2 * quiet;
  const scale = Math.floor(HEIGHT / modules);
  const left = Math.floor((WIDTH - modules * scale) / 2) + quiet * scale;
  const top = Math.floor((HEIGHT - modules * scale) / 2) + quiet * scale;
  const luma = Buffer.alloc(WIDTH * HEIGHT, 255);
  for (let row = 0; row < qr.size; row++) {
    for (let col = 0; col < qr.size; col++) {
      if (!qr.get(row, col)) continue;
      for (let y = 0; y < scale; y++) {
        const start = (top + row * scale + y) * WIDTH + left + col * scale;
        luma.fill(0, start, start + scale);
      }
    }
  }
  const chroma = Buffer.alloc((WIDTH / 2) * (HEIGHT / 2), 128);
  const frame = Buffer.concat([Buffer.from('FRAME\n'), luma, chroma, chroma]);
  const header = Buffer.from(`YUV4MPEG2 W${WIDTH} H${HEIGHT} F10:1 Ip A1:1 C420jpeg\n`);
  fs.writeFileSync(file, Buffer.concat([header, ...Array.from({ length: FRAMES }, () => frame)]));
}
