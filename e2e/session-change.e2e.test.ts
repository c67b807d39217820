import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiCall, DEMO_ADMIN, endJourney, mailboxLink, openMenu, signIn, signInHere, startJourney, unexpected, watchPage, type RunningServer } from './harness.ts';

let server: RunningServer;
let browser: Browser;

beforeAll(async () => ({ server, browser } = await startJourney()));
afterAll(() => endJourney({ server, browser }));

const FRONT_DESK = { email: 'yu.frontdesk@demo-hotels.example', name: '櫃台小瑜', password: 'front desk passphrase 2026' };

describe('two tabs of one browser (zh-TW)', () => {
  it('a tab whose session became another account’s says so, sends nothing of its form, and reloads into that account', async () => {
    const context = await browser.newContext({ locale: 'zh-TW', viewport: { width: 1440, height: 900 } });
    const first = await context.newPage();
    const firstWatch = watchPage(first);
    await signIn(server, first, DEMO_ADMIN.email, DEMO_ADMIN.password);

    // A second account of the hotel, its password set elsewhere (another browser), so this browser's cookie is untouched.
    const roles = await apiCall<{ data: Array<{ id: string; name: string }> }>(first, 'GET', '/api/roles');
    const role = roles.data.find((r) => r.name === '行銷') ?? roles.data[0]!;
    await apiCall(first, 'POST', '/api/accounts', { email: FRONT_DESK.email, displayName: FRONT_DESK.name, roleId: role.id, allProperties: true, propertyIds: [] });
    const elsewhere = await browser.newContext({ locale: 'zh-TW' });
    const invite = await elsewhere.newPage();
    await invite.goto(await mailboxLink(server, FRONT_DESK.email));
    await invite.getByLabel('新密碼', { exact: true }).fill(FRONT_DESK.password);
    await invite.getByLabel('確認新密碼').fill(FRONT_DESK.password);
    await invite.getByRole('button', { name: '設定密碼' }).click();
    await invite.waitForURL(/\/login/);
    await elsewhere.close();

    // The administrator starts a member in the first tab and leaves it half done.
    await openMenu(first, '會員');
    await first.getByTestId('members-create').click();
    const form = first.getByRole('dialog', { name: '新增會員' });
    await form.getByLabel('姓', { exact: true }).fill('林');
    await form.getByLabel('名', { exact: true }).fill('美玲');
    const sentFromFirst: string[] = [];
    first.on('request', (request) => {
      if (request.method() !== 'GET') sentFromFirst.push(`${request.method()} ${new URL(request.url()).pathname}`);
    });

    // In a second tab of the same browser, they sign out and the front desk signs in: the cookie is now theirs.
    const second = await context.newPage();
    await second.goto(`${server.url}/`);
    await second.getByTestId('user-menu').click();
    await second.getByRole('menuitem', { name: '登出' }).click();
    await second.waitForURL(/\/login/);
    await signInHere(server, second, FRONT_DESK.email, FRONT_DESK.password);

    // The first tab says so at once, without being touched, and cannot be dismissed back into use.
    const notice = first.getByRole('dialog', { name: '已在其他分頁以另一個帳號登入' });
    await notice.waitFor();
    expect(await notice.textContent()).toContain('這個分頁已停止送出資料');
    await first.keyboard.press('Escape');
    expect(await notice.isVisible()).toBe(true);

    // Its form, submitted anyway (the button under the notice, pressed from script), sends nothing under the front
    // desk's session: the form says why, and no request left the tab.
    await form.getByTestId('member-form-submit').dispatchEvent('click');
    await form.getByText('這個分頁不會再送出任何資料').waitFor();
    expect(sentFromFirst).toEqual([]);

    // Reloading takes the tab into the account now signed in.
    await notice.getByRole('button', { name: '重新載入此分頁' }).click();
    await first.getByTestId('user-menu').waitFor();
    await expect.poll(() => first.getByTestId('user-menu').textContent()).toContain(FRONT_DESK.name);
    expect(await first.getByRole('dialog', { name: '已在其他分頁以另一個帳號登入' }).count()).toBe(0);
    expect(unexpected(firstWatch.errors)).toEqual([]);
    await context.close();
  });
});
