import fs from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiCall, chooseFromDropdown, DEMO_ADMIN, endJourney, openMenu, signIn, startJourney, unexpected, watchPage, type RunningServer } from './harness.ts';

let server: RunningServer;
let browser: Browser;

beforeAll(async () => ({ server, browser } = await startJourney()));
afterAll(() => endJourney({ server, browser }));



describe('members journey in the browser (zh-TW)', () => {
  it('staff create a member with field errors, tag it, find it with a segment, import a CSV with one bad row, and export', async () => {
    const context = await browser.newContext({ locale: 'zh-TW', viewport: { width: 1440, height: 900 }, acceptDownloads: true });
    const page = await context.newPage();
    const watch = watchPage(page);
    await signIn(server, page, DEMO_ADMIN.email, DEMO_ADMIN.password);
    // The day starts on the member list, the first page the administrator may use (not a "coming soon" page).
    await page.waitForURL(/\/members$/);
    await page.getByTestId('members-table').waitFor();

    // A tag to work with.
    await openMenu(page, '標籤');
    await page.getByRole('button', { name: '新增標籤' }).click();
    await page.getByRole('dialog').getByLabel('名稱').fill('長住客');
    await page.getByTestId('tag-form-submit').click();
    await page.getByText('已新增標籤「長住客」。').waitFor();

    // Create a member: the server's field errors show in Traditional Chinese, then a valid entry is saved.
    await openMenu(page, '會員');
    await page.getByTestId('members-create').click();
    const dialog = page.getByRole('dialog', { name: '新增會員' });
    await dialog.getByLabel('姓', { exact: true }).fill('周');
    await dialog.getByLabel('名', { exact: true }).fill('子瑜');
    await dialog.getByLabel('手機').fill('0912-34');
    await dialog.getByLabel('證件號碼').fill('A123456788');
    await page.getByTestId('member-form-submit').click();
    await dialog.getByText('身分證字號檢查碼不正確，請再確認號碼。').waitFor();
    await dialog.getByLabel('手機').fill('０９１２－７７７－８８８');
    await dialog.getByLabel('證件號碼').fill('A123456789');
    await page.getByTestId('member-form-submit').click();
    await page.getByTestId('member-no').waitFor();
    const memberNo = (await page.getByTestId('member-no').textContent())!.match(/M\d{7}/)![0];

    // Tag the member on its page; the tag shows with where it came from.
    await page.getByRole('combobox', { name: '要加上的標籤' }).fill('長住客');
    await page.getByRole('combobox', { name: '要加上的標籤' }).press('Enter');
    await page.getByRole('button', { name: '加上' }).click();
    await page.getByTestId('member-tags').getByText('長住客').waitFor();

    // A stay with its party (as the PMS sync brings it): the stays card says 大人 and 小孩.
    const memberId = new URL(page.url()).pathname.split('/').at(-1)!;
    const properties = await apiCall<{ data: Array<{ id: string }> }>(page, 'GET', '/api/properties');
    await apiCall(page, 'POST', `/api/members/${memberId}/stays`, { propertyId: properties.data[0]!.id, checkIn: '2026-10-10', checkOut: '2026-10-12', roomType: '家庭房', adults: 2, children: 1 });
    await page.reload();
    await page.getByTestId('stay-party').getByText('小孩 1').waitFor();
    expect(await page.getByTestId('stay-party').textContent()).toBe('大人 2小孩 1');

    // Find it: search by the mobile typed another way.
    await openMenu(page, '會員');
    await page.getByRole('searchbox').fill('+886 912 777 888');
    await page.getByRole('searchbox').press('Enter');
    await page.getByTestId('members-table').getByText(memberNo).waitFor();

    // A segment with a live count.
    await openMenu(page, '分眾');
    await page.getByRole('button', { name: '新增分眾' }).click();
    await chooseFromDropdown(page, page.getByTestId('add-condition-root'), '優惠通知同意');
    await page.locator('[data-testid=live-count][aria-busy=false] [data-testid=live-count-value]').waitFor();
    expect(await page.getByTestId('live-count-value').textContent()).toMatch(/\d/);
    // Guests who stayed with children (at least one), counted by the server as the conditions change.
    await chooseFromDropdown(page, page.getByTestId('add-condition-root'), '住房紀錄');
    await page.getByRole('combobox', { name: '小孩同行' }).click();
    // antd lists options as .ant-select-item-option; its aria listbox holds only the ones near the active one.
    const counted = page.waitForResponse((r) => r.url().endsWith('/api/members/count') && (r.request().postData() ?? '').includes('"children":"with"'));
    await page.locator('.ant-select-item-option:visible').filter({ hasText: /^有小孩同行$/ }).click();
    expect((await counted).status()).toBe(200);
    const atLeastTwo = page.waitForResponse((r) => r.url().endsWith('/api/members/count') && (r.request().postData() ?? '').includes('"minChildren":2'));
    await page.getByRole('spinbutton', { name: '至少幾位小孩' }).fill('2');
    expect((await atLeastTwo).status()).toBe(200);
    await page.locator('[data-testid=live-count][aria-busy=false] [data-testid=live-count-value]').waitFor();
    expect(await page.getByTestId('live-count-value').textContent()).toMatch(/\d/);

    // Import a CSV in which one row is bad: the good rows go in, the bad one is reported with its row number.
    await openMenu(page, '會員');
    await page.getByTestId('members-import').click();
    // The CSV template as downloaded: its example row is left out, so the dry run says there is nothing to import.
    const [template] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'CSV 範本' }).click()]);
    await page.locator('input[type=file]').setInputFiles((await template.path())!);
    await page.getByTestId('import-mapping').waitFor();
    await page.getByRole('button', { name: '試算' }).click();
    await page.getByTestId('import-no-rows').getByText('檔案中沒有可匯入的資料列（範本的範例列不會匯入）', { exact: false }).waitFor();
    expect(await page.getByText('沒有錯誤，所有資料列都可以匯入。').count()).toBe(0);
    await page.getByRole('button', { name: '重新上傳' }).click();
    const csv = ['姓,名,手機,身分證字號', '林,一,0911000001,B120000008', '陳,二,not-a-phone,', '王,三,0911000003,'].join('\n');
    await page.locator('input[type=file]').setInputFiles({ name: 'guests.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByTestId('import-mapping').waitFor();
    await page.getByRole('button', { name: '試算' }).click();
    await page.getByTestId('import-row-errors').getByText('3').first().waitFor();
    await page.getByRole('button', { name: /略過錯誤，匯入 2 列/ }).click();
    await page.getByRole('button', { name: '開始匯入' }).click();
    await page.getByTestId('import-done').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('import-result-counts').textContent()).toContain('2');

    // Export the list to CSV (Excel-friendly UTF-8). The administrator may see personal data unmasked, so the file has
    // it — the phone number as it is, no apostrophe (a + followed by digits runs nothing) — and the export is in the audit log.
    await openMenu(page, '會員');
    await page.getByTestId('members-export').click();
    await page.getByTestId('export-count').waitFor();
    await page.getByRole('radio', { name: /CSV/ }).check();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-submit').click()]);
    const content = fs.readFileSync((await download.path())!, 'utf8');
    expect(content.charCodeAt(0)).toBe(0xfeff);
    expect(content).toContain(memberNo);
    expect(content).toContain(',+886912777888,');
    expect(content).not.toContain("'+886912777888");
    const audit = await page.evaluate(async () => (await (await fetch('/api/audit-log?action=member.exported')).json()) as { data: Array<{ details: { unmasked?: boolean } }> });
    expect(audit.data[0]?.details.unmasked).toBe(true);
    // In 稽核紀錄 the export names what it covered (no single member, so no "會員 …" link to filter by).
    await openMenu(page, '稽核紀錄');
    const exported = page.getByRole('row').filter({ hasText: 'member.exported' }).first();
    const target = exported.getByTestId('audit-target-many');
    await target.waitFor();
    expect(await target.textContent()).toMatch(/^會員（\d+ 筆）$/);
    expect(await exported.textContent()).not.toContain('…');
    expect(unexpected(watch.errors)).toEqual([]);
    await context.close();
  });

  it('staff pick members in the list by mouse and by keyboard and tag them together; the rows show the tag', async () => {
    const context = await browser.newContext({ locale: 'zh-TW', viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    const watch = watchPage(page);
    await signIn(server, page, DEMO_ADMIN.email, DEMO_ADMIN.password);
    await apiCall(page, 'POST', '/api/tags', { name: '長住客', kind: 'basic', color: '#2563eb' });
    for (const [firstName, mobile] of [['一', '0922000001'], ['二', '0922000002'], ['三', '0922000003']]) {
      await apiCall(page, 'POST', '/api/members', { lastName: '簡', firstName, mobile });
    }

    await openMenu(page, '會員');
    await page.getByRole('searchbox').fill('簡');
    await page.getByRole('searchbox').press('Enter');
    const table = page.getByTestId('members-table');
    await table.getByRole('link', { name: /^簡\s?三$/ }).waitFor();
    await table.getByRole('checkbox', { name: /^選取 簡\s?一$/ }).click();
    await table.getByRole('checkbox', { name: /^選取 簡\s?三$/ }).focus();
    await page.keyboard.press('Space');
    await page.getByText('已選取 2 位').waitFor();
    expect(await table.getByRole('checkbox', { name: /^選取 簡\s?二$/ }).isChecked()).toBe(false);

    await page.getByRole('button', { name: '加上標籤' }).click();
    const dialog = page.getByRole('dialog', { name: '為選取的會員加上／移除標籤' });
    await dialog.getByRole('combobox', { name: '標籤' }).fill('長住客');
    await dialog.getByRole('combobox', { name: '標籤' }).press('Enter');
    await dialog.getByRole('button', { name: '加到 2 位會員' }).click();
    await page.getByText('已為 2 位會員加上「長住客」。').waitFor();
    const rowOf = (name: RegExp) => table.getByRole('row').filter({ has: page.getByRole('link', { name }) });
    await rowOf(/^簡\s?一$/).getByText('長住客').waitFor();
    await rowOf(/^簡\s?三$/).getByText('長住客').waitFor();
    expect(await rowOf(/^簡\s?二$/).getByText('長住客').count()).toBe(0);
    expect(unexpected(watch.errors)).toEqual([]);
    await context.close();
  });

  it('shift+click in the list fills the rows between the last one checked and a checked row, as antd\'s table did; the page\'s box selects the page', async () => {
    const context = await browser.newContext({ locale: 'zh-TW', viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    const watch = watchPage(page);
    await signIn(server, page, DEMO_ADMIN.email, DEMO_ADMIN.password);
    for (const [firstName, mobile] of [['甲', '0933000001'], ['乙', '0933000002'], ['丙', '0933000003'], ['丁', '0933000004']]) {
      await apiCall(page, 'POST', '/api/members', { lastName: '邵', firstName, mobile });
    }

    await openMenu(page, '會員');
    await page.getByRole('searchbox').fill('邵');
    await page.getByRole('searchbox').press('Enter');
    const table = page.getByTestId('members-table');
    const boxes = table.getByRole('checkbox', { name: /^選取 邵/ });
    await table.getByRole('link', { name: /^邵\s?丁$/ }).waitFor();
    await expect.poll(() => boxes.count()).toBe(4);
    const checked = async () => {
      const states: boolean[] = [];
      for (let i = 0; i < 4; i += 1) states.push(await boxes.nth(i).isChecked());
      return states;
    };

    // The first and the third row, then shift+click the first (already checked): the second is filled in, nothing is
    // cleared (the rewritten list cleared all three, as if the first had been unchecked).
    await boxes.nth(0).click();
    await boxes.nth(2).click();
    await boxes.nth(0).click({ modifiers: ['Shift'] });
    await page.getByText('已選取 3 位').waitFor();
    expect(await checked()).toEqual([true, true, true, false]);
    // A range that is all checked is cleared by the next shift+click over it.
    await boxes.nth(0).click({ modifiers: ['Shift'] });
    await expect.poll(checked).toEqual([false, false, false, false]);
    // From an unchecked row to a checked one: the range is checked.
    await boxes.nth(3).click();
    await boxes.nth(1).click();
    await boxes.nth(3).click({ modifiers: ['Shift'] });
    await page.getByText('已選取 3 位').waitFor();
    expect(await checked()).toEqual([false, true, true, true]);
    // The box that selects the page is named in the page's language (it said "Select all" in English on a Chinese page).
    await table.getByRole('checkbox', { name: '選取本頁全部會員', exact: true }).click();
    await page.getByText('已選取 4 位').waitFor();
    expect(await checked()).toEqual([true, true, true, true]);
    await table.getByRole('checkbox', { name: '選取本頁全部會員', exact: true }).click();
    await expect.poll(checked).toEqual([false, false, false, false]);
    expect(unexpected(watch.errors)).toEqual([]);
    await context.close();
  });

  it('a typed /members/new opens the create form; a member address that names no member says so', async () => {
    const context = await browser.newContext({ locale: 'zh-TW', viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    const watch = watchPage(page);
    await signIn(server, page, DEMO_ADMIN.email, DEMO_ADMIN.password);

    await page.goto(`${server.url}/members/new`);
    const dialog = page.getByRole('dialog', { name: '新增會員' });
    await dialog.getByLabel('姓', { exact: true }).waitFor();
    expect(await page.getByText('無法載入資料').count()).toBe(0);
    await dialog.getByRole('button', { name: /^取\s?消$/ }).click();
    await page.waitForURL(`${server.url}/members`);
    await page.getByTestId('members-table').waitFor();

    await page.goto(`${server.url}/members/not-a-member`);
    await page.getByText('找不到此會員').waitFor();
    expect(await page.getByText('無法載入資料').count()).toBe(0);
    expect(unexpected(watch.errors)).toEqual([]);
    await context.close();
  });
});
