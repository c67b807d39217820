/** A chunk's promise that also says, once settled, how it ended, so a page can render from it without awaiting. */
export type Chunk<T> = Promise<T> & { status?: 'fulfilled' | 'rejected'; value?: T; reason?: unknown };

/**
 * Fetches a module the first time it is asked for and picks one export from it; later calls get the same promise,
 * which records its outcome on itself (status, value or reason) for lazy-pages' synchronous render.
 */
export function chunkOnce<K extends string, T>(load: () => Promise<Record<K, T>>, name: K): () => Chunk<T> {
  let chunk: Chunk<T> | undefined;
  return () => {
    if (!chunk) {
      const loading: Chunk<T> = load().then((module) => module[name]);
      // The handlers return nothing: returning `loading` itself (Object.assign's result) made this branch a copy of a
      // failed load that nobody awaited, reported in the browser console as an uncaught error beside the page's retry.
      loading.then(
        (value) => {
          Object.assign(loading, { status: 'fulfilled', value });
        },
        (reason: unknown) => {
          Object.assign(loading, { status: 'rejected', reason });
        },
      );
      chunk = loading;
    }
    return chunk;
  };
}
