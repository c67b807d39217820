import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiCall, endJourney, openMenu, startJourney, unexpected, watchPage, type RunningServer } from './harness.ts';
import { openPmsPage, openSyncedPmsPage } from './pms-journey.ts';

/**
 * The PMS page's leftovers in the browser (issue 8): the review queue a page at a time, the report said plainly, the
 * conflicts list, the hotel's words for technical names, 德安 PMS in English, and deleting the connection.
 */
let server: RunningServer;
let browser: Browser;

// A loaded machine (other journeys, benches) may take minutes to build and start the demo.
beforeAll(async () => ({ server, browser } = await startJourney({ pms: true })), 300_000);
afterAll(() => endJourney({ server, browser }));

async function cardMembers(page: Page): Promise<string[]> {
  return page.getByTestId('pms-review').getByTestId('pms-review-member').evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''));
}

describe('the PMS page (issue 8 leftovers)', () => {
  it('says the report plainly, lists conflicts, names things in the hotel’s words, and pages the PMS 比對 queue with its filter kept', async () => {
    const context = await browser.newContext({ locale: 'zh-TW' });
    const page = await context.newPage();
    const watch = watchPage(page);
    await openSyncedPmsPage(server, page);

    // The rate with its formula in figures, and each other figure with what it counts.
    const matched = Number((await page.getByTestId('pms-matched').locator('.ant-statistic-content-value').textContent())?.replace(/\D/g, ''));
    expect(matched).toBeGreaterThan(0);
    const rateHelp = (await page.getByTestId('pms-rate-help').textContent()) ?? '';
    expect(rateHelp).toContain('已連結的會員 ÷');
    expect(rateHelp).toContain(`（${matched} ÷ `);
    expect(await page.getByTestId('pms-rate-all-help').textContent()).toContain(`${matched} ÷ `);
    // The target the specification sets is beside the rate, and the help says what stands between them: the cases
    // waiting for staff (counted as not linked until decided), or that it is met.
    expect(await page.getByTestId('pms-rate-target').textContent()).toBe('目標 95.0%');
    const rate = Number((await page.getByTestId('pms-rate').locator('.ant-statistic-content-value').textContent())?.replace(/[^\d.]/g, ''));
    const inReview = Number((await page.getByTestId('pms-in-review').locator('.ant-statistic-content-value').textContent())?.replace(/\D/g, ''));
    if (rate >= 95) expect(await page.getByTestId('pms-rate-note').textContent()).toContain('已達成規格要求的 95.0%');
    else if (inReview > 0) expect(await page.getByTestId('pms-rate-note').textContent()).toMatch(new RegExp(`另有 ${inReview} 位待審核.*全數核准可達 \\d+\\.\\d%`));
    else expect(await page.getByTestId('pms-rate-note').count()).toBe(0);
    expect(await page.getByTestId('pms-profiles').textContent()).toMatch(/^有效 \d+ 筆，共 \d+ 筆（含已刪除或合併）$/);

    // A failing test of the connection says what happened in the staff's words, not a code: the PMS answers 500 once.
    await fetch(`${server.pmsSimUrl}/_sim/faults/next`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ kind: 'error', count: 1 }) });
    await page.getByTestId('pms-test').click();
    const failed = page.locator('.ant-message-notice').filter({ hasText: '連線失敗' });
    await failed.waitFor();
    expect(await failed.textContent()).toContain('連線失敗：PMS 發生錯誤，系統會自動重試。（給技術支援的訊息：');
    expect(await failed.textContent()).not.toContain('（internal）');
    for (const id of ['pms-matched-help', 'pms-in-review-help', 'pms-unmatched-help']) expect((await page.getByTestId(id).textContent())?.length).toBeGreaterThan(10);
    expect(await page.getByTestId('pms-linked-profiles').textContent()).toContain(`${matched} 位會員`);

    // The schedule says the nightly full read; the connection's name as the demo gave it.
    expect(await page.getByTestId('pms-nightly').textContent()).toContain('03:00');
    expect(await page.getByTestId('pms-connection-name').textContent()).toBe('德安 PMS（模擬）');
    // The conflicts list is on the page (the demo's first sync may have none yet).
    await page.getByTestId('pms-conflicts').waitFor();

    // Technical names only as secondary help: not as the labels staff read.
    const card = (await page.getByTestId('pms-connection').textContent()) ?? '';
    expect(card).not.toContain('API 網址');
    expect(card).not.toContain('X-Hotel-Cod');
    expect(card).toContain('PMS 連線網址');
    await page.getByTestId('pms-edit').click();
    const form = page.getByTestId('pms-edit-form');
    await form.waitFor();
    expect(await form.locator('label').allTextContents()).not.toContain('API 網址');
    expect((await form.locator('label').allTextContents()).join(' ')).not.toMatch(/X-Hotel-Cod|PMS_DROP_ROOT|archive/);
    // …and IT still finds them in the help under the fields.
    expect(await form.textContent()).toContain('X-Hotel-Cod');
    await page.getByRole('dialog').getByRole('button', { name: /取\s?消/ }).click();

    // The queue: at most 20 cards, the total beside, the pager below.
    await openMenu(page, '綁定審核');
    await page.getByTestId('pms-review').first().waitFor();
    const total = Number((await page.getByTestId('pms-review-total').textContent())?.replace(/\D/g, ''));
    expect(total).toBeGreaterThan(20);
    expect(await page.getByTestId('pms-review').count()).toBe(20);
    const first = await cardMembers(page);
    await page.getByTestId('pms-review-pager').getByTitle('2', { exact: true }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get('page')).toBe('2');
    await expect.poll(async () => (await cardMembers(page))[0]).not.toBe(first[0]);
    const second = await cardMembers(page);
    expect(second.length).toBe(Math.min(20, total - 20));
    expect(second.some((href) => first.includes(href))).toBe(false);

    // A reason filter starts again at page 1 and is kept in the address: a reload shows the same.
    // The first card's first reason: there is at least that case.
    const reasonText = (await page.getByTestId('pms-review').first().getByTestId('pms-review-reason').first().textContent())!;
    await page.getByTestId('pms-review-reason-filter').click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: new RegExp(`^${reasonText.replace(/[()（）]/g, '.')}$`) }).first().click();
    await expect.poll(() => new URL(page.url()).searchParams.get('reason')).not.toBeNull();
    expect(new URL(page.url()).searchParams.get('page')).toBeNull();
    const reason = new URL(page.url()).searchParams.get('reason')!;
    const filtered = await apiCall<{ total: number; data: Array<{ reasons: string[] }> }>(page, 'GET', `/api/pms/reviews?reason=${reason}`);
    await expect.poll(async () => Number((await page.getByTestId('pms-review-total').textContent())?.replace(/\D/g, ''))).toBe(filtered.total);
    expect(filtered.total).toBeGreaterThan(0);
    // Every card on the page shows that reason.
    await expect.poll(async () => (await page.getByTestId('pms-review').filter({ hasNot: page.getByTestId('pms-review-reason').filter({ hasText: reasonText }) }).count())).toBe(0);
    await page.reload();
    await page.getByTestId('pms-review-total').waitFor();
    expect(new URL(page.url()).searchParams.get('reason')).toBe(reason);
    expect(Number((await page.getByTestId('pms-review-total').textContent())?.replace(/\D/g, ''))).toBe(filtered.total);
    expect(unexpected(watch.errors)).toEqual([]);
    await context.close();
  }, 300_000);

  it('in English: 德安 PMS is named in English, and a member’s stays show the connection, not the code pms', async () => {
    const context = await browser.newContext({ locale: 'zh-TW' });
    const page = await context.newPage();
    const watch = watchPage(page);
    await openPmsPage(server, page);
    await page.getByRole('combobox', { name: '介面語言' }).click();
    await page.getByRole('option', { name: 'English' }).click();
    await page.getByRole('navigation', { name: 'Main menu' }).getByText('Members').waitFor();
    await openMenu(page, 'PMS integration');
    await page.getByTestId('pms-connection').waitFor();
    expect(await page.getByTestId('pms-connection-name').textContent()).toBe('Dean PMS (simulated)');
    expect(await page.getByTestId('pms-rate-help').textContent()).toContain('Members linked ÷');

    // A member with stays from the sync.
    const members = await apiCall<{ data: Array<{ id: string }> }>(page, 'POST', '/api/members/search', { pageSize: 200 });
    let memberId: string | undefined;
    for (const m of members.data) {
      const stays = await apiCall<{ data: Array<{ source: string; channel: string }> }>(page, 'GET', `/api/members/${m.id}/stays`);
      if (stays.data.some((s) => s.source === 'pms')) {
        memberId = m.id;
        break;
      }
    }
    expect(memberId).toBeDefined();
    await openMenu(page, 'Members');
    await page.goto(`${server.url}/members/${memberId}`);
    await page.getByTestId('member-stays').waitFor();
    await page.getByTestId('stay-channel').first().waitFor();
    const channels = await page.getByTestId('stay-channel').allTextContents();
    expect(channels.some((c) => c.includes('Dean PMS (simulated)'))).toBe(true);
    expect(channels.some((c) => /(^|· )pms$/.test(c))).toBe(false);
    await apiCall(page, 'PATCH', '/api/auth/me', { locale: 'zh-TW' });
    expect(unexpected(watch.errors)).toEqual([]);
    await context.close();
  }, 240_000);

  it('deleting the connection asks first, says what members keep, and leaves their stays', async () => {
    const context = await browser.newContext({ locale: 'zh-TW' });
    const page = await context.newPage();
    const watch = watchPage(page);
    await openSyncedPmsPage(server, page);
    const before = await apiCall<{ data: Array<{ id: string }> }>(page, 'POST', '/api/members/search', { pageSize: 200 });
    const staysBefore = await Promise.all(before.data.map((m) => apiCall<{ data: Array<{ source: string }> }>(page, 'GET', `/api/members/${m.id}/stays`)));
    const pmsStays = staysBefore.flatMap((s) => s.data).filter((s) => s.source === 'pms').length;
    expect(pmsStays).toBeGreaterThan(0);

    await page.getByTestId('pms-delete').click();
    const consequences = page.getByTestId('pms-delete-consequences');
    await consequences.waitFor();
    expect(await consequences.textContent()).toContain('會員保留已同步的住房紀錄');
    // Cancelled: nothing happens.
    await page.getByRole('dialog').getByRole('button', { name: /取\s?消/ }).click();
    await consequences.waitFor({ state: 'detached' });
    expect((await apiCall<{ data: unknown[] }>(page, 'GET', '/api/pms/connections')).data).toHaveLength(1);

    await page.getByTestId('pms-delete').click();
    await page.getByTestId('pms-delete-confirm').click();
    await page.getByText('已刪除 PMS 連線。').waitFor();
    await page.getByTestId('pms-connect').waitFor();
    expect((await apiCall<{ data: unknown[] }>(page, 'GET', '/api/pms/connections')).data).toHaveLength(0);
    const staysAfter = await Promise.all(before.data.map((m) => apiCall<{ data: Array<{ source: string }> }>(page, 'GET', `/api/members/${m.id}/stays`)));
    expect(staysAfter.flatMap((s) => s.data).filter((s) => s.source === 'pms').length).toBe(pmsStays);
    const audit = await apiCall<{ data: Array<{ action: string }> }>(page, 'GET', '/api/audit-log?action=pms.connection_deleted');
    expect(audit.data).toHaveLength(1);
    // Nothing of the deleted connection is asked for again (its runs, report, conflicts and files answered 404).
    expect(watch.errors.filter((e) => e.includes('404'))).toEqual([]);
    expect(unexpected(watch.errors)).toEqual([]);
    await context.close();
  }, 240_000);
});
