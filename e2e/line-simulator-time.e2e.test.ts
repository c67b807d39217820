import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createManualClock, startSimulator } from '../apps/line-simulator/src/index.ts';
import { launchBrowser } from './harness.ts';

/**
 * The simulated phone shows times as a guest's phone in Taiwan does (Asia/Taipei), also when the browser viewing the
 * page runs in UTC (a server's, a CI runner's): the review saw a message pushed at 09:05 in Taipei shown as 01:05.
 */
describe('the LINE simulator’s phone', () => {
  // 17:05 UTC on 15 January is 01:05 on Friday 16 January in Taipei: the time and the day both differ.
  const clock = createManualClock(Date.UTC(2026, 0, 15, 17, 5, 0));
  let simulator: Awaited<ReturnType<typeof startSimulator>>;
  let browser: Browser;
  beforeAll(async () => {
    simulator = await startSimulator({ port: 0, clock, rateLimits: false, demo: { webhookUrl: null, friends: 1 } });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await simulator?.close();
  });

  it('shows a message’s time and day in Asia/Taipei to a browser in UTC', async () => {
    const userId = [...simulator.sim.store.channels.get('2000000001')!.friends.keys()][0]!;
    const pushed = await fetch(`${simulator.url}/v2/bot/message/push`, {
      method: 'POST',
      headers: { authorization: 'Bearer demo-channel-access-token', 'content-type': 'application/json' },
      body: JSON.stringify({ to: userId, messages: [{ type: 'text', text: '早安，今日早餐 7:00 開始供應' }] }),
    });
    expect(pushed.status).toBe(200);

    const context = await browser.newContext({ timezoneId: 'UTC' });
    const page = await context.newPage();
    await page.goto(`${simulator.url}/?channel=2000000001&user=${userId}`);
    const message = page.locator('.msg-row', { hasText: '早安，今日早餐' });
    await expect.poll(() => message.count()).toBe(1);
    // The viewing browser is in UTC (17:05 on the 15th there) …
    expect(await page.evaluate(() => new Date(Date.UTC(2026, 0, 15, 17, 5)).getHours())).toBe(17);
    // … and the phone shows Taipei's time: 上午1:05 on 1月16日 (週五), the status bar 01:05.
    await expect.poll(() => message.locator('.msg-time').last().textContent()).toBe('上午1:05');
    expect(await page.locator('.day-sep').last().textContent()).toBe('1月16日週五');
    expect(await page.locator('#status-time').textContent()).toBe('01:05');
    expect(await page.locator('#clock').textContent()).toContain('2026年1月16日');
    await context.close();
  });
});
