import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiCall, DEMO_ADMIN, endJourney, notYetFriends, signIn, startJourney, unexpected, watchPage, type RunningServer } from './harness.ts';

let server: RunningServer;
let browser: Browser;

beforeAll(async () => ({ server, browser } = await startJourney()));
afterAll(() => endJourney({ server, browser }));

const TARGET = 'https://hotel.example/book?plan=weekday';

async function until<T>(read: () => Promise<T | undefined>, what: string, timeoutMs = 30_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describe('a tracked URL button in the demo', () => {
  it('a guest taps it on the simulated phone: the LIFF page sends them to the offer, and staff see the tag and the click', async () => {
    const [guest] = await notYetFriends(server);
    expect(guest).toBeDefined();
    const context = await browser.newContext({ locale: 'zh-TW', viewport: { width: 1280, height: 860 } });
    // The offer's site is outside the demo: the browser gets a stand-in page for it.
    await context.route('https://hotel.example/**', (route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: '<!doctype html><title>訂房</title><h1>平日商務優惠訂房</h1>' }));
    // The LIFF page the simulated LINE app opened for the button (`…/liff/<tenant>/<channel>/c/<link>`).
    const liffUrls: string[] = [];
    context.on('request', (request) => {
      if (/\/liff\/[^/]+\/[^/]+\/c\//.test(request.url())) liffUrls.push(request.url());
    });
    const staff: Page = await context.newPage();
    const staffWatch = watchPage(staff);
    await signIn(server, staff, DEMO_ADMIN.email, DEMO_ADMIN.password);

    const phone = await context.newPage();
    await phone.goto(`${server.simUrl}/`);
    await phone.locator('.friend-item', { hasText: guest!.displayName }).click();
    await phone.locator('#friend-banner').getByRole('button', { name: '加入好友' }).click();
    await phone.locator('#chat-body').getByText('歡迎加入山嵐飯店集團').first().waitFor();
    // The follow made a member; LINE's profile (the name staff search by) follows from the worker.
    const member = await until(async () => {
      const found = await apiCall<{ data: Array<{ id: string }> }>(staff, 'POST', '/api/members/search', { q: guest!.displayName });
      return found.data[0];
    }, 'the guest as a member');

    const tag = await apiCall<{ id: string }>(staff, 'POST', '/api/tags', { name: '連結商務客', kind: 'campaign' });
    const campaign = await apiCall<{ id: string }>(staff, 'POST', '/api/campaigns', {
      name: '平日商務優惠（連結）',
      propertyId: null,
      tagIds: [tag.id],
      audience: { kind: 'all' },
      messages: [{ type: 'buttons', altText: '平日商務優惠', title: '平日商務優惠', text: '週一至週四入住享 85 折', actions: [{ type: 'uri', label: '立即訂房', uri: TARGET, tagIds: [tag.id] }] }],
    });
    const sent = await apiCall<{ results: Array<{ outcome: string }> }>(staff, 'POST', `/api/campaigns/${campaign.id}/test-send`, { memberIds: [member.id] });
    expect(sent.results).toEqual([expect.objectContaining({ outcome: 'accepted' })]);

    // The button is the LIFF link; LINE (the simulator) opens the member portal's LIFF page, which goes on to the offer.
    await phone.locator('#chat-body').getByText('週一至週四入住享 85 折').first().waitFor();
    // The simulated phone says where the button goes (its title): the LIFF link LINE opens, not the offer itself.
    expect(await phone.locator('#chat-body').getByRole('button', { name: '立即訂房' }).last().getAttribute('title')).toMatch(/^https:\/\/liff\.line\.me\/[^/]+\/c\//);
    const [offer] = await Promise.all([context.waitForEvent('page'), phone.locator('#chat-body').getByRole('button', { name: '立即訂房' }).last().click()]);
    const offerWatch = watchPage(offer);
    await offer.waitForURL(TARGET);
    await offer.getByText('平日商務優惠訂房').waitFor();
    expect(unexpected(offerWatch.errors)).toEqual([]);

    // The worker gives the tag and the click is on the guest's timeline.
    await until(async () => {
      const tags = await apiCall<{ data: Array<{ id: string; source: string }> }>(staff, 'GET', `/api/members/${member.id}/tags`);
      return tags.data.find((t) => t.id === tag.id && t.source === 'campaign');
    }, 'the tag from the click');
    const timeline = await apiCall<{ data: Array<{ type: string; campaignId: string | null }> }>(staff, 'GET', `/api/members/${member.id}/timeline`);
    expect(timeline.data.filter((e) => e.type === 'clicked' && e.campaignId === campaign.id)).toHaveLength(1);

    type Counts = { data: Array<{ clicks: number; identified: number; anonymous: number; guests: number }> };
    const counts = () => apiCall<Counts>(staff, 'GET', `/api/campaigns/${campaign.id}/clicks`);
    expect((await counts()).data).toEqual([expect.objectContaining({ clicks: 1, identified: 1, anonymous: 0, guests: 1 })]);

    // The same link opened outside LINE (Innkeeper's own redirect): sent to the offer, counted anonymously.
    const [, tenantId, link] = /\/liff\/([^/]+)\/[^/]+\/c\/([^/?#]+)/.exec(liffUrls[0] ?? '') ?? [];
    expect(link).toBeDefined();
    // (Asked without following: Playwright does not hand a redirect's next hop to the route standing in for the offer.)
    const outside = await context.request.get(`${server.url}/c/${tenantId}/${link}`, { maxRedirects: 0, headers: { 'user-agent': 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36' } });
    expect(outside.status()).toBe(302);
    expect(outside.headers().location).toBe(TARGET);
    // The answer may come a moment before the click's commit (when the database is slow): read until it is there.
    const afterOutside = await until(async () => ((await counts()).data[0]?.clicks === 2 ? (await counts()).data : undefined), 'the anonymous click');
    expect(afterOutside).toEqual([expect.objectContaining({ clicks: 2, identified: 1, anonymous: 1, guests: 1 })]);
    expect(unexpected(staffWatch.errors)).toEqual([]);
    await context.close();
  });
});
