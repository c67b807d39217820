import { createHmac } from 'node:crypto';

// x-line-signature = base64(HMAC-SHA256(channel secret, exact body bytes)).
export function signBody(channelSecret: string, body: string | Buffer): string {
  return createHmac('sha256', channelSecret).update(body).digest('base64');
}
