import type { Browser, TestInfo } from '@playwright/test';

/**
 * Saves a picture of a message as the one who meets it sees it (a browser
 * console line, a line the collector prints) as a test artifact in
 * test-results/, attached to the report: the messages a newcomer may meet,
 * to read at a glance.
 */
export async function saveMessageScreenshot(browser: Browser, testInfo: TestInfo, name: string, where: string, lines: readonly string[]) {
  const page = await browser.newPage({ viewport: { width: 1100, height: 160 } });
  try {
    const escapeHtml = (text: string) => text.replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c]!);
    await page.setContent(
      `<!doctype html><style>body{margin:0;font:14px/1.5 ui-monospace,monospace;background:#1e1e1e;color:#ddd}` +
        `h1{font:600 12px system-ui,sans-serif;margin:0;padding:8px 12px;background:#333;color:#aaa}` +
        `pre{margin:0;padding:10px 12px;white-space:pre-wrap;overflow-wrap:anywhere}</style>` +
        `<h1>${escapeHtml(where)}</h1><pre>${lines.map(escapeHtml).join('\n')}</pre>`,
    );
    const path = testInfo.outputPath(`message-${name}.png`);
    await page.screenshot({ path, fullPage: true });
    await testInfo.attach(`message: ${name}`, { path, contentType: 'image/png' });
  } finally {
    await page.close();
  }
}
