import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiCall, DEMO_ADMIN, endJourney, followAndFillBinding, notYetFriends, openMenu, signIn, startJourney, unexpected, watchPage, type RunningServer } from './harness.ts';

let server: RunningServer;
// antd lists options as .ant-select-item-option; its aria listbox holds only the ones near the active one.
const option = (name: string) => page.locator('.ant-select-item-option:visible').filter({ hasText: new RegExp(`^${name}$`) });
let page: Page;
let browser: Browser;

beforeAll(async () => ({ server, browser } = await startJourney()));
afterAll(() => endJourney({ server, browser }));

describe('a campaign from the builder to a tagged guest', () => {
  it('a guest binds with offers allowed; a marketer builds 平日商務優惠 with a tagged button and sends it; the guest taps it on the phone; staff see 商務客 and the click', async () => {
    const context = await browser.newContext({ locale: 'zh-TW', viewport: { width: 1440, height: 1000 } });
    // A virtual guest adds the hotel's account and binds in LIFF, agreeing to offers.
    const [guest] = await notYetFriends(server);
    expect(guest).toBeDefined();
    const { phone, liff, watch: liffWatch } = await followAndFillBinding(server, context, guest!, { lastName: '陳', firstName: '志明', mobile: '0912-555-666', e164: '+886912555666' });
    await liff.getByTestId('liff-opt-in').check();
    await liff.getByTestId('liff-submit').click();
    await liff.getByTestId('liff-member-card').waitFor();
    const memberNo = (await liff.getByTestId('liff-member-no').textContent())!.trim();
    expect(unexpected(liffWatch.errors)).toEqual([]);
    await liff.close();

    page = await context.newPage();
    const watch = watchPage(page);
    await signIn(server, page, DEMO_ADMIN.email, DEMO_ADMIN.password);
    await apiCall(page, 'POST', '/api/tags', { name: '商務客', kind: 'campaign' });
    await page.reload(); // the tag lists the app already loaded do not have it yet
    await page.getByTestId('user-menu').waitFor();

    await openMenu(page, '活動推播');
    await page.getByRole('button', { name: '新增活動' }).click();
    await page.waitForURL(/\/campaigns\/new$/);
    await page.getByTestId('campaign-name').fill('平日商務優惠');
    await page.getByTestId('campaign-tags').click();
    await option('商務客').click();
    await page.keyboard.press('Escape');

    await page.getByTestId('add-message').click();
    await page.getByRole('menuitem', { name: '文字' }).click();
    await page.getByTestId('message-editor').nth(0).getByRole('textbox').fill('{lastName}{firstName} 您好：平日入住享 85 折');
    await page.getByTestId('line-preview').getByText('王小明 您好：平日入住享 85 折').waitFor();

    // In CI the 發送對象 card was found over this item of the second menu (cause not found yet: a layout shift or a
    // stacking bug, see the closing note of 2026-12-04), so the item is chosen directly, and again if the menu closed.
    for (let attempt = 0; attempt < 5 && (await page.getByTestId('message-editor').count()) < 2; attempt += 1) {
      await page.getByTestId('add-message').click();
      await page.getByRole('menuitem', { name: '按鈕訊息' }).dispatchEvent('click');
      await page.waitForTimeout(300);
    }
    const buttons = page.getByTestId('message-editor').nth(1);
    await buttons.getByLabel('通知預覽文字').fill('平日商務優惠');
    await buttons.getByLabel('標題').fill('平日商務優惠');
    await buttons.getByLabel('內文').fill('週一至週四入住');
    await buttons.getByLabel('按鈕文字').fill('我有興趣');
    await buttons.getByTestId('action-editor').getByRole('combobox').last().click();
    await option('商務客').last().click();
    await page.keyboard.press('Escape');
    await page.getByTestId('line-preview').getByText('我有興趣').waitFor();

    await page.getByRole('button', { name: '儲存草稿' }).click();
    await page.waitForURL(/\/campaigns\/[0-9a-f-]{36}$/);
    await page.getByTestId('campaign-estimate').waitFor();

    await page.getByRole('button', { name: '核准並立即發送' }).click();
    await page.getByRole('dialog').getByRole('button', { name: '核准並立即發送' }).click();
    await page.getByText('已排程', { exact: true }).first().waitFor();
    const id = page.url().split('/').pop()!;
    const saved = await apiCall<{ status: string; messages: Array<{ type: string; actions?: Array<{ id: string; tagIds: string[] }> }> }>(page, 'GET', `/api/campaigns/${id}`);
    // The worker's per-minute job may already have claimed it.
    expect(['scheduled', 'sending', 'sent']).toContain(saved.status);
    expect(saved.messages.map((m) => m.type)).toEqual(['text', 'buttons']);
    expect(saved.messages[1]!.actions![0]!.tagIds).toHaveLength(1);

    // The page follows the send: the worker's per-minute job claims it, then the progress panel shows it went out.
    await page.getByTestId('send-progress').waitFor({ timeout: 100_000 });
    await page.getByText('已發送', { exact: true }).first().waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('send-progress').textContent()).toMatch(/已送達 LINE[1-9]/);

    await openMenu(page, '活動推播');
    await page.getByTestId('campaigns-table').getByText('平日商務優惠').waitFor();

    // On the phone the guest gets the offer, addressed by name, and taps the button.
    const chat = phone.locator('#chat-body');
    await chat.getByText('陳志明 您好：平日入住享 85 折').waitFor();
    await chat.getByRole('button', { name: '我有興趣' }).last().click();

    // Staff find the guest from 會員 and see the tag the button gave and the click on the timeline.
    await openMenu(page, '會員');
    await page.getByRole('searchbox').fill('0912555666');
    await page.getByRole('searchbox').press('Enter');
    await page.getByTestId('members-table').getByText(memberNo).click();
    await page.getByTestId('member-no').filter({ hasText: memberNo }).waitFor();
    // The click is handled by the worker from the webhook inbox; the member page shows it once it is there.
    for (let attempt = 0; (await page.getByTestId('member-tags').getByText('商務客').count()) === 0; attempt++) {
      if (attempt >= 20) throw new Error('the tag from the click never showed');
      await page.waitForTimeout(1000);
      await page.reload();
      await page.getByTestId('member-tags').waitFor();
    }
    await page.getByTestId('member-timeline').getByText('點擊了「我有興趣」').waitFor();
    await page.getByTestId('member-timeline').getByText('加上標籤「商務客」').first().waitFor();
    expect(unexpected(watch.errors)).toEqual([]);
    await context.close();
  }, 240_000);
});
