import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ADMIN, endJourney, mailboxLink, openMenu, signIn, startJourney, unexpected, watchPage, type RunningServer } from './harness.ts';

const ADMIN = DEMO_ADMIN;
const MARKETER = { email: 'mei.marketing@demo-hotels.example', name: '行銷小美', password: 'marketing passphrase 2026' };

let server: RunningServer;
let browser: Browser;

beforeAll(async () => ({ server, browser } = await startJourney()));
afterAll(() => endJourney({ server, browser }));



describe('accounts journey in the browser', () => {
  it('an administrator signs in with password + emailed code and invites a 行銷 sub-account', async () => {
    const context = await browser.newContext({ locale: 'zh-TW' });
    const page = await context.newPage();
    const watch = watchPage(page);
    await signIn(server, page, ADMIN.email, ADMIN.password);
    expect(await page.getByTestId('tenant-name').textContent()).toContain('山嵐飯店集團');

    await openMenu(page, '帳號權限');
    await page.getByRole('button', { name: '新增帳號' }).click();
    const dialog = page.getByRole('dialog', { name: '新增帳號' });
    await dialog.getByLabel('電子郵件').fill(MARKETER.email);
    await dialog.getByLabel('姓名').fill(MARKETER.name);
    await dialog.getByLabel('角色').click();
    await page.getByTitle('行銷', { exact: true }).click();
    await dialog.getByRole('button', { name: '建立並寄送邀請' }).click();
    await page.getByText(`邀請信已寄到 ${MARKETER.email}`).waitFor();
    await page.getByRole('cell', { name: MARKETER.email }).waitFor();
    expect(unexpected(watch.errors)).toEqual([]);
    await context.close();
  });

  it('the invited marketer sets a password, signs in, and is refused the accounts page', async () => {
    const context = await browser.newContext({ locale: 'zh-TW' });
    const page = await context.newPage();
    const watch = watchPage(page);
    await page.goto(await mailboxLink(server, MARKETER.email));
    await page.getByLabel('新密碼', { exact: true }).fill(MARKETER.password);
    await page.getByLabel('確認新密碼').fill(MARKETER.password);
    await page.getByRole('button', { name: '設定密碼' }).click();
    await page.waitForURL(/\/login/);

    await signIn(server, page, MARKETER.email, MARKETER.password);
    await page.waitForURL(/\/members$/);
    // The UI hides what the account cannot do…
    await expect(page.getByRole('menuitem', { name: '帳號權限' }).count()).resolves.toBe(0);
    // …and the page refuses a direct visit (a bookmarked or pasted link), because the server refuses the data.
    await page.goto(`${server.url}/accounts`);
    await page.getByTestId('forbidden-result').waitFor();
    expect(await page.getByTestId('forbidden-result').textContent()).toContain('沒有使用權限');
    const api = await page.evaluate(async () => (await fetch('/api/accounts')).status);
    expect(api).toBe(403);
    expect(unexpected(watch.errors)).toEqual([]);
    await context.close();
  });

  it('an account that manages accounts sees which accounts, roles and permissions it cannot change or grant, and that its own role is not its to edit', async () => {
    const admin = await browser.newContext({ locale: 'zh-TW' });
    const adminPage = await admin.newPage();
    await signIn(server, adminPage, ADMIN.email, ADMIN.password);
    const email = 'hr.manager@demo-hotels.example';
    await adminPage.evaluate(async (email) => {
      const { csrfToken } = (await (await fetch('/api/auth/me')).json()) as { csrfToken: string };
      const post = async (path: string, body: unknown) =>
        (await (await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': csrfToken }, body: JSON.stringify(body) })).json()) as { id: string };
      const role = await post('/api/roles', { name: '人資帳號管理', description: '', permissions: ['accounts.manage', 'members.read'] });
      await post('/api/accounts', { email, displayName: '人資阿明', roleId: role.id, allProperties: true, propertyIds: [] });
      await post('/api/roles', { name: '櫃台主管', description: '', permissions: ['members.read', 'members.edit'] });
    }, email);
    await admin.close();

    const context = await browser.newContext({ locale: 'zh-TW' });
    const page = await context.newPage();
    const watch = watchPage(page);
    await page.goto(await mailboxLink(server, email));
    await page.getByLabel('新密碼', { exact: true }).fill('hr manager passphrase 2026');
    await page.getByLabel('確認新密碼').fill('hr manager passphrase 2026');
    await page.getByRole('button', { name: '設定密碼' }).click();
    await page.waitForURL(/\/login/);
    await signIn(server, page, email, 'hr manager passphrase 2026');
    await openMenu(page, '帳號權限');

    // The administrator's row offers nothing it would be refused; roles it cannot hand out are greyed and say so.
    const adminRow = page.getByRole('row').filter({ hasText: ADMIN.email });
    await adminRow.getByTestId('account-not-changeable').waitFor();
    expect(await adminRow.getByRole('button').count()).toBe(0);
    await page.getByRole('button', { name: '新增帳號' }).click();
    await page.getByRole('dialog', { name: '新增帳號' }).getByLabel('角色').click();
    // (antd lists options as .ant-select-item-option; its aria listbox holds only the ones near the active one.)
    const option = (name: string) => page.locator('.ant-select-item-option').filter({ hasText: new RegExp(`^${name}$`) });
    await option('管理員（您無法指派）').waitFor();
    expect(await option('管理員（您無法指派）').getAttribute('aria-disabled')).toBe('true');
    expect(await option('行銷（您無法指派）').getAttribute('aria-disabled')).toBe('true');
    expect(await option('人資帳號管理').getAttribute('aria-disabled')).toBe('false');
    await page.keyboard.press('Escape');
    await page.getByRole('dialog', { name: '新增帳號' }).getByRole('button', { name: /^取\s?消$/ }).click();

    await page.getByRole('tab', { name: '角色' }).click();

    // Its own role is marked as such, with nothing to edit or delete (the server would refuse).
    const own = page.getByTestId('role-card').filter({ hasText: '人資帳號管理' });
    await own.getByTestId('role-own').waitFor();
    expect(await own.getByRole('button', { name: /編輯角色/ }).count()).toBe(0);
    // So is a role that holds a permission it lacks (櫃台主管 may edit members).
    const beyond = page.getByTestId('role-card').filter({ hasText: '櫃台主管' });
    await beyond.getByTestId('role-beyond').waitFor();
    expect(await beyond.getByRole('button', { name: /編輯角色|刪除角色/ }).count()).toBe(0);

    // A new role: what it holds can be ticked; what it does not hold cannot, and says why.
    await page.getByRole('button', { name: '新增角色' }).click();
    const dialog = page.getByRole('dialog', { name: '新增角色' });
    await expect(dialog.getByRole('checkbox', { name: /查看會員/ }).isEnabled()).resolves.toBe(true);
    await expect(dialog.getByRole('checkbox', { name: /檢視完整個資.*您的帳號沒有此權限，因此不能授予或移除。/ }).isDisabled()).resolves.toBe(true);
    expect(await dialog.getByRole('checkbox', { name: /查看會員.*您的帳號沒有此權限/ }).count()).toBe(0);
    // A name of invisible characters only is no name, and a name another role has is refused: each said at the name
    // field, brought into view with the field focused (browser review: with the permissions scrolled to, the refusal
    // appeared out of sight and 儲存 seemed to do nothing).
    const name = dialog.getByLabel('角色名稱');
    const shownWhole = async (text: string) => {
      const error = dialog.locator('.ant-form-item-explain-error').filter({ hasText: text });
      await error.waitFor();
      await expect.poll(async () => {
        const box = await error.boundingBox();
        return box !== null && box.y >= 0 && box.y + box.height <= page.viewportSize()!.height;
      }).toBe(true);
      await expect.poll(() => name.evaluate((input) => input === (input as unknown as { ownerDocument: { activeElement: unknown } }).ownerDocument.activeElement)).toBe(true);
    };
    await page.setViewportSize({ width: 1366, height: 640 });
    await name.fill('\u200B\u200E');
    await dialog.getByRole('checkbox', { name: /查看會員/ }).check();
    await dialog.getByRole('button', { name: /儲\s?存/ }).click();
    await shownWhole('此欄位為必填。');
    await name.fill('櫃台主管');
    await dialog.getByRole('checkbox', { name: /查看會員/ }).scrollIntoViewIfNeeded();
    await dialog.getByRole('button', { name: /儲\s?存/ }).click();
    await shownWhole('角色名稱已存在。');
    await name.fill('會員查詢');
    await dialog.getByRole('button', { name: /儲\s?存/ }).click();
    await page.getByText('已儲存角色「會員查詢」。').waitFor();
    expect(unexpected(watch.errors)).toEqual([]);
    await context.close();
  });
});
