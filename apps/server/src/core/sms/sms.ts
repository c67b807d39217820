/**
 * Outgoing SMS (one-time codes for guests binding their membership). 'capture' keeps messages in the database for the
 * demo mailbox and the tests (demo mode only); 'provider' sends through a real provider (sms-providers.ts); 'none'
 * means no provider is configured outside the demo, so nothing can be sent and binding by mobile is off.
 */
export type SmsSender = { mode: 'capture' | 'provider' | 'none'; send(message: { to: string; body: string }): Promise<void> };

export const noSms: SmsSender = {
  mode: 'none',
  async send() {
    throw new Error('No SMS provider is configured (SMS_PROVIDER)');
  },
};
