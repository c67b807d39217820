import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ADMIN, endJourney, mailboxLink, signIn, startJourney, unexpected, watchPage, type RunningServer } from './harness.ts';

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

    await page.getByRole('menuitem', { name: '帳號權限' }).click();
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
});
