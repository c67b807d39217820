import crypto from 'node:crypto';
import zlib from 'node:zlib';
import type { ApiClient, ApiResponse } from '../../../../test/api-client.ts';

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A valid RGB PNG; `noise` fills it with random pixels, which do not compress (for files over a size limit). */
export function png(width: number, height: number, options: { noise?: boolean } = {}): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const row = width * 3 + 1;
  const raw = options.noise ? crypto.randomBytes(row * height) : Buffer.alloc(row * height, 0x80);
  for (let y = 0; y < height; y++) raw[y * row] = 0;
  const idat = zlib.deflateSync(raw, { level: options.noise ? 0 : 9 });
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', idat), chunk('IEND', Buffer.alloc(0))]);
}

/** A JPEG's markers up to its frame header (SOI, APP0/JFIF, SOF0 with the size), then EOI: what the upload reads. */
export function jpegHeader(width: number, height: number): Buffer {
  const app0 = Buffer.from([0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00]);
  const sof = Buffer.from([0xff, 0xc0, 0x00, 0x11, 0x08, height >> 8, height & 0xff, width >> 8, width & 0xff, 0x03, 0x01, 0x22, 0x00, 0x02, 0x11, 0x01, 0x03, 0x11, 0x01]);
  return Buffer.concat([Buffer.from([0xff, 0xd8]), app0, sof, Buffer.from([0xff, 0xd9])]);
}

/** A multipart/form-data body with the given file fields. */
export function multipart(files: Record<string, { name: string; type: string; bytes: Buffer }>): { body: Buffer; contentType: string } {
  const boundary = `----innkeeper${crypto.randomBytes(8).toString('hex')}`;
  const parts = Object.entries(files).map(([field, file]) =>
    Buffer.concat([Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${file.name}"\r\nContent-Type: ${file.type}\r\n\r\n`), file.bytes, Buffer.from('\r\n')]),
  );
  return { body: Buffer.concat([...parts, Buffer.from(`--${boundary}--\r\n`)]), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** POST /api/campaign-images as the client (its session, CSRF token and language), with these multipart files. */
export async function upload(client: ApiClient, files: Parameters<typeof multipart>[0]): Promise<ApiResponse> {
  const { body, contentType } = multipart(files);
  const response = await client.app.inject({
    method: 'POST',
    url: '/api/campaign-images',
    headers: { 'content-type': contentType, cookie: client.cookie ?? '', 'x-csrf-token': client.csrfToken ?? '', 'accept-language': client.locale },
    payload: body,
  });
  return { status: response.statusCode, body: JSON.parse(response.body), headers: response.headers };
}
