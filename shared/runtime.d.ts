// shared/ is compiled with ES2023's types only: no DOM, no Node. These are the few web-standard globals it
// uses that every runtime it runs in has (Chromium, Node ≥ 24), declared as narrowly as shared/ uses them,
// so that nothing of one runtime (Buffer, process, window, document) can slip in.

/** The Encoding API (WHATWG Encoding Standard): UTF-8 only. */
interface TextEncoder {
  encode(input?: string): Uint8Array<ArrayBuffer>;
}
declare const TextEncoder: { prototype: TextEncoder; new (): TextEncoder };

interface TextDecoder {
  decode(input?: ArrayBufferView | ArrayBuffer): string;
}
declare const TextDecoder: {
  prototype: TextDecoder;
  new (label?: 'utf-8', options?: { fatal?: boolean; ignoreBOM?: boolean }): TextDecoder;
};
