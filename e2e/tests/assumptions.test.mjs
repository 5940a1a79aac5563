// The assumptions panel in the built page: typing or dragging changes every figure to what the
// native engine computes; a refused value says why and changes nothing; reset restores.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { serveDist } from "./server.mjs";
import { cents, launch, openWorkbook as open, restored, waitForText } from "./browser.mjs";

const BASE_PATH = "/";
let server;
let browser;
let expected;

before(async () => {
  expected = JSON.parse(readFileSync(process.env.EXPECTED, "utf8"));
  server = await serveDist(process.env.DIST ?? "../dist", BASE_PATH);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

const openWorkbook = () => open(browser, server.url);

test("typing an exact cost per ticket recomputes the headline figures and the table", async () => {
  const { page, errors } = await openWorkbook();
  const field = page.getByTestId("assumption-cost_per_ticket");
  assert.equal(await field.inputValue(), "6");
  await field.fill("12");
  await field.press("Enter");
  const net = page.getByTestId("kpi-net-profit");
  await waitForText(page, "kpi-net-profit", expected.ticket_cost_12.net_profit);
  assert.equal(await net.textContent(), expected.ticket_cost_12.net_profit);
  assert.equal(
    await page.getByTestId("kpi-unprofitable-share").textContent(),
    expected.ticket_cost_12.unprofitable_share,
  );
  // The same total in the table, whose cells carry no currency sign.
  assert.equal(await page.getByTestId("total-net-profit").textContent(), expected.ticket_cost_12.net_profit.replace("€", ""));
  // The slider follows the exact field.
  assert.equal(await page.getByTestId("assumption-cost_per_ticket-slider").inputValue(), "12");
  assert.deepEqual(errors, []);
  await page.close();
});

test("dragging the slider sets the same value as typing it", async () => {
  const { page } = await openWorkbook();
  await page.getByTestId("assumption-cost_per_ticket-slider").fill("12");
  await waitForText(page, "kpi-net-profit", expected.ticket_cost_12.net_profit);
  assert.equal(await page.getByTestId("assumption-cost_per_ticket").inputValue(), "12");
  await page.close();
});

test("moving a slider moves no part of the page: every figure changes in place", async () => {
  const { page, errors } = await openWorkbook();
  await page.getByTestId("drift-summary").filter({ hasText: /\d/ }).waitFor();
  // Every layout shift from here on, with the elements that moved.
  await page.evaluate(() => {
    window.__shifts = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        window.__shifts.push({
          value: e.value,
          moved: e.sources.map((s) => `${s.node?.nodeName}.${s.node?.className ?? ""}`),
        });
      }
    }).observe({ type: "layout-shift" });
  });
  const slider = page.getByTestId("assumption-cost_per_ticket-slider");
  for (const value of ["8", "12", "20", "3", "12"]) await slider.fill(value);
  await waitForText(page, "kpi-net-profit", expected.ticket_cost_12.net_profit);
  // The drift search and the charts drawn after the figures have finished.
  await page.waitForFunction(() => getComputedStyle(document.querySelector(".drift progress")).visibility === "hidden");
  await page.waitForTimeout(300);
  assert.deepEqual(await page.evaluate(() => window.__shifts), []);
  assert.deepEqual(errors, []);
  await page.close();
});

test("a refused value is explained beside its field and changes nothing; reset restores", async () => {
  const { page } = await openWorkbook();
  const field = page.getByTestId("assumption-cost_per_ticket");
  await field.fill("-5");
  await field.press("Enter");
  const error = page.getByTestId("assumption-cost_per_ticket-error");
  await error.getByText("-5 is negative: it must be zero or more.").waitFor();
  assert.equal(await field.getAttribute("aria-invalid"), "true");
  assert.equal(await page.getByTestId("kpi-net-profit").textContent(), expected.net_profit);

  await field.fill("twelve");
  await field.press("Enter");
  await error.getByText("twelve is not a number").waitFor();

  // Percentages are typed as percent: a 150% commission is out of range.
  const commission = page.getByTestId("assumption-commission_rate");
  assert.equal(await commission.inputValue(), "3");
  await commission.fill("150");
  await commission.press("Enter");
  await page
    .getByTestId("assumption-commission_rate-error")
    .getByText("150 is outside the range 0 to 100.")
    .waitFor();

  await field.fill("12");
  await field.press("Enter");
  await waitForText(page, "kpi-net-profit", expected.ticket_cost_12.net_profit);
  assert.equal(await error.textContent(), "");
  await page.getByTestId("assumption-cost_per_ticket-reset").click();
  await waitForText(page, "kpi-net-profit", expected.net_profit);
  assert.equal(await field.inputValue(), "6");
  await page.close();
});

test("every assumption has a visible label that names its controls", async () => {
  const { page } = await openWorkbook();
  const unnamed = await page.locator(".assumptions input").evaluateAll((inputs) =>
    inputs.filter((i) => {
      const byFor = i.id && document.querySelector(`label[for="${i.id}"]`);
      const byIds = (i.getAttribute("aria-labelledby") ?? "")
        .split(" ")
        .filter(Boolean)
        .map((id) => document.getElementById(id));
      const text = byFor?.textContent || byIds.map((l) => l?.textContent ?? "").join(" ");
      return !text.trim();
    }).map((i) => i.outerHTML),
  );
  assert.deepEqual(unnamed, []);
  const count = await page.locator(".assumptions input[type=range]").count();
  assert.ok(count >= 20, `expected a slider for every assumption shown, found ${count}`);
  await page.close();
});

test("the prospect calculator runs an expected customer through the model", async () => {
  const { page, errors } = await openWorkbook();
  const text = (id) => page.getByTestId(id).textContent();
  // Defaults: revenue 120,000 at 35% gross margin is 42,000; commission 3% is 3,600; 100
  // service hours at 45 + 6 equipment is 5,100: 33,300 a year. Winning it: 40 sales hours at
  // 65 + 6 = 2,840, back in 2,840 x 12 / 33,300 = 1.02 -> 2 months. Lifetime value at 90%
  // retention and a 10% discount rate: 33,300 x 0.9 / (1.1 - 0.9) - 2,840 = 147,010.
  assert.equal(await text("prospect-net-profit"), "€33,300.00");
  assert.equal(await text("prospect-acquisition"), "€2,840.00");
  assert.equal(await text("prospect-payback"), "2 months");
  assert.equal(await text("prospect-clv"), "€147,010.00");
  // 95% retention: 33,300 x 0.95 / 0.15 - 2,840 = 210,900 - 2,840 = 208,060.
  await page.getByTestId("prospect-retention").fill("95");
  await waitForText(page, "prospect-clv", "€208,060.00");
  // Above 100% there is no lifetime value, and the reason is given.
  await page.getByTestId("prospect-retention").fill("120");
  await waitForText(page, "prospect-clv", "n/a");
  assert.equal(await text("prospect-clv-why"), "Retention must be between 0% and 100%.");
  await page.getByTestId("prospect-retention").fill("95");
  await waitForText(page, "prospect-clv", "€208,060.00");
  // 120 support tickets a year at 6 each: 720 more to serve it, 32,580 a year.
  await page.locator(".prospect-activities summary").click();
  await page.getByTestId("prospect-tickets-per-year").fill("120");
  await waitForText(page, "prospect-net-profit", "€32,580.00");
  // A figure that is not a number is named, not guessed.
  await page.getByTestId("prospect-revenue-per-year").fill("12O000");
  await waitForText(page, "prospect-errors", "Not a number: Expected revenue per year. Type digits with a decimal point or comma; counts are whole numbers.");
  assert.equal(await page.getByTestId("prospect-revenue-per-year").getAttribute("aria-invalid"), "true");
  await page.getByTestId("prospect-revenue-per-year").fill("120000");
  await waitForText(page, "prospect-net-profit", "€32,580.00");
  assert.deepEqual(errors, []);
  await page.close();
});

test("scenarios are saved, compared and switched, and undo and redo walk the changes", async () => {
  const { page, errors } = await openWorkbook();
  const net = () => page.getByTestId("kpi-net-profit").textContent();
  await page.getByTestId("scenario-name").fill("Base");
  await page.getByTestId("scenario-save").click();
  assert.equal(await page.getByTestId("scenario-select").locator("option:checked").textContent(), "Base");
  // A name already taken is refused, saying why.
  await page.getByTestId("scenario-name").fill(" base ");
  await page.getByTestId("scenario-save").click();
  assert.equal(await page.getByTestId("scenario-message").textContent(), "A scenario is already called base: choose another name.");

  const field = page.getByTestId("assumption-cost_per_ticket");
  await field.fill("12");
  await field.press("Enter");
  await waitForText(page, "kpi-net-profit", expected.ticket_cost_12.net_profit);
  // The assumptions no longer match "Base": its changes can be saved, or kept as a new one.
  await page.getByTestId("scenario-update").waitFor();
  await page.getByTestId("scenario-name").fill("Dear tickets");
  await page.getByTestId("scenario-save").click();
  assert.equal(await page.getByTestId("scenario-select").locator("option:checked").textContent(), "Dear tickets");

  // Compared with Base: the change of net profit is the difference of the two engine totals.
  await page.getByTestId("scenario-compare").selectOption({ label: "Base" });
  const change = cents(expected.ticket_cost_12.net_profit) - cents(expected.net_profit);
  assert.equal(cents(await page.getByTestId("compare-net-profit").textContent()), change);
  assert.equal(
    await page.getByTestId("compare-unprofitable").textContent(),
    `Unprofitable customers: ${expected.unprofitable}, then ${expected.ticket_cost_12.unprofitable}.`,
  );
  // A dearer ticket only lowers profits, so the customers that cross are exactly the new
  // loss-makers (a single "none" line when there are none).
  const flips = await page.getByTestId("scenario-flips").locator("li").count();
  assert.equal(flips, Math.max(1, expected.ticket_cost_12.unprofitable - expected.unprofitable));

  // Two saved scenarios compare the same way: Base against Dear tickets as saved.
  await page.getByTestId("scenario-compare-to").selectOption({ label: "Dear tickets" });
  assert.equal(cents(await page.getByTestId("compare-net-profit").textContent()), change);
  assert.equal(
    await page.getByTestId("scenario-totals").locator("thead th").nth(2).textContent(),
    "Dear tickets",
  );

  // Switching to Base brings its figures back; undo returns to Dear tickets; redo to Base.
  await page.getByTestId("scenario-select").selectOption({ label: "Base" });
  await waitForText(page, "kpi-net-profit", expected.net_profit);
  await page.getByTestId("undo").click();
  await waitForText(page, "kpi-net-profit", expected.ticket_cost_12.net_profit);
  assert.equal(await page.getByTestId("scenario-select").locator("option:checked").textContent(), "Dear tickets");
  // The keyboard, outside any text field: Ctrl+Shift+Z redoes, Ctrl+Z undoes.
  await page.locator("h1").click();
  await page.keyboard.press("Control+Shift+Z");
  await waitForText(page, "kpi-net-profit", expected.net_profit);
  await page.keyboard.press("Control+Z");
  await waitForText(page, "kpi-net-profit", expected.ticket_cost_12.net_profit);
  // Further back: before "Dear tickets" was saved, then before the ticket cost changed.
  await page.getByTestId("undo").click();
  assert.equal(await page.getByTestId("scenario-select").locator("option").count(), 2);
  await page.getByTestId("undo").click();
  await waitForText(page, "kpi-net-profit", expected.net_profit);
  assert.equal(await field.inputValue(), "6");
  assert.deepEqual(errors, []);
  await page.close();
});

test("the sensitivity ranking moves each assumption by 10% and ranks the engine's swings", async () => {
  const { page, errors } = await openWorkbook();
  await page.getByTestId("sensitivity-run").click();
  const table = page.getByTestId("sensitivity-table");
  await table.waitFor({ state: "attached" });
  await page.getByTestId("tornado").getByText("Show as a table").click();
  const rows = await table.locator("tbody tr").evaluateAll((trs) =>
    trs.map((tr) => [...tr.querySelectorAll("td")].map((td) => td.textContent)),
  );
  assert.equal(rows.length, expected.sensitivity.length);
  assert.deepEqual(
    rows.map((r) => [r[1], r[3], r[4]]),
    expected.sensitivity.map((s) => [s.net_low, s.net_high, s.swing]),
  );
  // The tornado's bars: one pair per assumption.
  assert.equal(await page.getByTestId("tornado").locator("rect.bar.gain").count(), rows.length);
  // Changing an assumption marks the ranking as out of date.
  const field = page.getByTestId("assumption-cost_per_ticket");
  await field.fill("12");
  await field.press("Enter");
  await page.getByTestId("sensitivity-stale").waitFor();
  assert.deepEqual(errors, []);
  await page.close();
});

test("the workbook is kept in the browser: a reload finds it as it was, and clear data removes it", async () => {
  const { page, errors } = await openWorkbook();
  const saves = async () => Number(await page.getByTestId("save-status").getAttribute("data-saves"));
  const savedAfter = (n) =>
    page.waitForFunction((k) => Number(document.querySelector("[data-testid=save-status]")?.dataset.saves) > k, n);
  const field = page.getByTestId("assumption-cost_per_ticket");
  // Each change is saved once it has settled; wait for each save before the next change.
  let before = await saves();
  await field.fill("12");
  await field.press("Enter");
  await savedAfter(before);
  before = await saves();
  await page.getByTestId("scenario-name").fill("Dear tickets");
  await page.getByTestId("scenario-save").click();
  await savedAfter(before);

  await page.reload();
  await restored(page);
  await waitForText(page, "kpi-net-profit", expected.ticket_cost_12.net_profit);
  assert.equal(await page.getByTestId("assumption-cost_per_ticket").inputValue(), "12");
  assert.equal(await page.getByTestId("scenario-select").locator("option:checked").textContent(), "Dear tickets");
  assert.equal(await page.getByTestId("save-status").textContent(), "Kept in this browser: it opens as you left it.");
  // Undo starts from what was restored.
  assert.equal(await page.getByTestId("undo").isDisabled(), true);

  // Clear data asks first, then removes everything, kept copy included: a reload opens the
  // sample company with the default assumptions and no scenario.
  before = await saves();
  await page.getByTestId("clear-data").click();
  await page.getByTestId("clear-data-confirm").click();
  await savedAfter(before);
  await page.reload();
  await restored(page);
  await waitForText(page, "kpi-net-profit", expected.net_profit);
  assert.equal(await page.getByTestId("assumption-cost_per_ticket").inputValue(), "6");
  assert.equal(await page.getByTestId("scenario-select").locator("option").count(), 1);
  assert.deepEqual(errors, []);
  await page.close();
});

test("a damaged kept workbook is left alone and said so; the sample opens", async () => {
  const { page, errors } = await openWorkbook();
  // Three bytes where the settings should be: version 1, then nothing that reads.
  await page.evaluate(
    () =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open("profitbook", 1);
        open.onsuccess = () => {
          const tx = open.result.transaction("workbook", "readwrite");
          tx.objectStore("workbook").put(new Uint8Array([1, 2, 3]), "settings");
          tx.oncomplete = resolve;
          tx.onerror = reject;
        };
        open.onerror = reject;
      }),
  );
  await page.reload();
  await restored(page);
  assert.equal(
    await page.getByTestId("save-status").textContent(),
    "The workbook kept in this browser could not be opened and was left as it was; the sample company is shown (the saved workbook is damaged)",
  );
  assert.equal(await page.getByTestId("kpi-net-profit").textContent(), expected.net_profit);
  assert.deepEqual(errors, []);
  await page.close();
});

test("without storage the workbook says so and works on in memory", async () => {
  const page = await browser.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  // As a browser that refuses storage: no IndexedDB at all.
  await page.addInitScript(() => Object.defineProperty(window, "indexedDB", { value: null }));
  await page.goto(server.url);
  await restored(page);
  const status = page.getByTestId("save-status");
  assert.match(await status.textContent(), /^This browser does not let the workbook be kept/);
  assert.equal(await status.getAttribute("class"), "save-status problem");
  const field = page.getByTestId("assumption-cost_per_ticket");
  await field.fill("12");
  await field.press("Enter");
  await waitForText(page, "kpi-net-profit", expected.ticket_cost_12.net_profit);
  assert.deepEqual(errors, []);
  await page.close();
});
