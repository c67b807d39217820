import type { SmsConfig } from '../../config/config.ts';
import type { SmsSender } from './sms.ts';

/** A provider refused or failed a message; the text is the provider's, never the message body or the number. */
class SmsProviderError extends Error {
  constructor(provider: string, status: number, detail: string) {
    // Providers quote the number back ("The 'To' number +886… is not valid"): it is not repeated in logs.
    super(`${provider} refused the SMS (HTTP ${status}): ${detail.replace(/\+?\d[\d\s-]{6,}\d/g, '…').slice(0, 200)}`);
    this.name = 'SmsProviderError';
  }
}

const TIMEOUT_MS = 10_000;

export function createProviderSms(config: SmsConfig): SmsSender {
  return config.provider === 'every8d' ? every8dSms(config) : twilioSms(config);
}

/**
 * Every8d (互動資通, Taiwan), HTTP API 2.1: POST form UID, PWD, SB (subject, not sent), MSG, DEST to
 * /API21/HTTP/sendSMS.ashx. It answers 200 with `CREDIT,SENDED,COST,UNSEND,BATCH_ID` on success and a negative code
 * (`-{code},{reason}` or a negative CREDIT) on failure.
 */
function every8dSms(config: SmsConfig): SmsSender {
  const url = `${config.apiBaseUrl ?? 'https://api.e8d.tw'}/API21/HTTP/sendSMS.ashx`;
  return {
    mode: 'provider',
    async send(message) {
      const body = new URLSearchParams({ UID: config.username, PWD: config.password, SB: 'Innkeeper', MSG: message.body, DEST: message.to, ST: '' });
      const response = await fetch(url, { method: 'POST', body, signal: AbortSignal.timeout(TIMEOUT_MS) });
      const text = (await response.text()).trim();
      if (!response.ok) throw new SmsProviderError('Every8d', response.status, text);
      const [credit, sent, , unsent] = text.split(',');
      if (credit === undefined || credit.startsWith('-') || Number(sent) < 1 || Number(unsent) > 0) throw new SmsProviderError('Every8d', response.status, text);
    },
  };
}

/**
 * Twilio Programmable Messaging: POST /2010-04-01/Accounts/{AccountSid}/Messages.json with basic auth (SID, auth
 * token) and form fields To, Body and From (a number) or MessagingServiceSid (MG…). 201 with the message resource on
 * success; otherwise a JSON error `{ code, message, more_info, status }`.
 */
function twilioSms(config: SmsConfig): SmsSender {
  const url = `${config.apiBaseUrl ?? 'https://api.twilio.com'}/2010-04-01/Accounts/${encodeURIComponent(config.username)}/Messages.json`;
  const authorization = `Basic ${Buffer.from(`${config.username}:${config.password}`).toString('base64')}`;
  const from = config.from ?? '';
  return {
    mode: 'provider',
    async send(message) {
      const body = new URLSearchParams({ To: message.to, Body: message.body, ...(from.startsWith('MG') ? { MessagingServiceSid: from } : { From: from }) });
      const response = await fetch(url, { method: 'POST', body, headers: { authorization }, signal: AbortSignal.timeout(TIMEOUT_MS) });
      const text = await response.text();
      if (response.status !== 201) {
        let detail = text;
        try {
          const error = JSON.parse(text) as { code?: number; message?: string };
          detail = `${error.code ?? ''} ${error.message ?? ''}`.trim();
        } catch {
          // not JSON: keep the text
        }
        throw new SmsProviderError('Twilio', response.status, detail);
      }
    },
  };
}
