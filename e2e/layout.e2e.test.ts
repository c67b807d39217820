import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiCall, DEMO_ADMIN, endJourney, signIn, startJourney, unexpected, watchPage, type RunningServer } from './harness.ts';

let server: RunningServer;
let browser: Browser;

beforeAll(async () => ({ server, browser } = await startJourney()));
afterAll(() => endJourney({ server, browser }));

/** The few DOM types the measurements use (the e2e project compiles without the DOM library). */
type Rect = { left: number; right: number; top: number; bottom: number; width: number; height: number };
type Box = { getBoundingClientRect(): Rect; scrollWidth: number; clientWidth: number; textContent: string | null; className: string };
type Doc = { createRange(): { selectNodeContents(node: unknown): void; getClientRects(): ArrayLike<Rect> } };

/** What a person sees of each element: its text, how many lines it takes, and where its box ends on the screen. */
type Seen = { text: string; lines: number; left: number; right: number; overflows: boolean; ellipsis: boolean };

async function seen(locator: Locator): Promise<Seen[]> {
  return locator.evaluateAll((elements) =>
    elements.map((element) => {
      const box = element as unknown as Box;
      const range = (globalThis as unknown as { document: Doc }).document.createRange();
      range.selectNodeContents(element);
      // One rectangle a line and one an inline element on it: rectangles that overlap from top to bottom share a line.
      let lines = 0;
      let bottom = -Infinity;
      for (const r of Array.from(range.getClientRects())
        .filter((r) => r.width > 0)
        .sort((a, b) => a.top - b.top)) {
        const newLine = r.top >= bottom - 1;
        if (newLine) lines += 1;
        bottom = newLine ? r.bottom : Math.max(bottom, r.bottom);
      }
      const rect = box.getBoundingClientRect();
      return { text: (box.textContent ?? '').trim(), lines, left: rect.left, right: rect.right, overflows: box.scrollWidth > box.clientWidth + 1, ellipsis: String(box.className).includes('ant-table-cell-ellipsis') };
    }),
  );
}

/**
 * A table read without scrolling sideways: it needs no scroll, and every header and cell of the first rows ends inside
 * the table's visible box and the window, its content not spilling out of the cell (a cut date or link).
 */
async function expectTableReadable(page: Page, table: Locator, label: string): Promise<void> {
  const width = page.viewportSize()!.width;
  const scroller = table.locator('.ant-table-content, .ant-table-body').first();
  const [frame] = await seen(scroller);
  expect(frame!.overflows, `${label}: the table scrolls sideways`).toBe(false);
  const cells = await seen(table.locator('thead th, tbody tr:not([aria-hidden]):nth-child(-n+6) > td'));
  expect(cells.length).toBeGreaterThan(0);
  for (const cell of cells) {
    expect(cell.right, `${label}: 「${cell.text}」 ends past the table`).toBeLessThanOrEqual(Math.min(frame!.right, width) + 1);
    // Long free text (a campaign's name, its audience) may be cut with an ellipsis: it is whole on hover.
    if (!cell.ellipsis) expect(cell.overflows, `${label}: 「${cell.text}」 spills out of its cell`).toBe(false);
  }
}

async function sentCampaign(page: Page, name: string): Promise<string> {
  const campaign = await apiCall<{ id: string; version: number }>(page, 'POST', '/api/campaigns', { name, messages: [{ type: 'text', text: `${name}：平日入住享 85 折` }] });
  await apiCall(page, 'POST', `/api/campaigns/${campaign.id}/schedule`, { version: campaign.version, now: true });
  return campaign.id;
}

describe('what staff read fits the screen (browser review of the layout)', () => {
  it('on a phone (390×844) a campaign’s results are whole figures, and the list shows each campaign’s status and result without scrolling sideways', async () => {
    const context = await browser.newContext({ locale: 'zh-TW', viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    const watch = watchPage(page);
    await signIn(server, page, DEMO_ADMIN.email, DEMO_ADMIN.password);
    const id = await sentCampaign(page, '手機版週末優惠');
    await apiCall(page, 'POST', '/api/campaigns', { name: '等待核准的草稿', messages: [{ type: 'text', text: '草稿' }] });
    try {
      for (const language of ['zh-TW', 'en'] as const) {
        await apiCall(page, 'PATCH', '/api/auth/me', { locale: language });
        await page.goto(`${server.url}/campaigns/${id}`);
        await page.getByTestId('success-rate').filter({ hasText: /^100%$/ }).waitFor({ timeout: 60_000 });
        // When it went out, and who approved it when, as the list's 發送時間 says (browser review); and who wrote it.
        const when = String.raw`\d{4}-\d\d-\d\d \d\d:\d\d`;
        await page.getByTestId('campaign-sent-at').filter({ hasText: new RegExp(language === 'en' ? `^Send time ${when} \\([A-Za-z_/]+\\), approved by 示範管理員 at ${when}$` : `^發送時間 ${when}（[A-Za-z_/]+），示範管理員 於 ${when} 核准$`) }).waitFor();
        await page.getByTestId('campaign-created-by').filter({ hasText: language === 'en' ? /^Created by 示範管理員 at \d{4}-\d\d-\d\d \d\d:\d\d$/ : /^由 示範管理員 於 \d{4}-\d\d-\d\d \d\d:\d\d 建立$/ }).waitFor();
        // Every label and every value on one line, inside the window: 100% is not 「100 / %」, nor one character a line.
        const figures = await seen(page.getByTestId('send-progress-figures').locator('.ant-statistic-title, .ant-statistic-content'));
        expect(figures.map((f) => f.text)).toContain(language === 'en' ? 'Accepted by LINE' : '已送達 LINE');
        // The rate (每秒 0.3 人 wrapped) is a figure of its own, or a dash when the send was too quick to measure.
        expect(figures.some((f) => /^(每秒 [\d.]+ 人|[\d.]+ per second|—)$/.test(f.text)), figures.map((f) => f.text).join(' | ')).toBe(true);
        for (const figure of figures) {
          expect(figure.lines, `${language}: 「${figure.text}」 wraps`).toBe(1);
          expect(figure.right, `${language}: 「${figure.text}」 runs off the screen`).toBeLessThanOrEqual(390);
        }

        // The list: each campaign's name, status and result in view, no sideways scroll; the draft tells itself apart.
        await page.goto(`${server.url}/campaigns`);
        const table = page.getByTestId('campaigns-table');
        const sent = table.getByRole('row', { name: /手機版週末優惠/ });
        await sent.getByTestId('campaign-outcome').filter({ hasText: language === 'en' ? /100%/ : /成功率 100%/ }).waitFor();
        await sent.getByTestId('campaign-status').filter({ hasText: language === 'en' ? /^Sent$/ : /^已發送$/ }).waitFor();
        const draft = table.getByRole('row', { name: /等待核准的草稿/ });
        await draft.getByTestId('campaign-status').filter({ hasText: language === 'en' ? /^Draft$/ : /^草稿$/ }).waitFor();
        for (const row of [sent, draft]) {
          for (const part of await seen(row.locator('[data-testid="campaign-name-link"], [data-testid="campaign-status"], [data-testid="campaign-outcome"]'))) {
            expect(part.left, `${language}: 「${part.text}」`).toBeGreaterThanOrEqual(0);
            expect(part.right, `${language}: 「${part.text}」`).toBeLessThanOrEqual(390);
          }
        }
        await expectTableReadable(page, table, `${language} campaign list`);
        // The page itself is no wider than the phone (browser review: 767–790 px): the status tabs scroll sideways in
        // their own strip, and the last of them can be brought into view there; the 推播頻率 card is whole.
        const pageWidth = await page.evaluate(() => (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement.scrollWidth);
        expect(pageWidth, `${language}: the campaign list is wider than the screen`).toBeLessThanOrEqual(390);
        const [strip] = await seen(page.getByTestId('campaign-status-filter-scroller'));
        expect(strip!.left, `${language}: status tabs`).toBeGreaterThanOrEqual(0);
        expect(strip!.right, `${language}: status tabs`).toBeLessThanOrEqual(390);
        const failed = page.getByTestId('campaign-status-filter').getByText(language === 'en' ? /^Failed/ : /^發送失敗/);
        await failed.scrollIntoViewIfNeeded();
        const [last] = await seen(failed);
        expect(last!.left, `${language}: 「${last!.text}」`).toBeGreaterThanOrEqual(0);
        expect(last!.right, `${language}: 「${last!.text}」`).toBeLessThanOrEqual(390);
        const [card] = await seen(page.getByTestId('push-settings'));
        expect(card!.right, `${language}: the 推播頻率 card`).toBeLessThanOrEqual(390);
      }
    } finally {
      await apiCall(page, 'PATCH', '/api/auth/me', { locale: 'zh-TW' });
    }
    expect(unexpected(watch.errors)).toEqual([]);
    await context.close();
  });

  it('at 1280×800 with the side menu open, the member list, the accounts table and the campaign list show every column whole', async () => {
    const context = await browser.newContext({ locale: 'zh-TW', viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const watch = watchPage(page);
    await signIn(server, page, DEMO_ADMIN.email, DEMO_ADMIN.password);
    expect(await page.locator('.ant-layout-sider-collapsed').count()).toBe(0);
    // A sent campaign (its 發送結果) and a draft, whichever test ran first.
    await sentCampaign(page, '寬螢幕年終感恩回饋');
    await apiCall(page, 'POST', '/api/campaigns', { name: '寬螢幕草稿', messages: [{ type: 'text', text: '草稿' }] });
    try {
      for (const language of ['zh-TW', 'en'] as const) {
        await apiCall(page, 'PATCH', '/api/auth/me', { locale: language });
        await page.goto(`${server.url}/members`);
        const members = page.getByTestId('members-table');
        await members.locator('tbody tr:not([aria-hidden]) td').first().waitFor();
        // 最近互動's date whole, on one line (it showed 「2026-12-0」).
        const dates = await seen(members.locator('tbody td:last-child .ant-flex > span:first-child'));
        expect(dates.length).toBeGreaterThan(0);
        for (const date of dates) expect([date.text, date.lines]).toEqual([expect.stringMatching(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/), 1]);
        await expectTableReadable(page, members, `${language} members`);

        await page.goto(`${server.url}/accounts`);
        const accounts = page.locator('.ant-table').first();
        await page.getByRole('button', { name: language === 'en' ? /Edit/ : /編輯/ }).first().waitFor();
        await expectTableReadable(page, accounts, `${language} accounts`);

        await page.goto(`${server.url}/campaigns`);
        const campaigns = page.getByTestId('campaigns-table');
        await campaigns.getByRole('row', { name: /寬螢幕年終感恩回饋/ }).getByTestId('campaign-outcome').waitFor();
        await expectTableReadable(page, campaigns, `${language} campaigns`);
      }
    } finally {
      await apiCall(page, 'PATCH', '/api/auth/me', { locale: 'zh-TW' });
    }
    expect(unexpected(watch.errors)).toEqual([]);
    await context.close();
  });

  it('the send time asks for a date and a time, and the English preview greets an English sample guest', async () => {
    const context = await browser.newContext({ locale: 'zh-TW', viewport: { width: 1440, height: 1000 } });
    const page = await context.newPage();
    const watch = watchPage(page);
    await signIn(server, page, DEMO_ADMIN.email, DEMO_ADMIN.password);
    const draft = await apiCall<{ id: string }>(page, 'POST', '/api/campaigns', { name: '預覽範例', messages: [{ type: 'text', text: '{lastName}{firstName} 您好' }] });
    try {
      await page.goto(`${server.url}/campaigns/${draft.id}`);
      expect(await page.getByLabel(/^發送時間/).getAttribute('placeholder')).toBe('請選擇日期與時間');
      await page.getByTestId('line-preview').getByText('王小明 您好').waitFor();
      await apiCall(page, 'PATCH', '/api/auth/me', { locale: 'en' });
      await page.reload();
      expect(await page.getByLabel(/^Send at/).getAttribute('placeholder')).toBe('Select date and time');
      await page.getByTestId('line-preview').getByText('ChenEmma 您好').waitFor();
      await page.getByText('Placeholders shown for the sample guest “Emma Chen”').waitFor();
      expect(await page.getByTestId('line-preview').textContent()).not.toContain('王小明');
    } finally {
      await apiCall(page, 'PATCH', '/api/auth/me', { locale: 'zh-TW' });
    }
    expect(unexpected(watch.errors)).toEqual([]);
    await context.close();
  });
});
