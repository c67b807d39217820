import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiCall, endJourney, openMenu, startJourney, unexpected, watchPage, type RunningServer } from './harness.ts';
import { openPmsPage } from './pms-journey.ts';

let server: RunningServer;
let browser: Browser;

beforeAll(async () => ({ server, browser } = await startJourney({ pms: true })), 120_000);
afterAll(() => endJourney({ server, browser }));

describe('the 德安 PMS in the demo (issue 8)', () => {
  it('staff sync now on PMS 串接, read the match report, decide a match in 綁定審核 and see the guest’s 德安 stays', async () => {
    const context = await browser.newContext({ locale: 'zh-TW' });
    const page = await context.newPage();
    const watch = watchPage(page);
    await openPmsPage(server, page);
    expect(await page.getByTestId('pms-schedule-value').textContent()).toContain('15');

    // The scheduler may have started the first run already; otherwise staff start it.
    const syncNow = page.getByTestId('pms-sync-now');
    if (await syncNow.isEnabled()) await syncNow.click();
    await page.getByTestId('pms-runs').getByText('成功').first().waitFor({ timeout: 90_000 });
    await page.reload();
    await page.getByTestId('pms-rate').waitFor();
    const matched = Number((await page.getByTestId('pms-matched').locator('.ant-statistic-content-value').textContent())?.replace(/\D/g, ''));
    expect(matched).toBeGreaterThan(0);

    // 綁定審核 opens on the queue with work: no LINE binding waits, so PMS 比對 is shown without choosing it.
    // Then link the first open case's first candidate (approve).
    await openMenu(page, '綁定審核');
    await page.getByTestId('pms-review').first().waitFor();
    expect(new URL(page.url()).searchParams.get('kind')).toBe('pms');
    // A case whose candidate is free to link (one whose profiles another member holds cannot be approved).
    const card = page.getByTestId('pms-review').filter({ has: page.locator('[data-testid="pms-review-link-all"]:enabled') }).first();
    const memberHref = await card.getByTestId('pms-review-member').getAttribute('href');
    // The queue is paged (20 cards): the next case moves onto the page, so the total beside it says one fewer.
    const waiting = async () => Number((await page.getByTestId('pms-review-total').textContent())?.replace(/\D/g, ''));
    const before = await waiting();
    await card.locator('[data-testid="pms-review-link-all"]:enabled').first().click();
    await page.getByRole('dialog').getByRole('button', { name: '全部連結到此會員' }).click();
    await page.getByText(/已連結到會員/).waitFor();
    await expect.poll(waiting).toBeLessThan(before);
    expect(await page.getByTestId(`pms-review`).filter({ has: page.locator(`a[href="${memberHref}"]`) }).count()).toBe(0);

    // The next sync brings the linked profiles' stays onto the member.
    await openMenu(page, 'PMS 串接');
    const statuses = page.getByTestId('pms-runs').getByTestId('pms-run-status');
    await statuses.first().waitFor();
    const runsBefore = await statuses.count();
    await page.getByTestId('pms-sync-now').click();
    await expect.poll(() => statuses.count()).toBe(runsBefore + 1);
    // The page polls the history only while the sync runs; it must read it once more when the sync ends, or the new
    // run would show its last phase for good (the flake of 2026-12-05: the history never said 成功).
    await expect.poll(() => statuses.first().textContent(), { timeout: 90_000, interval: 1000 }).toBe('成功');
    const memberId = memberHref!.split('/').pop()!;
    const stays = await apiCall<{ data: Array<{ source: string }> }>(page, 'GET', `/api/members/${memberId}/stays`);
    const profiles = await apiCall<{ data: Array<{ stays: number; gcustCod: string }> }>(page, 'GET', `/api/members/${memberId}/pms-profiles`);
    expect(profiles.data.length).toBeGreaterThan(0);
    expect(stays.data.filter((s) => s.source === 'pms').length).toBe(profiles.data.reduce((n, p) => n + p.stays, 0));
    // The member page names the linked 德安 profiles.
    await page.goto(`${server.url}${memberHref}`);
    await page.getByTestId('member-pms-card').waitFor();
    expect(await page.getByTestId('member-pms-card').textContent()).toContain(profiles.data[0]!.gcustCod);
    expect(unexpected(watch.errors)).toEqual([]);
    await context.close();
  }, 240_000);
});
