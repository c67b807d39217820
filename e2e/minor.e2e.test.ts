import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiCall, DEMO_ADMIN, endJourney, mailboxCode, mailboxLink, openMenu, signIn, signInHere, startJourney, unexpected, watchPage, type RunningServer } from './harness.ts';

let server: RunningServer;
let browser: Browser;

beforeAll(async () => ({ server, browser } = await startJourney()));
afterAll(() => endJourney({ server, browser }));

describe('small things a hotel notices, in the browser', () => {
  it('a signed-out visit logs no error in the console, even where this browser was signed in before', async () => {
    const context = await browser.newContext({ locale: 'zh-TW' });
    // As after a session that ended while the browser was closed: the app believes it may be signed in.
    await context.addInitScript(() => localStorage.setItem('innkeeper.maybe-signed-in', '1'));
    const page = await context.newPage();
    const watch = watchPage(page);
    await page.goto(`${server.url}/members`);
    await page.waitForURL(/\/login/);
    await page.getByLabel('電子郵件').waitFor();
    await page.goto(`${server.url}/login`);
    await page.getByLabel('電子郵件').waitFor();
    // Not even "Failed to load resource: 401": the probe asks /api/auth/session, which never answers 401.
    expect(watch.errors).toEqual([]);
    await context.close();
  });

  it('會員 opened from its address takes the list asked for with the page; one left untaken is not shown to the next session', async () => {
    const context = await browser.newContext({ locale: 'zh-TW' });
    const page = await context.newPage();
    const watch = watchPage(page);
    await signIn(server, page, DEMO_ADMIN.email, DEMO_ADMIN.password);
    // The page the sign-in lands on (會員 for this account) asks for its own list: done before counting starts (CI once
    // counted that late request as the app asking again).
    await page.waitForLoadState('networkidle');
    const searches: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST' && new URL(request.url()).pathname === '/api/members/search') searches.push(request.url());
    });
    await page.goto(`${server.url}/members`);
    await page.locator('.ant-table-row').first().waitFor();
    // The page's early request (public/early-requests.js) was the list's: the app did not ask again.
    expect(searches).toHaveLength(1);

    // An early list the app never took (as when 會員 first showed other filters), then sign-out and sign-in again on
    // the same page: it was read for the session that ended, so the list asks the server for its own.
    await page.evaluate(() => {
      const w = globalThis as unknown as { __innkeeperEarly: Record<string, unknown> };
      const body = JSON.stringify({ data: [], page: 1, pageSize: 20, hasMore: false });
      w.__innkeeperEarly = { at: Date.now(), membersRequest: { sort: 'recent', page: 1, pageSize: 20 }, membersFor: 'the-ended-session', members: Promise.resolve(new Response(body, { headers: { 'content-type': 'application/json' } })) };
    });
    const before = searches.length;
    await page.getByTestId('user-menu').click();
    await page.getByRole('menuitem', { name: '登出' }).click();
    await page.waitForURL(/\/login/);
    await signInHere(server, page, DEMO_ADMIN.email, DEMO_ADMIN.password);
    await openMenu(page, '會員');
    await page.locator('.ant-table-row').first().waitFor();
    // The early list was matched and taken (so refused for its session, not merely left unused as stale), and the list
    // asked the server for its own.
    expect(await page.evaluate(() => 'members' in ((globalThis as unknown as { __innkeeperEarly?: object }).__innkeeperEarly ?? {}))).toBe(false);
    expect(searches.length - before).toBe(1);
    expect(unexpected(watch.errors)).toEqual([]);
    await context.close();
  });

  it('English, whose texts load only when chosen, is shown on the sign-in page, kept on reload and follows the account', async () => {
    const context = await browser.newContext({ locale: 'zh-TW' });
    const page = await context.newPage();
    const watch = watchPage(page);
    await page.goto(`${server.url}/`);
    await page.getByLabel('電子郵件').waitFor();
    await page.getByRole('combobox', { name: '介面語言' }).click();
    await page.getByRole('option', { name: 'English' }).click();
    await page.getByLabel('Email', { exact: true }).waitFor();
    // A reload starts in English (the texts are fetched before the first render), never in Chinese first.
    await page.reload();
    await page.getByLabel('Password', { exact: true }).waitFor();
    expect(await page.getByLabel('電子郵件').count()).toBe(0);
    expect(await page.locator('html').getAttribute('lang')).toBe('en');

    // Signing in from there: the account's own language (Chinese) wins, and back to English through the header.
    await page.getByLabel('Email', { exact: true }).fill(DEMO_ADMIN.email);
    await page.getByLabel('Password', { exact: true }).fill(DEMO_ADMIN.password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByLabel('Verification code').waitFor();
    await page.getByLabel('Verification code').fill(await mailboxCode(server, DEMO_ADMIN.email));
    await page.getByRole('button', { name: 'Verify and sign in' }).click();
    await page.getByTestId('user-menu').waitFor();
    await page.getByRole('navigation', { name: '主選單' }).getByText('會員').waitFor();
    await page.getByRole('combobox', { name: '介面語言' }).click();
    await page.getByRole('option', { name: 'English' }).click();
    await page.getByRole('navigation', { name: 'Main menu' }).getByText('Members').waitFor();
    await page.reload();
    await page.getByRole('navigation', { name: 'Main menu' }).getByText('Members').waitFor();
    await apiCall(page, 'PATCH', '/api/auth/me', { locale: 'zh-TW' });
    expect(unexpected(watch.errors)).toEqual([]);
    await context.close();
  });

  it('renaming a member announces the new name', async () => {
    const context = await browser.newContext({ locale: 'zh-TW' });
    const page = await context.newPage();
    const watch = watchPage(page);
    await signIn(server, page, DEMO_ADMIN.email, DEMO_ADMIN.password);
    const member = await apiCall<{ id: string }>(page, 'POST', '/api/members', { lastName: '何', firstName: '舊名', mobile: '0955-000-111' });
    await page.goto(`${server.url}/members/${member.id}`);
    await page.getByRole('button', { name: '編輯資料' }).click();
    const drawer = page.getByRole('dialog', { name: /編輯會員/ });
    await drawer.getByLabel('名', { exact: true }).fill('新名');
    await page.getByTestId('member-form-submit').click();
    await page.getByText('已儲存「何新名」的資料。').waitFor();
    expect(await page.getByText('已儲存「何舊名」的資料。').count()).toBe(0);
    expect(unexpected(watch.errors)).toEqual([]);
    await context.close();
  });

  it('the set-password page says whose account it is, and 我的帳號 names the properties', async () => {
    const admin = await browser.newContext({ locale: 'zh-TW' });
    const adminPage = await admin.newPage();
    await signIn(server, adminPage, DEMO_ADMIN.email, DEMO_ADMIN.password);
    const roles = await apiCall<{ data: Array<{ id: string; builtinKey: string | null }> }>(adminPage, 'GET', '/api/roles');
    const properties = await apiCall<{ data: Array<{ id: string; name: string }> }>(adminPage, 'GET', '/api/properties');
    const property = properties.data[0]!;
    const email = 'front.desk@demo-hotels.example';
    await apiCall(adminPage, 'POST', '/api/accounts', { email, displayName: '櫃台', roleId: roles.data.find((r) => r.builtinKey === 'customer_service')!.id, allProperties: false, propertyIds: [property.id] });
    await admin.close();

    const context = await browser.newContext({ locale: 'zh-TW' });
    const page = await context.newPage();
    const watch = watchPage(page);
    await page.goto(await mailboxLink(server, email));
    expect(await page.getByTestId('set-password-account').textContent()).toContain(email);
    await page.getByLabel('新密碼', { exact: true }).fill('front desk passphrase 2026');
    await page.getByLabel('確認新密碼').fill('front desk passphrase 2026');
    await page.getByRole('button', { name: '設定密碼' }).click();
    await page.waitForURL(/\/login/);
    await signIn(server, page, email, 'front desk passphrase 2026');
    await page.goto(`${server.url}/my-account`);
    expect(await page.getByTestId('profile-properties').textContent()).toBe(property.name);
    expect(unexpected(watch.errors)).toEqual([]);
    await context.close();
  });
});
