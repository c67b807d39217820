import { AUDIENCE_CHUNKS } from '../campaign-delivery.ts';

/**
 * Runs `fn` with the audience written in chunks of 100, then 400 (instead of 2,500 up to 50,000), so a test's
 * ~1,200 guests go out in several chunks; the sizes are put back afterwards, whatever happens.
 */
export async function inSmallChunks<T>(fn: () => Promise<T>): Promise<T> {
  const chunks = { ...AUDIENCE_CHUNKS };
  Object.assign(AUDIENCE_CHUNKS, { first: 100, most: 400 });
  try {
    return await fn();
  } finally {
    Object.assign(AUDIENCE_CHUNKS, chunks);
  }
}
