/**
 * Outgoing SMS (one-time codes for guests binding their membership). 'capture' keeps messages in the database for the
 * demo mailbox and the tests; a real provider (e.g. Mitake or Every8d in Taiwan) implements the same port.
 */
export type SmsSender = { mode: 'capture' | 'provider'; send(message: { to: string; body: string }): Promise<void> };
