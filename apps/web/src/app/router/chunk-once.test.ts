import { describe, expect, it } from 'vitest';
import { chunkOnce } from './chunk-once.ts';

/** Runs the event loop once past the microtasks, when Node reports rejections no one handled. */
const afterMicrotasks = () => new Promise((resolve) => setImmediate(resolve));

describe('page chunks fetched once (lazy-pages)', () => {
  it('a page whose code cannot be fetched leaves no rejection unhandled (the page shows its retry, the console stays clean)', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const failure = new TypeError('Failed to fetch dynamically imported module: /assets/SettingsPage-Old456.js');
      const preload = chunkOnce<'SettingsPage', unknown>(() => Promise.reject(failure), 'SettingsPage');
      await expect(preload()).rejects.toBe(failure);
      expect(preload()).toMatchObject({ status: 'rejected', reason: failure });
      await afterMicrotasks();
      await afterMicrotasks();
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
    expect(unhandled).toEqual([]);
  });

  it('fetches a page once and hands every caller the same component', async () => {
    let loads = 0;
    const Component = () => null;
    const preload = chunkOnce(() => {
      loads += 1;
      return Promise.resolve({ TagsPage: Component });
    }, 'TagsPage');
    const [first, second] = await Promise.all([preload(), preload()]);
    expect(first).toBe(Component);
    expect(second).toBe(Component);
    expect(loads).toBe(1);
    expect(preload()).toMatchObject({ status: 'fulfilled', value: Component });
  });
});
