import type { ImageType } from './campaigns.tables.ts';

export type ImageInfo = { contentType: ImageType; width: number; height: number };

const PNG_MAX_SIDE = 2 ** 31 - 1;

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * What an uploaded file really is, read from its bytes (never from its name or the browser's content type): LINE
 * takes JPEG and PNG only. Answers undefined for anything else, including a truncated header.
 */
export function readImageInfo(bytes: Buffer): ImageInfo | undefined {
  return readPng(bytes) ?? readJpeg(bytes);
}

function readPng(bytes: Buffer): ImageInfo | undefined {
  // Signature, then the IHDR chunk first: length (4), "IHDR" (4), width (4), height (4).
  if (bytes.length < 24 || !bytes.subarray(0, 8).equals(PNG_SIGNATURE) || bytes.toString('latin1', 12, 16) !== 'IHDR') return undefined;
  const width = bytes.readUInt32BE(16);
  const height = bytes.readUInt32BE(20);
  // The PNG specification: each between 1 and 2^31 - 1; a header claiming more is not a PNG (and would not fit the
  // column either).
  return width > 0 && height > 0 && width <= PNG_MAX_SIDE && height <= PNG_MAX_SIDE ? { contentType: 'image/png', width, height } : undefined;
}

/** Start-of-frame markers (baseline, progressive, …) carry the size; DHT, JPG and DAC share the range and do not. */
function isStartOfFrame(marker: number): boolean {
  return marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
}

function readJpeg(bytes: Buffer): ImageInfo | undefined {
  if (bytes.length < 4 || bytes[0] !== 0xff || bytes[1] !== 0xd8) return undefined;
  let offset = 2;
  while (offset + 4 <= bytes.length) {
    if (bytes[offset] !== 0xff) return undefined;
    const marker = bytes[offset + 1]!;
    // Fill bytes and markers without a length.
    if (marker === 0xff) {
      offset += 1;
      continue;
    }
    if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      offset += 2;
      continue;
    }
    if (marker === 0xd9 || marker === 0xda) return undefined;
    const length = bytes.readUInt16BE(offset + 2);
    if (length < 2) return undefined;
    if (isStartOfFrame(marker)) {
      if (offset + 9 > bytes.length) return undefined;
      const height = bytes.readUInt16BE(offset + 5);
      const width = bytes.readUInt16BE(offset + 7);
      return width > 0 && height > 0 ? { contentType: 'image/jpeg', width, height } : undefined;
    }
    offset += 2 + length;
  }
  return undefined;
}
