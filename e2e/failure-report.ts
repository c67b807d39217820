import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';
import { openJourneys } from './harness.ts';

/**
 * When a journey fails, what every open page showed at that moment: its address, its visible text, a screenshot, and
 * the end of the server's log. A timeout on "waiting for X" says what was missing, not what was there instead; without
 * this a failure seen once in CI (on a busy machine) cannot be told apart from a flaky wait or a real defect.
 * Written to stderr (the CI log keeps it) and the screenshots to $E2E_FAILURE_DIR (default: the system's temp dir).
 * A short form (what each page announced, its first lines, the server's warnings and errors) goes to summary.txt there
 * too: `.ci/run` prints it after the test run's own summary, where a reader of only the log's end still finds it.
 */
afterEach(async (context) => {
  if (context.task.result?.state !== 'fail') return;
  const dir = fs.mkdtempSync(path.join(process.env.E2E_FAILURE_DIR ?? os.tmpdir(), 'innkeeper-e2e-failure-'));
  const lines = [`\n--- what the pages showed when "${context.task.name}" failed (screenshots in ${dir}) ---`];
  const summary = [`--- ${context.task.file?.name ?? ''} > ${context.task.name}`];
  let n = 0;
  for (const { server, browser } of openJourneys) {
    for (const page of browser.contexts().flatMap((c) => c.pages())) {
      n += 1;
      try {
        const text = await page.locator('body').innerText({ timeout: 2_000 });
        await page.screenshot({ path: path.join(dir, `page-${n}.png`), fullPage: true, timeout: 5_000 });
        lines.push(`[page ${n}] ${page.url()}`, text.replace(/\n{2,}/g, '\n').slice(0, 3_000));
        // What the page announced (a toast, an alert, a field's error) says most about why an awaited text is missing.
        const said = await page.locator(ANNOUNCED).allInnerTexts();
        summary.push(`[page ${n}] ${page.url()}`, ...said.map((t) => `  said: ${oneLine(t)}`), `  shows: ${oneLine(text).slice(0, 400)}`);
      } catch (error) {
        lines.push(`[page ${n}] ${page.url()}: could not be read (${(error as Error).message.split('\n')[0]})`);
      }
    }
    lines.push('[server log, last 60 lines]', server.logs().split('\n').slice(-60).join('\n'));
    summary.push('[server warnings and errors, last 10]', ...warnings(server.logs()).slice(-10));
  }
  process.stderr.write(`${lines.join('\n')}\n--- end ---\n`);
  fs.writeFileSync(path.join(dir, 'summary.txt'), `${summary.join('\n')}\n`);
});

const ANNOUNCED = '.ant-message-notice, .ant-notification-notice, .ant-alert, .ant-form-item-explain-error, .ant-modal-confirm';

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** The server's log lines at warning level or above (pino: 40 and up), each cut short. */
function warnings(log: string): string[] {
  return log.split('\n').filter((line) => {
    const level = /"level":(\d+)/.exec(line)?.[1];
    return level !== undefined && Number(level) >= 40;
  }).map((line) => `  ${line.slice(0, 300)}`);
}
