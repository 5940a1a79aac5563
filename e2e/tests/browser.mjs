// Debian's Chromium, headless, with the flags that work as root on these machines and keep it
// off the network. Playwright never downloads a browser here.
import assert from "node:assert/strict";
import { chromium } from "playwright-core";

export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

// Opens a page that records every request and every console error or page error. `options`
// are Playwright's context options, e.g. `{ locale: "pl-PL" }` for the browser's language.
export async function watchedPage(browser, options) {
  const page = options ? await (await browser.newContext(options)).newPage() : await browser.newPage();
  const requests = [];
  const errors = [];
  page.on("request", (r) => requests.push(r.url()));
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  page.on("pageerror", (e) => errors.push(String(e)));
  return { page, requests, errors };
}

// Waits until the workbook kept in the browser (if any) has been read and shown.
export function restored(page) {
  return page.waitForFunction(() => {
    const status = document.querySelector("[data-testid=save-status]");
    return status && status.dataset.state !== "opening";
  });
}

// Opens the workbook at `url` and waits until the customer table has rows and what the
// browser kept is restored.
export async function openWorkbook(browser, url, options) {
  const watched = await watchedPage(browser, options);
  await watched.page.goto(url);
  await watched.page.getByTestId("customer-table").locator("tbody tr").first().waitFor();
  await restored(watched.page);
  return watched;
}

// Waits until the element with `testid` shows exactly `want`.
export function waitForText(page, testid, want) {
  return page.waitForFunction(
    ([id, text]) => document.querySelector(`[data-testid="${id}"]`)?.textContent === text,
    [testid, want],
    { timeout: 5000 },
  );
}

// An English money figure as integer cents, exactly (BigInt, no floating point): "1,234.56",
// "-1,234.56", "+1,234.56" in tables, "€1,234.56" or "-€1,234.56" where it stands alone.
export function cents(text) {
  const m = /^([+-]?)(\d+)\.(\d{2})$/.exec(text.trim().replace(/[,€]/g, ""));
  assert.ok(m, `not a money figure: ${JSON.stringify(text)}`);
  const v = BigInt(m[2]) * 100n + BigInt(m[3]);
  return m[1] === "-" ? -v : v;
}

// Pastes `text` on the page, outside any field, as Ctrl+V of a copied range does.
export function paste(page, text) {
  return page.evaluate((text) => {
    const data = new DataTransfer();
    data.setData("text/plain", text);
    document.body.dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true }));
  }, text);
}
