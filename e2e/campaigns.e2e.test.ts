import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiCall, DEMO_ADMIN, endJourney, openMenu, signIn, startJourney, unexpected, watchPage, type RunningServer } from './harness.ts';

let server: RunningServer;
// antd lists options as .ant-select-item-option; its aria listbox holds only the ones near the active one.
const option = (name: string) => page.locator('.ant-select-item-option:visible').filter({ hasText: new RegExp(`^${name}$`) });
let page: Page;
let browser: Browser;

beforeAll(async () => ({ server, browser } = await startJourney()));
afterAll(() => endJourney({ server, browser }));

describe('building a campaign in the browser', () => {
  it('a marketer builds 平日商務優惠 with a tagged button, sees it as LINE shows it, saves it and approves it', async () => {
    const context = await browser.newContext({ locale: 'zh-TW', viewport: { width: 1440, height: 1000 } });
    page = await context.newPage();
    const watch = watchPage(page);
    await signIn(server, page, DEMO_ADMIN.email, DEMO_ADMIN.password);
    await apiCall(page, 'POST', '/api/tags', { name: '平日商務客', kind: 'campaign' });

    await openMenu(page, '活動推播');
    await page.getByRole('button', { name: '新增活動' }).click();
    await page.waitForURL(/\/campaigns\/new$/);
    await page.getByTestId('campaign-name').fill('平日商務優惠');
    await page.getByTestId('campaign-tags').click();
    await option('平日商務客').click();
    await page.keyboard.press('Escape');

    await page.getByTestId('add-message').click();
    await page.getByRole('menuitem', { name: '文字' }).click();
    await page.getByTestId('message-editor').nth(0).getByRole('textbox').fill('{lastName}{firstName} 您好：平日入住享 85 折');
    await page.getByTestId('line-preview').getByText('王小明 您好：平日入住享 85 折').waitFor();

    await page.getByTestId('add-message').click();
    await page.getByRole('menuitem', { name: '按鈕訊息' }).click();
    const buttons = page.getByTestId('message-editor').nth(1);
    await buttons.getByLabel('通知預覽文字').fill('平日商務優惠');
    await buttons.getByLabel('標題').fill('平日商務優惠');
    await buttons.getByLabel('內文').fill('週一至週四入住');
    await buttons.getByLabel('按鈕文字').fill('我有興趣');
    await buttons.getByTestId('action-editor').getByRole('combobox').last().click();
    await option('平日商務客').last().click();
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

    await openMenu(page, '活動推播');
    await page.getByTestId('campaigns-table').getByText('平日商務優惠').waitFor();
    expect(unexpected(watch.errors)).toEqual([]);
    await context.close();
  });
});
