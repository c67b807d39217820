import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { apiCall, chooseOption, DEMO_ADMIN, endJourney, openMenu, pickOption, signIn, startJourney, unexpected, watchPage, type RunningServer } from './harness.ts';

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
  // 「再建立一條規則」 once a rule of it exists (an earlier test of this file may have made one).
  await card.getByRole('button', { name: /^(使用此範本|再建立一條規則)$/ }).click();
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
    let asked = false;
    await page.route('**/api/tags', async (route) => {
      const isCreate = route.request().method() === 'POST';
      if (isCreate) asked = true;
      if (isCreate) await held;
      await route.continue();
      if (isCreate) passed();
    });
    const clickTags = button.getByTestId('action-tags');
    try {
      await clickTags.click();
      await clickTags.getByRole('combobox').fill('平日回流客');
      await pickOption(page.locator('.ant-select-item-option:visible').filter({ hasText: /^新增標籤「平日回流客」$/ }), async () => asked);
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

  it('a template in use says so with a link to its rule; using it again makes 「家庭旅遊推播（2）」, and a name another rule has is refused at its field', async () => {
    const context = await browser.newContext({ locale: 'zh-TW' });
    const page = await context.newPage();
    const watch = watchPage(page);
    await signIn(server, page, DEMO_ADMIN.email, DEMO_ADMIN.password);
    await openMenu(page, '自動化');
    const card = page.getByTestId('automation-template-family_travel');
    await card.getByText('家庭旅遊推播', { exact: true }).waitFor();
    expect(await card.getByText('已在使用：').count()).toBe(0);
    await card.getByRole('button', { name: '使用此範本' }).click();
    await page.getByText('已從範本建立「家庭旅遊推播」').waitFor();
    const firstUrl = page.url();

    await openMenu(page, '自動化');
    await card.getByText('已在使用：').waitFor();
    await card.getByRole('link', { name: '家庭旅遊推播', exact: true }).click();
    await page.waitForURL(firstUrl);
    await openMenu(page, '自動化');
    await card.getByRole('button', { name: '再建立一條規則' }).click();
    await page.getByText('已從範本建立「家庭旅遊推播（2）」').waitFor();
    expect(page.url()).not.toBe(firstUrl);

    // Renamed to the first rule's name: said at the field as it is typed, and not saved.
    const name = page.getByLabel('規則名稱');
    await name.fill('家庭旅遊推播');
    const taken = '已有其他自動化規則使用這個名稱（可能屬於其他館別），請換一個名稱。';
    await page.getByText(taken).waitFor();
    await page.getByRole('button', { name: /儲存/ }).click();
    await page.getByText('請修正標示的欄位。').waitFor();
    // A name taken meanwhile by a colleague (a rule this page has not seen): the server refuses it, at the same field.
    await apiCall(page, 'POST', '/api/automation/rules', { name: '親子週末', trigger: { kind: 'friend_added' }, steps: [{ kind: 'wait', amount: 1, unit: 'days' }] });
    await name.fill('親子週末');
    // (The earlier message leaves with antd's fade.)
    await page.getByText(taken).waitFor({ state: 'hidden' });
    await page.getByRole('button', { name: /儲存/ }).click();
    await page.locator('.ant-form-item-explain-error').filter({ hasText: taken }).waitFor();
    await name.fill('親子週末（台北）');
    await page.getByRole('button', { name: /儲存/ }).click();
    await page.getByText('已儲存「親子週末（台北）」').waitFor();
    expect(unexpected(watch.errors)).toEqual([]);
    await context.close();
  });

  it('a number out of range keeps what was typed and is marked at its field (an hour 30, a wait of 0); the rule saves once they are fixed', async () => {
    const context = await browser.newContext({ locale: 'zh-TW' });
    const page = await context.newPage();
    const watch = watchPage(page);
    await signIn(server, page, DEMO_ADMIN.email, DEMO_ADMIN.password);
    await openMenu(page, '自動化');
    await page.getByRole('button', { name: /新增規則/ }).click();
    await page.waitForURL(/\/automation\/new$/);
    await page.getByLabel('規則名稱').fill('生日早安');
    await chooseOption(page, page.getByLabel('何時進入'), '生日當天');
    const hour = page.getByLabel('時間（點）');
    await hour.fill('30');
    await page.getByLabel('規則名稱').click();
    expect(await hour.inputValue()).toBe('30');
    await page.getByText('請輸入 0 到 23 的整點。').waitFor();

    await page.getByRole('button', { name: /新增步驟/ }).click();
    await page.getByRole('menuitem', { name: '等待' }).click();
    const wait = page.getByTestId('automation-step-1').getByLabel('等待時間');
    await wait.fill('0');
    await hour.click();
    expect(await wait.inputValue()).toBe('0');
    const waitError = '等待時間須為整數，1 小時到 365 天（8760 小時）。';
    await page.getByText(waitError).waitFor();
    // 400 days is no wait either: marked, not made 365.
    await wait.fill('400');
    await hour.click();
    expect(await wait.inputValue()).toBe('400');
    await page.getByText(waitError).waitFor();

    await page.getByRole('button', { name: /儲存/ }).click();
    await page.getByText('請修正標示的欄位。').waitFor();
    expect(page.url()).toMatch(/\/automation\/new$/);

    await hour.fill('9');
    await wait.fill('2');
    await chooseOption(page, page.getByTestId('automation-step-1').getByLabel('單位'), '小時');
    // The step's own button (in its header), not its message's.
    await page.getByTestId('automation-step-0').getByRole('button', { name: '下移' }).first().click();
    await page.getByTestId('automation-step-1').getByLabel('訊息文字').fill('{lastName}{firstName} 生日快樂！');
    await page.getByText('請輸入 0 到 23 的整點。').waitFor({ state: 'hidden' });
    await page.getByRole('button', { name: /儲存/ }).click();
    await page.waitForURL(/\/automation\/[0-9a-f-]{36}$/);
    const id = page.url().split('/').at(-1)!;
    const saved = await apiCall<{ trigger: unknown; steps: Array<{ kind: string; amount?: number; unit?: string }> }>(page, 'GET', `/api/automation/rules/${id}`);
    expect(saved.trigger).toEqual({ kind: 'birthday', hour: 9 });
    expect(saved.steps[0]).toEqual({ kind: 'wait', amount: 2, unit: 'hours' });
    expect(unexpected(watch.errors)).toEqual([]);
    await context.close();
  });

  it('a name of only spaces is said at its field before anything is sent, and each field’s error is tied to its input (aria-invalid, aria-describedby)', async () => {
    const context = await browser.newContext({ locale: 'zh-TW' });
    const page = await context.newPage();
    const watch = watchPage(page);
    await signIn(server, page, DEMO_ADMIN.email, DEMO_ADMIN.password);
    const sent: string[] = [];
    page.on('request', (request) => {
      if (request.method() !== 'GET' && new URL(request.url()).pathname.startsWith('/api/automation')) sent.push(`${request.method()} ${new URL(request.url()).pathname}`);
    });
    await openMenu(page, '自動化');
    await page.getByRole('button', { name: /新增規則/ }).click();
    await page.waitForURL(/\/automation\/new$/);
    const name = page.getByLabel('規則名稱');
    await name.waitFor();
    expect(await page.locator('.ant-form-item-explain-error').count()).toBe(0);
    await name.fill('  \u200B ');
    await page.locator('.ant-form-item-explain-error').filter({ hasText: '此欄位為必填。' }).waitFor();
    expect(await name.getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator(`[id="${await name.getAttribute('aria-describedby')}"]`).textContent()).toBe('此欄位為必填。');
    await page.getByRole('button', { name: /儲存/ }).click();
    await page.getByText('請修正標示的欄位。').waitFor();
    expect(sent).toEqual([]);

    // A number field found wrong as it is typed, and a name another rule has in another case, the same way.
    await chooseOption(page, page.getByLabel('何時進入'), '生日當天');
    const hour = page.getByLabel('時間（點）');
    await hour.fill('30');
    await page.getByText('請輸入 0 到 23 的整點。').waitFor();
    expect(await hour.getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator(`[id="${await hour.getAttribute('aria-describedby')}"]`).textContent()).toBe('請輸入 0 到 23 的整點。');
    await apiCall(page, 'POST', '/api/automation/rules', { name: 'Birthday Morning', trigger: { kind: 'friend_added' }, steps: [{ kind: 'wait', amount: 1, unit: 'days' }] });
    await hour.fill('9');
    await page.getByTestId('automation-step-0').getByLabel('訊息文字').fill('生日快樂！');
    await name.fill('birthday morning');
    // Not yet seen by this page: the server refuses it. Seen, the field names the rule that has it in another case.
    const taken = '已有其他自動化規則使用這個名稱（可能屬於其他館別），請換一個名稱。';
    const takenAs = '已有規則「Birthday Morning」使用這個名稱（名稱比對時不分大小寫與全形半形、不計看不見的字元），請換一個名稱。';
    await page.getByRole('button', { name: /儲存/ }).click();
    await page.locator('.ant-form-item-explain-error').filter({ hasText: new RegExp(`^(${taken}|${takenAs.replace(/[()（）]/g, '.')})$`) }).first().waitFor();
    expect(await name.getAttribute('aria-invalid')).toBe('true');
    expect(await hour.getAttribute('aria-invalid')).toBeNull();
    // (Leaving the unsaved form: the browser asks first.)
    page.once('dialog', (dialog) => void dialog.accept());
    await page.reload();
    await name.fill('BIRTHDAY MORNING');
    await page.locator('.ant-form-item-explain-error').filter({ hasText: 'Birthday Morning' }).waitFor();
    expect(await page.locator(`[id="${await name.getAttribute('aria-describedby')}"]`).textContent()).toBe(takenAs);
    expect(unexpected(watch.errors)).toEqual([]);
    await context.close();
  });

  it('every field of the editor is named by its label, and each automation page has one <main> landmark', async () => {
    const { context, page, watch } = await ruleFromTemplate('商務住宿優惠');
    await page.getByTestId('automation-step-4').getByText('5. 發送訊息').waitFor();
    expect(await page.locator('main').count()).toBe(1);
    for (const label of ['規則名稱', '館別', '何時進入']) expect(await page.getByLabel(label, { exact: true }).count(), label).toBe(1);
    expect(await page.getByTestId('automation-step-0').getByLabel('等待時間').count()).toBe(1);
    expect(await page.getByTestId('automation-step-0').getByLabel('單位').count()).toBe(1);
    expect(await page.getByTestId('automation-step-3').getByLabel('點擊哪一個發送步驟的按鈕').count()).toBe(1);
    expect(await unnamedFields(page)).toEqual([]);
    // A rule whose trigger has days and an hour, and a tag step.
    await chooseOption(page, page.getByLabel('何時進入'), '退房 N 天後');
    for (const label of ['天數', '時間（點）']) expect(await page.getByLabel(label, { exact: true }).count(), label).toBe(1);
    await page.getByRole('button', { name: /新增步驟/ }).click();
    await page.getByRole('menuitem', { name: '加上標籤' }).click();
    expect(await page.getByTestId('automation-step-5').getByLabel('標籤').count()).toBe(1);
    expect(await unnamedFields(page)).toEqual([]);
    // A rule whose condition is built here (家庭旅遊推播: tags and stays) names the builder's fields too. (Leaving the
    // changed editor asks first.)
    await openMenu(page, '自動化');
    await page.getByRole('button', { name: '離開', exact: true }).click();
    await page.getByTestId('automation-template-family_travel').getByRole('button', { name: /^(使用此範本|再建立一條規則)$/ }).click();
    await page.waitForURL(/\/automation\/[0-9a-f-]{36}$/);
    await page.getByTestId('automation-step-0').waitFor();
    expect(await unnamedFields(page)).toEqual([]);
    expect(await page.locator('main').count()).toBe(1);
    await openMenu(page, '自動化');
    await page.getByText('從範本開始').waitFor();
    expect(await page.locator('main').count()).toBe(1);
    expect(unexpected(watch.errors)).toEqual([]);
    await context.close();
  });

  it('in English: the templates are titled in English, say the rule keeps the hotel’s name, and the editor’s field errors are in English', async () => {
    const context = await browser.newContext({ locale: 'zh-TW' });
    const page = await context.newPage();
    const watch = watchPage(page);
    await signIn(server, page, DEMO_ADMIN.email, DEMO_ADMIN.password);
    try {
      await page.getByRole('combobox', { name: '介面語言' }).click();
      await page.getByRole('option', { name: 'English' }).click();
      await page.getByRole('navigation', { name: 'Main menu' }).getByText('Members').waitFor();
      await openMenu(page, 'Automation');
      const titles = await Promise.all(['business_stay', 'family_travel', 'vip_repeat_stay'].map((key) => page.getByTestId(`automation-template-${key}`).locator('.ant-card-head-title').textContent()));
      expect(titles.map((title) => title?.trim())).toEqual(['Business stay offer', 'Family trip promotion', 'VIP repeat-stay offer']);
      await page.getByTestId('automation-template-business_stay').getByText('The rule is named “商務住宿優惠” in the hotel’s language').waitFor();
      await page.getByTestId('automation-template-business_stay').getByText('Already in use:').waitFor();
      await page.getByRole('button', { name: /New rule/ }).click();
      await page.getByLabel('Rule name').fill('商務住宿優惠');
      await page.getByText('Another automation rule already has this name (perhaps at another property); choose another name.').waitFor();
      await chooseOption(page, page.getByLabel('When guests enter'), 'On the birthday');
      await page.getByLabel('Hour', { exact: true }).fill('24');
      await page.getByText('Enter a whole hour from 0 to 23.').waitFor();
      expect(await page.getByLabel('Hour', { exact: true }).inputValue()).toBe('24');
    } finally {
      await apiCall(page, 'PATCH', '/api/auth/me', { locale: 'zh-TW' });
    }
    expect(unexpected(watch.errors)).toEqual([]);
    await context.close();
  });
});


/** Inputs and comboboxes on the page that no label, aria-label or aria-labelledby names (getByLabel cannot find them). */
async function unnamedFields(page: Page): Promise<string[]> {
  const fields = page.locator('input:visible, textarea:visible, [role="combobox"]:visible');
  // The editor has fields to look at (a selector that matched nothing would prove nothing).
  expect(await fields.count()).toBeGreaterThan(5);
  return fields.evaluateAll((elements) =>
    elements
      .filter((element) => {
        // (No DOM types in the test project: the input as the fields read here.)
        const input = element as unknown as { type?: string; labels?: { length: number } | null; getAttribute(name: string): string | null };
        if (input.type === 'radio' || input.type === 'checkbox' || input.type === 'file' || input.type === 'hidden') return false;
        const labelled = (input.labels?.length ?? 0) > 0 || Boolean(input.getAttribute('aria-label')) || Boolean(input.getAttribute('aria-labelledby'));
        return !labelled;
      })
      .map((element) => element.outerHTML.slice(0, 160)),
  );
}
