import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export type RunningServer = { url: string; simUrl: string; pmsSimUrl: string; dataDir: string; logs: () => string; stop(): Promise<void> };

/**
 * Boots Innkeeper exactly as `npm start` does (embedded database, demo tenant, LINE simulator, built web app) in a
 * child process on free ports with a fresh data directory, and waits until it is ready. `appRoot`: another checkout's
 * server and built web app instead of this one's (bench/pages compares two builds this way). `migratedDataDir`: a data
 * directory to copy first, whose database has the migrations applied (e2e/global-setup.ts), so that the start does
 * not apply them all again.
 */
export async function startServer(options: { pms?: boolean; appRoot?: string; migratedDataDir?: string } = {}): Promise<RunningServer> {
  const port = await freePort();
  const simPort = await freePort();
  // The 德安 simulator seeds the demo's members and syncs in the background: only the journeys about the PMS want it.
  const pmsPort = await freePort();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'innkeeper-e2e-'));
  if (options.migratedDataDir) fs.cpSync(options.migratedDataDir, dataDir, { recursive: true });
  const url = `http://127.0.0.1:${port}`;
  let output = '';
  const appRoot = options.appRoot ?? root;
  const child: ChildProcess = spawn(process.execPath, [path.join(appRoot, 'apps/server/src/entrypoints/start.ts')], {
    cwd: appRoot,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', PUBLIC_URL: url, DATA_DIR: dataDir, LINE_SIMULATOR_PORT: String(simPort), PMS_SIMULATOR: options.pms ? 'on' : 'off', PMS_SIMULATOR_PORT: String(pmsPort), LOG_LEVEL: 'warn', NODE_ENV: 'development' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const simUrl = `http://127.0.0.1:${simPort}`;
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited early:\n${output}`);
    if (Date.now() > deadline) {
      // A server that never became ready is ended here: no test holds it to stop, and it would keep its ports and CPU.
      child.kill('SIGKILL');
      fs.rmSync(dataDir, { recursive: true, force: true });
      throw new Error(`server did not become ready:\n${output}`);
    }
    const ready = output.includes('Innkeeper is running') && (await fetch(`${simUrl}/_sim/channels`).then((r) => r.json() as Promise<{ channels: Array<{ verified: boolean }> }>).then((b) => b.channels.length > 0).catch(() => false));
    if (ready) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    url,
    simUrl,
    // The 德安 simulator (when the journey asked for it): its /_sim/ admin routes inject faults.
    pmsSimUrl: `http://127.0.0.1:${pmsPort}`,
    dataDir,
    logs: () => output,
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => (child.exitCode !== null ? r(null) : child.once('exit', r)));
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Chromium 156 (Debian's) draws the address bar's suggestions in a WebUI page of its own (chrome://omnibox-popup) and
 * builds it for every new window: a context's first page opens one. Headless, nobody sees it, but it is a second
 * renderer that loads ~60 chrome:// modules and ran ~1 s of CPU during each cold load of 會員 (a trace of
 * bench:pages, 2 cores), beside the page's own renderer and the server — a cost of opening a browser window, which
 * staff pay once, not of loading a page. Off, as the browser's own UI is not what the journeys and benches look at;
 * `omniboxPopup: true` keeps it (bench:pages' BENCH_OMNIBOX=1, to compare with readings taken with it).
 */
const WITHOUT_OMNIBOX_POPUP = '--disable-features=WebUIOmniboxPopup,WebUIOmniboxFullPopup,WebUIOmniboxAimPopup';

export async function launchBrowser(options: { omniboxPopup?: boolean } = {}): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync', ...(options.omniboxPopup ? [] : [WITHOUT_OMNIBOX_POPUP])],
  });
}

/** A journey file's server and browser: one `npm start`-like server and one Chromium for all its tests. */
/** The journeys running in this test file, so a failed test can say what its pages showed (e2e/failure-report.ts). */
export const openJourneys = new Set<{ server: RunningServer; browser: Browser }>();

export async function startJourney(options: { pms?: boolean } = {}): Promise<{ server: RunningServer; browser: Browser }> {
  // Imported here, not at the top: bench/pages uses this file outside Vitest.
  const { inject } = await import('vitest');
  const server = await startServer({ ...options, migratedDataDir: inject('e2eMigratedDataDir') });
  const journey = { server, browser: await launchBrowser() };
  openJourneys.add(journey);
  return journey;
}

export async function endJourney({ server, browser }: { server?: RunningServer; browser?: Browser }): Promise<void> {
  for (const journey of openJourneys) if (journey.browser === browser) openJourneys.delete(journey);
  await browser?.close();
  await server?.stop();
}

/** An API call from the signed-in page, with the session's CSRF token, as the app itself makes it. */
export async function apiCall<T>(page: Page, method: string, path: string, body?: unknown): Promise<T> {
  return page.evaluate(
    async ({ method, path, body }) => {
      const me = (await (await fetch('/api/auth/me')).json()) as { csrfToken: string };
      const response = await fetch(path, {
        method,
        headers: { 'content-type': 'application/json', 'x-csrf-token': me.csrfToken },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return (await response.json()) as T;
    },
    { method, path, body },
  );
}

/** Collects console errors and failed page loads so a journey can assert it had none. */
export function watchPage(page: Page): { errors: string[] } {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  return { errors };
}

/**
 * The real sign-in, from where a person starts: the root URL the start banner prints, which shows the sign-in page;
 * password, then the code that was emailed (read from the demo mailbox, as a newcomer would).
 */
export async function signIn(server: RunningServer, page: Page, email: string, password: string): Promise<void> {
  await page.goto(`${server.url}/`);
  await page.waitForURL(/\/login$/);
  await signInHere(server, page, email, password);
}

/** The two sign-in steps on the sign-in page already shown (after signing out, say), in Chinese. */
export async function signInHere(server: RunningServer, page: Page, email: string, password: string): Promise<void> {
  await page.getByLabel('電子郵件').fill(email);
  await page.getByLabel('密碼', { exact: true }).fill(password);
  await page.getByRole('button', { name: '登入', exact: true }).click();
  await page.getByLabel('驗證碼').waitFor();
  await page.getByLabel('驗證碼').fill(await mailboxCode(server, email));
  await page.getByRole('button', { name: '驗證並登入' }).click();
  await page.getByTestId('user-menu').waitFor();
}

/** Opens a page the way staff do: through the left menu (an item's accessible name starts with its icon's label). */
export async function openMenu(page: Page, name: string): Promise<void> {
  const item = page.getByRole('menuitem', { name: new RegExp(`(^|\\s)${name}$`) });
  // Taken once the menu marks the item as the page shown (it follows the address), or once the page asks first (a
  // dialog: unsaved changes would be lost). CI once found the accounts page not opened after 帳號權限 was clicked
  // (the side menu renders again as antd measures the screen): staff would click again, and so does this, loudly
  // (pickOption).
  const asked = page.locator('.ant-modal-wrap:visible');
  await pickOption(item, async () => ((await item.getAttribute('class')) ?? '').includes('ant-menu-item-selected') || (await asked.count()) > 0);
}

/**
 * Picks an item from an antd click dropdown as a person does: open it, wait until its menu has finished sliding in
 * (Playwright's stability check retries while the menu moves, and a dropdown reopened while its last closing animation
 * ran timed out in CI), click the item, and wait for the menu to close so the next step starts from a still page.
 */
export async function chooseFromDropdown(page: Page, trigger: Locator, item: string): Promise<void> {
  const open = page.locator('.ant-dropdown:not(.ant-dropdown-hidden)');
  await expect.poll(() => open.count(), { timeout: 10_000 }).toBe(0);
  await trigger.click();
  const menuItem = open.getByRole('menuitem', { name: item });
  await menuItem.waitFor();
  await open.evaluate((el) => Promise.all(el.getAnimations({ subtree: true }).map((a: { finished: Promise<unknown> }) => a.finished)));
  await menuItem.click();
  await expect.poll(() => open.count(), { timeout: 10_000 }).toBe(0);
}

/** The demo tenant's administrator, as the server prints it at start. */
export const DEMO_ADMIN = { email: 'admin@demo-hotels.example', password: 'Innkeeper-demo-2026' };

/** Network 4xx answers a journey provokes on purpose show up as console "Failed to load resource" lines. */
export function unexpected(errors: string[]): string[] {
  return errors.filter((e) => !e.includes('Failed to load resource'));
}

export async function mailboxCode(server: RunningServer, email: string): Promise<string> {
  const mail = await latestMail(server, email);
  const code = /(\d{6})/.exec(mail.subject)?.[1];
  if (!code) throw new Error(`no code in ${mail.subject}`);
  return code;
}

export async function mailboxLink(server: RunningServer, email: string): Promise<string> {
  const mail = await latestMail(server, email);
  const link = /(https?:\/\/\S+set-password\?token=\S+)/.exec(mail.textBody)?.[1];
  if (!link) throw new Error('no link in mail');
  return link;
}

async function latestMail(server: RunningServer, email: string) {
  const response = await fetch(`${server.url}/api/demo-mailbox?to=${encodeURIComponent(email)}`);
  const body = (await response.json()) as { data: Array<{ subject: string; textBody: string }> };
  const mail = body.data[0];
  if (!mail) throw new Error(`no mail to ${email}`);
  return mail;
}

export async function smsCode(server: RunningServer, mobileE164: string): Promise<string> {
  const body = (await (await fetch(`${server.url}/api/demo-mailbox/sms`)).json()) as { data: Array<{ toMobile: string; body: string }> };
  const sms = body.data.find((m) => m.toMobile === mobileE164);
  const code = /驗證碼為 (\d{6})/.exec(sms?.body ?? '')?.[1]; // the tenant's name comes first and may hold six digits
  if (!code) throw new Error(`no SMS to ${mobileE164}`);
  return code;
}

/** A LINE user of the simulator's demo channel, as its `/_sim` API lists them. */
export type SimFriend = { userId: string; displayName: string; state: string };

/** The simulator's virtual guests who have not added the hotel's account yet. */
export async function notYetFriends(server: RunningServer): Promise<SimFriend[]> {
  const response = await fetch(`${server.simUrl}/_sim/channels/2000000001/friends`);
  const body = (await response.json()) as { friends: SimFriend[] };
  return body.friends.filter((f) => f.state === 'none');
}

/**
 * On the simulated phone: the guest adds the hotel's account, gets the welcome message, opens 綁定會員 (the LIFF page),
 * types a name and mobile and enters the SMS code; the form is left ready to submit.
 */
export async function followAndFillBinding(server: RunningServer, context: BrowserContext, guest: SimFriend, typed: { lastName: string; firstName: string; mobile: string; e164: string }) {
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

/**
 * Picks an option of an Ant Design select and waits until `taken()` says the pick was taken; if it was not within a few
 * seconds, picks it again (at most three times in all). CI found a click on an option of a campaign button's tag
 * picker not taken under its load (2026-12-07: twice, in the campaign and the automation journeys; the dropdown still
 * open, the option hovered, nothing chosen and nothing sent), as staff would then click again. A click is lost when
 * the option under the pointer at the press is no longer under it at the release: the picker's list now opens below
 * it and stays where it opened (antd's default re-placed it, above or below, as the page moved), and it no longer
 * re-renders on every render of the builder (ActionEditor.tsx; measured in e2e/button-tag-pick.e2e.test.ts). So a
 * retry should not be needed any more: when one is, it says so loudly, and a pick that is never taken fails the test.
 */
export async function pickOption(option: Locator, taken: () => Promise<boolean>): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    await option.click();
    for (let waited = 0; waited < 5000; waited += 250) {
      if (await taken()) {
        if (attempt > 1) console.warn(`pickOption: RETRY WAS NEEDED: the pick was taken only at attempt ${attempt} of 3 (the first click on the option was lost again, despite the fix of 2026-12-07; see harness.ts)`);
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    if (attempt === 3) throw new Error('the option was picked three times and never taken');
    const text = await option.textContent({ timeout: 1000 }).catch(() => '?');
    console.warn(`pickOption: RETRY NEEDED: the click on the option 「${text}」 was not taken within 5 s (attempt ${attempt} of 3); picking it again`);
  }
}

/**
 * Chooses `option` in the single-choice antd select whose input is `select` (found by its label), and waits until the
 * select shows it. CI lost such a pick once (2026-12-07, 何時進入 in the automation journey: the next field never came),
 * as on the tag picker above; staff would pick again, and so does this, loudly (pickOption). The open list is found
 * by its visible options: antd's aria listbox holds only the ones near the active one.
 */
export async function chooseOption(page: Page, select: Locator, option: string): Promise<void> {
  const item = page.locator('.ant-select-item-option:visible').filter({ hasText: new RegExp(`^${option}$`) });
  // (No DOM types in the test project: the input as read here.)
  const shown = () => select.evaluate((input) => ((input as unknown as { closest(selector: string): { textContent: string | null } | null }).closest('.ant-select')?.textContent ?? '').trim());
  await select.click();
  await pickOption(item, async () => {
    if ((await shown()) === option) return true;
    // A lost click can also close the list: open it again for the next try.
    if ((await item.count()) === 0) await select.click();
    return false;
  });
}
