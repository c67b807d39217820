import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ADMIN, endJourney, openMenu, signIn, startJourney, unexpected, watchPage, type RunningServer } from './harness.ts';

let server: RunningServer;
let browser: Browser;

beforeAll(async () => ({ server, browser } = await startJourney()));
afterAll(() => endJourney({ server, browser }));

/** Signed in as the demo administrator, a rule made from the template named `template` and opened in its editor. */
async function ruleFromTemplate(template: string) {
  const context = await browser.newContext({ locale: 'zh-TW' });
  const page = await context.newPage();
  const watch = watchPage(page);
  await signIn(server, page, DEMO_ADMIN.email, DEMO_ADMIN.password);
  await openMenu(page, '自動化');
  await page.getByText('從範本開始').waitFor();
  const card = page.locator('.ant-card').filter({ has: page.getByText(template, { exact: true }) }).last();
  await card.getByRole('button', { name: '使用此範本' }).click();
  await page.waitForURL(/\/automation\/[0-9a-f-]{36}$/);
  return { context, page, watch };
}

describe('自動化 in the browser', () => {
  it('a marketer makes VIP 續住優惠 from its template, reads its steps and switches it on', async () => {
    const { context, page, watch } = await ruleFromTemplate('VIP 續住優惠');
    await page.getByText('已從範本建立「VIP 續住優惠」').waitFor();
    await page.getByTestId('automation-step-0').getByText('1. 發送訊息').waitFor();
    // The VIP tag the template made is named in the condition, not shown as an id.
    await page.getByText('VIP', { exact: true }).first().waitFor();
    expect(await page.getByTestId('line-preview').first().textContent()).toContain('VIP 貴賓下次入住享 8 折續住優惠');
    if (process.env.AUTOMATION_SCREENSHOTS) await page.screenshot({ path: `${process.env.AUTOMATION_SCREENSHOTS}/automation-editor.png`, fullPage: true });
    await page.getByRole('switch', { name: '啟用「VIP 續住優惠」' }).click();
    await page.getByText('已啟用「VIP 續住優惠」').waitFor();
    await page.getByText('規則啟用中，無法修改').waitFor();
    await openMenu(page, '自動化');
    const row = page.getByTestId('automation-table').getByRole('row').filter({ hasText: 'VIP 續住優惠' });
    await row.getByText('退房 3 天後（10 點）').waitFor();
    // The list read before the switch is refreshed on return.
    await row.locator('[role="switch"][aria-checked="true"]').waitFor();
    if (process.env.AUTOMATION_SCREENSHOTS) await page.screenshot({ path: `${process.env.AUTOMATION_SCREENSHOTS}/automation-list.png`, fullPage: true });
    expect(unexpected(watch.errors)).toEqual([]);
    await context.close();
  });

  it('a rule with two send steps shows every input once: no id twice on the page (商務住宿優惠)', async () => {
    const { context, page, watch } = await ruleFromTemplate('商務住宿優惠');
    await page.getByTestId('automation-step-4').getByText('5. 發送訊息').waitFor();
    const ids = await page.locator('[id]').evaluateAll((elements) => elements.map((element) => element.id));
    const duplicates = [...new Set(ids.filter((id, i) => ids.indexOf(id) !== i))];
    expect(duplicates).toEqual([]);
    // Each send step's message text is its own field, named by its label.
    expect(await page.getByTestId('automation-step-1').getByLabel('內文').count()).toBe(1);
    expect(await page.getByTestId('automation-step-4').getByLabel('訊息文字').count()).toBe(1);
    expect(unexpected(watch.errors)).toEqual([]);
    await context.close();
  });

  it('a tag made on a step\'s button while staff keep typing keeps both: the new tag and what was typed meanwhile (商務住宿優惠)', async () => {
    const { context, page, watch } = await ruleFromTemplate('商務住宿優惠');
    const step = page.getByTestId('automation-step-1');
    await step.getByText('2. 發送訊息').waitFor();
    const button = step.getByTestId('action-editor').first();
    // The server is slow to make the tag: its answer is held until the label has been changed.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    // The handler's own end is awaited before unrouting: removing a route while its handler waits lets Playwright
    // continue the request itself, and the handler's later continue() then fails as 'already handled'.
    let passed!: () => void;
    const passedOn = new Promise<void>((resolve) => (passed = resolve));
    await page.route('**/api/tags', async (route) => {
      const isCreate = route.request().method() === 'POST';
      if (isCreate) await held;
      await route.continue();
      if (isCreate) passed();
    });
    const clickTags = button.getByTestId('action-tags');
    try {
      await clickTags.click();
      await clickTags.getByRole('combobox').fill('平日回流客');
      await page.locator('.ant-select-item-option:visible').filter({ hasText: /^新增標籤「平日回流客」$/ }).click();
      await page.keyboard.press('Escape');
      await button.getByLabel('按鈕文字').fill('馬上預訂');
    } finally {
      // Released however the steps above end: a failure must not leave the request held until the test times out.
      release();
    }
    await passedOn;
    await page.unroute('**/api/tags');
    await page.getByText('已新增標籤「平日回流客」，點擊此按鈕的會員會被加上。').waitFor();
    await clickTags.getByText('平日回流客').waitFor();
    expect(await button.getByLabel('按鈕文字').inputValue()).toBe('馬上預訂');
    await page.getByTestId('line-preview').nth(0).getByText('馬上預訂').waitFor();
    expect(unexpected(watch.errors)).toEqual([]);
    await context.close();
  });
});
