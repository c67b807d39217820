import type { Browser, Page } from 'playwright-core';
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
    expect(await notice.getByRole('alert').textContent()).toContain('這個分頁已暫停所有連線');
    await first.keyboard.press('Escape');
    expect(await notice.isVisible()).toBe(true);

    // Its form, submitted anyway (the button under the notice, pressed from script), sends nothing under the front
    // desk's session: the form says why, and no request left the tab.
    await form.getByTestId('member-form-submit').dispatchEvent('click');
    await form.getByText('這個分頁暫停送出任何資料').waitFor();
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

const NIGHT_DESK = { email: 'an.nightdesk@demo-hotels.example', name: '夜班小安', password: 'night desk passphrase 2026' };

/** A second account of the hotel, its password set in another browser (this browser's cookie untouched). */
async function addAccount(page: Page, person: { email: string; name: string; password: string }): Promise<void> {
  const roles = await apiCall<{ data: Array<{ id: string; name: string }> }>(page, 'GET', '/api/roles');
  const role = roles.data.find((r) => r.name === '行銷') ?? roles.data[0]!;
  await apiCall(page, 'POST', '/api/accounts', { email: person.email, displayName: person.name, roleId: role.id, allProperties: true, propertyIds: [] });
  const elsewhere = await browser.newContext({ locale: 'zh-TW' });
  const invite = await elsewhere.newPage();
  await invite.goto(await mailboxLink(server, person.email));
  await invite.getByLabel('新密碼', { exact: true }).fill(person.password);
  await invite.getByLabel('確認新密碼').fill(person.password);
  await invite.getByRole('button', { name: '設定密碼' }).click();
  await invite.waitForURL(/\/login/);
  await elsewhere.close();
}

/** Signs out in this tab (the user menu) and signs in as this person on the sign-in page it lands on. */
async function signInInstead(page: Page, person: { email: string; password: string }): Promise<void> {
  await page.getByTestId('user-menu').click();
  await page.getByRole('menuitem', { name: '登出' }).click();
  await page.waitForURL(/\/login/);
  await signInHere(server, page, person.email, person.password);
}

describe('a polling page in a tab whose session became another account’s (zh-TW)', () => {
  it('sends no request at all while another account is signed in, keeps what it shows, and resumes when its own account signs in again', async () => {
    const context = await browser.newContext({ locale: 'zh-TW', viewport: { width: 1440, height: 900 } });
    const first = await context.newPage();
    const firstWatch = watchPage(first);
    await signIn(server, first, DEMO_ADMIN.email, DEMO_ADMIN.password);
    await addAccount(first, NIGHT_DESK);

    // A campaign scheduled for ten days from now: its page asks again every few seconds whether it has started.
    const draft = await apiCall<{ id: string; version: number }>(first, 'POST', '/api/campaigns', { name: '跨年住房專案', messages: [{ type: 'text', text: '跨年住房優惠' }] });
    const sendAt = new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 11) + '09:00';
    const scheduled = await apiCall<{ status: string }>(first, 'POST', `/api/campaigns/${draft.id}/schedule`, { version: draft.version, sendAt, confirmOverQuota: true });
    expect(scheduled.status).toBe('scheduled');
    const sentFromFirst: string[] = [];
    first.on('request', (request) => {
      const url = new URL(request.url());
      if (url.pathname.startsWith('/api/')) sentFromFirst.push(`${request.method()} ${url.pathname}`);
    });
    await first.goto(`${server.url}/campaigns/${draft.id}`);
    await first.getByText('跨年住房專案').first().waitFor();
    const polls = () => sentFromFirst.filter((request) => request === `GET /api/campaigns/${draft.id}`).length;
    const firstPolls = polls();
    await expect.poll(polls, { timeout: 10_000 }).toBeGreaterThan(firstPolls);

    // In a second tab of the same browser, the administrator signs out: the first tab pauses at once, before its next
    // poll finds the session gone (it went to the sign-in page, losing what it showed).
    const second = await context.newPage();
    await second.goto(`${server.url}/`);
    await second.getByTestId('user-menu').click();
    await second.getByRole('menuitem', { name: '登出' }).click();
    await first.getByRole('dialog', { name: '已在其他分頁登出' }).waitFor();
    const sentBeforePause = sentFromFirst.length;

    // The night desk signs in there: the first tab says so, and sends nothing under their session, not even its poll.
    await second.waitForURL(/\/login/);
    await signInHere(server, second, NIGHT_DESK.email, NIGHT_DESK.password);
    const notice = first.getByRole('dialog', { name: '已在其他分頁以另一個帳號登入' });
    await notice.waitFor();
    expect(await notice.getByRole('alert').textContent()).toContain('這個分頁已暫停所有連線');
    await first.waitForTimeout(7_000); // more than two of its polls' intervals
    expect(sentFromFirst.slice(sentBeforePause)).toEqual([]);
    // What it showed stays as it was (the administrator's campaign), not the night desk's answers.
    expect(await first.getByText('跨年住房專案').first().isVisible()).toBe(true);
    expect(await first.getByTestId('user-menu').textContent()).not.toContain(NIGHT_DESK.name);

    // The administrator signs in again in the second tab: the first tab asks whose the session is, finds its own,
    // and goes on polling, without a reload.
    await signInInstead(second, DEMO_ADMIN);
    await expect.poll(() => first.getByRole('dialog').count(), { timeout: 10_000 }).toBe(0);
    expect(sentFromFirst.slice(sentBeforePause, sentBeforePause + 1)).toEqual(['GET /api/auth/session']);
    const resumedAt = polls();
    await expect.poll(polls, { timeout: 10_000 }).toBeGreaterThan(resumedAt);
    expect(await first.getByText('跨年住房專案').first().isVisible()).toBe(true);
    expect(unexpected(firstWatch.errors)).toEqual([]);
    await context.close();
  });
});
