import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiCall, DEMO_ADMIN, endJourney, followAndFillBinding, notYetFriends, openMenu, signIn, startJourney, unexpected, watchPage, type RunningServer } from './harness.ts';

let server: RunningServer;
let browser: Browser;

beforeAll(async () => ({ server, browser } = await startJourney()));
afterAll(() => endJourney({ server, browser }));

describe('a guest joins through LINE and binds their membership', () => {
  it('adds the OA on the simulated phone, gets the welcome message, binds in LIFF with an SMS code, and staff find the member', async () => {
    const [guest] = await notYetFriends(server);
    expect(guest).toBeDefined();
    const context = await browser.newContext({ locale: 'zh-TW', viewport: { width: 1280, height: 860 } });
    const { liff, watch } = await followAndFillBinding(server, context, guest!, { lastName: '林', firstName: '嘉欣', mobile: '0912-345-678', e164: '+886912345678' });
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
    const [guest] = await notYetFriends(server);
    expect(guest).toBeDefined();
    const context = await browser.newContext({ locale: 'zh-TW', viewport: { width: 1280, height: 860 } });
    const admin = await context.newPage();
    const adminWatch = watchPage(admin);
    await signIn(server, admin, DEMO_ADMIN.email, DEMO_ADMIN.password);
    // A member the hotel already has, who agreed to offers (e.g. from an import).
    const owner = await apiCall<{ id: string; memberNo: string }>(admin, 'POST', '/api/members', { lastName: '王', firstName: '小明', mobile: '0912-111-222', marketingOptIn: true });
    expect(owner.memberNo).toMatch(/^M\d{7}$/);

    const { phone, liff, watch } = await followAndFillBinding(server, context, guest!, { lastName: '鄭', firstName: '淑芬', mobile: '0912-111-222', e164: '+886912111222' });
    // The offers box is left as it is: that keeps whatever the member chose before.
    expect(await liff.getByTestId('liff-opt-in').isChecked()).toBe(false);
    await liff.getByText('未變更此選項時會保留您原本的設定').waitFor();
    // Ticked and unticked again is still the box as shown: no withdrawal is recorded for the member who agreed.
    await liff.getByTestId('liff-opt-in').check();
    await liff.getByTestId('liff-opt-in').uncheck();
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
