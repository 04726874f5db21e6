// The part of the `qrcode` package the renderer uses: its browser build. @types/qrcode also types the Node
// build (streams, files) and so pulls Node's globals into any program that imports it; the renderer's
// tsconfig maps 'qrcode' here instead, so Buffer and process stay unknown in the page.
export interface QRCodeToStringOptions {
  type: 'svg';
  errorCorrectionLevel?: 'L' | 'M' | 'Q' | 'H';
  margin?: number;
  width?: number;
}

declare const QRCode: {
  toString(text: string, options: QRCodeToStringOptions): Promise<string>;
};
export default QRCode;
