/** The header in which bench:push's workers say when each request left (sent-at.ts), read by its simulator. */
export const SENT_AT_HEADER = 'x-sim-sent-at';
