import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ADMIN, launchBrowser, openMenu, signIn, smsCode, startServer, unexpected, watchPage, type RunningServer } from './harness.ts';

let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

type Friend = { userId: string; displayName: string; state: string };

async function notYetFriends(): Promise<Friend[]> {
  const response = await fetch(`${server.simUrl}/_sim/channels/2000000001/friends`);
  const body = (await response.json()) as { friends: Friend[] };
  return body.friends.filter((f) => f.state === 'none');
}



describe('a guest joins through LINE and binds their membership', () => {
  it('adds the OA on the simulated phone, gets the welcome message, binds in LIFF with an SMS code, and staff find the member', async () => {
    const [guest] = await notYetFriends();
    expect(guest).toBeDefined();
    const context = await browser.newContext({ locale: 'zh-TW', viewport: { width: 1280, height: 860 } });
    const phone = await context.newPage();
    await phone.goto(`${server.simUrl}/`);
    await phone.locator('.friend-item', { hasText: guest!.displayName }).click();
    await phone.locator('#friend-banner').getByRole('button', { name: '加入好友' }).click();
    await phone.locator('#chat-body').getByText('歡迎加入山嵐飯店集團').first().waitFor();

    // The welcome message's button opens the LIFF page (LINE's SDK, fed by the simulator instead of the LINE app).
    const [liff] = await Promise.all([context.waitForEvent('page'), phone.locator('#chat-body').getByRole('button', { name: '綁定會員' }).first().click()]);
    const watch = watchPage(liff);
    await liff.locator('[data-testid="liff-app"][data-state="register"]').waitFor();
    await liff.getByRole('textbox', { name: '姓', exact: true }).fill('林');
    await liff.getByRole('textbox', { name: '名', exact: true }).fill('嘉欣');
    await liff.getByRole('textbox', { name: '手機號碼', exact: true }).fill('0912-345-678');
    await liff.getByTestId('liff-send-code').click();
    await liff.getByTestId('liff-code-sent').waitFor();
    await liff.getByRole('textbox', { name: '簡訊驗證碼', exact: true }).fill(await smsCode(server, '+886912345678'));
    await liff.getByTestId('liff-submit').click();
    await liff.getByTestId('liff-member-card').waitFor();
    const memberNo = (await liff.getByTestId('liff-member-no').textContent())?.trim();
    expect(memberNo).toMatch(/^M\d{7}$/);
    expect(unexpected(watch.errors)).toEqual([]);

    // Staff see the member with the LINE profile and the follow record.
    const admin = await context.newPage();
    const adminWatch = watchPage(admin);
    await signIn(server, admin, DEMO_ADMIN.email, DEMO_ADMIN.password);
    await openMenu(admin, '封鎖記錄');
    const row = admin.getByTestId('follow-log-table').getByRole('row', { name: new RegExp(guest!.displayName) });
    await expect(row.getByTestId('follow-log-event').getAttribute('data-event')).resolves.toBe('followed');
    await row.getByTestId('follow-log-member-link').click();
    await admin.getByTestId('member-no').waitFor();
    expect(await admin.getByTestId('member-no').textContent()).toContain(memberNo!);
    await admin.getByText(guest!.displayName).first().waitFor();
    await admin.getByText('林嘉欣').first().waitFor();
    expect(unexpected(adminWatch.errors)).toEqual([]);
    await context.close();
  });
});
