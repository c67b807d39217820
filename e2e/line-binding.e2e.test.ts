import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiCall, DEMO_ADMIN, endJourney, openMenu, signIn, smsCode, startJourney, unexpected, watchPage, type RunningServer } from './harness.ts';

let server: RunningServer;
let browser: Browser;

beforeAll(async () => ({ server, browser } = await startJourney()));
afterAll(() => endJourney({ server, browser }));

type Friend = { userId: string; displayName: string; state: string };

async function notYetFriends(): Promise<Friend[]> {
  const response = await fetch(`${server.simUrl}/_sim/channels/2000000001/friends`);
  const body = (await response.json()) as { friends: Friend[] };
  return body.friends.filter((f) => f.state === 'none');
}



/**
 * On the simulated phone: the guest adds the hotel's account, gets the welcome message, opens 綁定會員 (the LIFF page),
 * types a name and mobile and enters the SMS code; the form is left ready to submit.
 */
async function followAndFillBinding(context: BrowserContext, guest: Friend, typed: { lastName: string; firstName: string; mobile: string; e164: string }) {
  const phone = await context.newPage();
  await phone.goto(`${server.simUrl}/`);
  await phone.locator('.friend-item', { hasText: guest.displayName }).click();
  await phone.locator('#friend-banner').getByRole('button', { name: '加入好友' }).click();
  await phone.locator('#chat-body').getByText('歡迎加入山嵐飯店集團').first().waitFor();
  // The welcome message's button opens the LIFF page (LINE's SDK, fed by the simulator instead of the LINE app).
  const [liff] = await Promise.all([context.waitForEvent('page'), phone.locator('#chat-body').getByRole('button', { name: '綁定會員' }).first().click()]);
  const watch = watchPage(liff);
  await liff.locator('[data-testid="liff-app"][data-state="register"]').waitFor();
  await liff.getByRole('textbox', { name: '姓', exact: true }).fill(typed.lastName);
  await liff.getByRole('textbox', { name: '名', exact: true }).fill(typed.firstName);
  await liff.getByRole('textbox', { name: '手機號碼', exact: true }).fill(typed.mobile);
  await liff.getByTestId('liff-send-code').click();
  // The hint is always there; it turns into "code sent" only once the server has sent the SMS.
  await liff.locator('[data-testid="liff-code-sent"][data-sent="yes"]').waitFor();
  await liff.getByRole('textbox', { name: '簡訊驗證碼', exact: true }).fill(await smsCode(server, typed.e164));
  return { phone, liff, watch };
}

describe('a guest joins through LINE and binds their membership', () => {
  it('adds the OA on the simulated phone, gets the welcome message, binds in LIFF with an SMS code, and staff find the member', async () => {
    const [guest] = await notYetFriends();
    expect(guest).toBeDefined();
    const context = await browser.newContext({ locale: 'zh-TW', viewport: { width: 1280, height: 860 } });
    const { liff, watch } = await followAndFillBinding(context, guest!, { lastName: '林', firstName: '嘉欣', mobile: '0912-345-678', e164: '+886912345678' });
    await liff.getByTestId('liff-submit').click();
    await liff.getByTestId('liff-member-card').waitFor();
    const memberNo = (await liff.getByTestId('liff-member-no').textContent())?.trim();
    expect(memberNo).toMatch(/^M\d{7}$/);
    // The join date is the hotel's (Asia/Taipei) calendar day, whatever zone the phone is in (this browser: the machine's).
    const hotelToday = new Intl.DateTimeFormat('zh-TW', { year: 'numeric', month: '2-digit', day: '2-digit', timeZone: 'Asia/Taipei' }).format(new Date());
    await liff.getByText(`加入日期：${hotelToday}`).waitFor();
    expect(unexpected(watch.errors)).toEqual([]);

    // Staff see the member with the LINE profile and the follow record.
    const admin = await context.newPage();
    const adminWatch = watchPage(admin);
    await signIn(server, admin, DEMO_ADMIN.email, DEMO_ADMIN.password);
    await openMenu(admin, '封鎖紀錄');
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

  it('a guest who types another name with a member’s mobile waits; staff confirm in 綁定審核; the card then shows the consent on file and LINE says so', async () => {
    const [guest] = await notYetFriends();
    expect(guest).toBeDefined();
    const context = await browser.newContext({ locale: 'zh-TW', viewport: { width: 1280, height: 860 } });
    const admin = await context.newPage();
    const adminWatch = watchPage(admin);
    await signIn(server, admin, DEMO_ADMIN.email, DEMO_ADMIN.password);
    // A member the hotel already has, who agreed to offers (e.g. from an import).
    const owner = await apiCall<{ id: string; memberNo: string }>(admin, 'POST', '/api/members', { lastName: '王', firstName: '小明', mobile: '0912-111-222', marketingOptIn: true });
    expect(owner.memberNo).toMatch(/^M\d{7}$/);

    const { phone, liff, watch } = await followAndFillBinding(context, guest!, { lastName: '鄭', firstName: '淑芬', mobile: '0912-111-222', e164: '+886912111222' });
    // The offers box is left as it is: that keeps whatever the member chose before.
    expect(await liff.getByTestId('liff-opt-in').isChecked()).toBe(false);
    await liff.getByText('未變更此選項時會保留您原本的設定').waitFor();
    await liff.getByTestId('liff-submit').click();
    await liff.locator('[data-testid="liff-app"][data-state="pending"]').waitFor();
    await liff.getByText('我們會為您確認會員身分').waitFor();
    expect(await liff.getByTestId('liff-member-card').count()).toBe(0);

    // Staff see what the guest typed next to the member it matched, and confirm it is the same person.
    await openMenu(admin, '綁定審核');
    const card = admin.getByTestId('binding-review').filter({ hasText: guest!.displayName });
    await expect(card.getByTestId('binding-review-reason').textContent()).resolves.toBe('姓名不符');
    await card.getByTestId('binding-submitted').getByText('鄭淑芬').waitFor();
    await card.getByTestId('binding-submitted').getByText('未變更（保留會員原有設定）').waitFor();
    await card.getByTestId('binding-candidate').filter({ hasText: owner.memberNo }).getByTestId('binding-link').click();
    await admin.getByRole('dialog').getByRole('button', { name: '連結到此會員' }).click();
    await admin.getByText(`會員 ${owner.memberNo}`).first().waitFor();
    expect(unexpected(adminWatch.errors)).toEqual([]);

    // The guest is told in LINE, and the member area now shows the card and the consent on file.
    await phone.locator('#chat-body').getByText('會員綁定完成').first().waitFor();
    await liff.getByTestId('liff-refresh').click();
    await liff.getByTestId('liff-member-card').waitFor();
    expect((await liff.getByTestId('liff-member-no').textContent())?.trim()).toBe(owner.memberNo);
    await expect(liff.getByTestId('liff-offers').getAttribute('aria-checked')).resolves.toBe('true');
    expect(unexpected(watch.errors)).toEqual([]);
    await context.close();
  });
});
