import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { apiCall, DEMO_ADMIN, openMenu, signIn, type RunningServer } from './harness.ts';

/**
 * The PMS journeys' start: the demo's administrator signs in from the root URL and opens PMS 串接 through the menu,
 * once the demo has connected the group to the 德安 simulator (a few seconds after start, when its sample members
 * are in). Answers the connection's id.
 */
export async function openPmsPage(server: RunningServer, page: Page): Promise<string> {
  await signIn(server, page, DEMO_ADMIN.email, DEMO_ADMIN.password);
  await openMenu(page, 'PMS 串接');
  for (let i = 0; i < 60 && (await page.getByTestId('pms-connection').count()) === 0; i++) {
    await page.waitForTimeout(1000);
    await page.reload();
  }
  await page.getByTestId('pms-connection').waitFor();
  return (await apiCall<{ data: Array<{ id: string }> }>(page, 'GET', '/api/pms/connections')).data[0]!.id;
}

/**
 * Until the demo's first sync has run and none runs now: the scheduler starts that sync within a minute of the
 * connection (not at once, so "none running" alone may come before it), and an upload's own run waits for no other.
 */
export async function untilNoSyncRuns(page: Page): Promise<void> {
  const idle = async () => {
    const [connection] = (await apiCall<{ data: Array<{ running: unknown; lastSuccessAt: string | null }> }>(page, 'GET', '/api/pms/connections')).data;
    return connection!.running === null && connection!.lastSuccessAt !== null;
  };
  await expect.poll(idle, { timeout: 180_000, interval: 1000 }).toBe(true);
}

/**
 * The PMS page once the demo's first sync is done, reloaded so the report shows its figures: the start of each
 * journey that reads what a sync found.
 */
export async function openSyncedPmsPage(server: RunningServer, page: Page): Promise<string> {
  const connectionId = await openPmsPage(server, page);
  await untilNoSyncRuns(page);
  await page.reload();
  await page.getByTestId('pms-rate').waitFor();
  return connectionId;
}
