import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiCall, endJourney, startJourney, unexpected, watchPage, type RunningServer } from './harness.ts';
import { openPmsPage, untilNoSyncRuns } from './pms-journey.ts';

let server: RunningServer;
let browser: Browser;

beforeAll(async () => ({ server, browser } = await startJourney({ pms: true })), 120_000);
afterAll(() => endJourney({ server, browser }));

const GHIST = [
  'GCUST_COD,ALT_NAM,LAST_NAM,FIRST_NAM,SEX_TYP,ID_NOS,CONTACT1_COD,CONTACT1_RMK,DM_FLAG,CO_DEL_STA,UPD_DAT',
  'E2EFILE0001,林上傳,LIN,SHANG CHUAN,F,,01,0912-000-111,Y,N,2026-12-05 10:00:00',
  ',沒有代碼,,,,,,,,,2026-12-05 10:00:00',
].join('\r\n');

describe('德安 export files on PMS 串接 (issue 8, contract §9)', () => {
  it('staff upload a GHIST_MN file, see it applied with the row set aside, and the same file again is refused as a duplicate', async () => {
    const context = await browser.newContext({ locale: 'zh-TW' });
    const page = await context.newPage();
    const watch = watchPage(page);
    const connectionId = await openPmsPage(server, page);
    await page.getByTestId('pms-files').waitFor();
    await untilNoSyncRuns(page);

    const input = page.getByTestId('pms-files').locator('input[type=file]');
    await input.setInputFiles({ name: 'GHIST_MN_01_20261205100000_DELTA.csv', mimeType: 'text/csv', buffer: Buffer.from(`\uFEFF${GHIST}\r\n`, 'utf8') });
    await page.getByText(/已上傳「GHIST_MN_01_20261205100000_DELTA.csv」/).waitFor();
    await page.getByTestId('pms-files').getByText('已套用').waitFor({ timeout: 90_000 });
    const files = await apiCall<{ data: Array<{ name: string; status: string; rejected: number; runId: string }> }>(page, 'GET', `/api/pms/connections/${connectionId}/files`);
    expect(files.data[0]).toMatchObject({ name: 'GHIST_MN_01_20261205100000_DELTA.csv', status: 'applied', rejected: 1 });
    // The run history has the upload's run, with the row set aside.
    await page.getByTestId('pms-run-trigger').filter({ hasText: /^上傳德安檔案GHIST_MN_01_20261205100000_DELTA\.csv$/ }).first().waitFor();
    // The run's review count is what was open after it (the matching pass looks at every member), not what this file added.
    await page.getByTestId('pms-runs').getByRole('columnheader', { name: '執行後待審核' }).waitFor();

    await input.setInputFiles({ name: 'again.csv', mimeType: 'text/csv', buffer: Buffer.from(`\uFEFF${GHIST}\r\n`, 'utf8') });
    await page.getByText('這個檔案已經匯入過（內容相同），不會再套用一次。').waitFor();
    await input.setInputFiles({ name: 'members.csv', mimeType: 'text/csv', buffer: Buffer.from('name,phone\r\n王,0912\r\n', 'utf8') });
    await page.getByText(/無法讀取此檔案/).waitFor();
    expect(unexpected(watch.errors)).toEqual([]);
    await context.close();
  }, 300_000);
});
