// The customer table's sort, search, filters and column chooser, on the sample company, against
// the figures the native engine computes.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { serveDist } from "./server.mjs";
import { cents, launch, openWorkbook as open } from "./browser.mjs";

const DIST = process.env.DIST ?? "../dist";
const EXPECTED = process.env.EXPECTED;

let server;
let browser;
let expected;

before(async () => {
  assert.ok(EXPECTED, "EXPECTED must name the JSON written by `make sample-figures`");
  expected = JSON.parse(readFileSync(EXPECTED, "utf8"));
  server = await serveDist(DIST, "/tools/profitbook/");
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

const rowIds = (page) =>
  page.getByTestId("customer-table").locator("tbody tr").evaluateAll((trs) => trs.map((tr) => tr.dataset.customerId));

test("sorting by a column orders the rows by the engine's figures, both ways", async () => {
  const { page, errors } = await open(browser, server.url);
  const byRevenue = [...expected.rows].sort((a, b) => {
    const d = cents(b.revenue) - cents(a.revenue);
    return d > 0n ? 1 : d < 0n ? -1 : 0;
  });
  await page.getByTestId("sort-revenue").click();
  assert.equal(await page.locator("th:has([data-testid=sort-revenue])").getAttribute("aria-sort"), "descending");
  assert.deepEqual((await rowIds(page)).slice(0, 10), byRevenue.slice(0, 10).map((r) => r.customer_id));
  await page.getByTestId("sort-revenue").click();
  assert.equal(await page.locator("th:has([data-testid=sort-revenue])").getAttribute("aria-sort"), "ascending");
  assert.deepEqual(
    (await rowIds(page)).slice(0, 10),
    byRevenue.slice(-10).reverse().map((r) => r.customer_id),
  );
  // Ids sort as text, from A.
  await page.getByTestId("sort-customer-id").click();
  const ids = expected.rows.map((r) => r.customer_id).sort();
  assert.deepEqual(await rowIds(page), ids);
  assert.deepEqual(errors, []);
  await page.close();
});

test("search and filters narrow the rows, and the totals follow the rows shown", async () => {
  const { page, errors } = await open(browser, server.url);
  const total = expected.rows.length;
  const someone = expected.rows[7];
  await page.getByTestId("table-search").fill(someone.customer_id.toLowerCase());
  await page.waitForFunction(() => document.querySelectorAll("[data-testid=customer-table] tbody tr").length === 1);
  assert.deepEqual(await rowIds(page), [someone.customer_id]);
  assert.equal(await page.getByTestId("table-count").textContent(), `Showing 1 of ${total} customers`);
  assert.equal(await page.getByTestId("table-totals").locator("th").textContent(), "Total of customers shown");
  assert.equal(await page.getByTestId("total-net-profit").textContent(), someone.net_profit);

  await page.getByTestId("table-search").fill("");
  await page.getByTestId("table-filter-profit").selectOption("unprofitable");
  const losers = expected.rows.filter((r) => cents(r.net_profit) < 0n);
  await page.waitForFunction(
    (n) => document.querySelectorAll("[data-testid=customer-table] tbody tr").length === n,
    losers.length,
  );
  assert.deepEqual(await rowIds(page), losers.map((r) => r.customer_id));
  assert.equal(await page.getByTestId("table-count").textContent(), `Showing ${losers.length} of ${total} customers`);
  const sum = losers.map((r) => cents(r.net_profit)).reduce((a, b) => a + b, 0n);
  assert.equal(cents(await page.getByTestId("total-net-profit").textContent()), sum);

  await page.getByTestId("table-filter-profit").selectOption("all");
  await page.waitForFunction(
    (n) => document.querySelectorAll("[data-testid=customer-table] tbody tr").length === n,
    total,
  );
  assert.equal(cents(await page.getByTestId("total-net-profit").textContent()), cents(expected.net_profit));
  assert.deepEqual(errors, []);
  await page.close();
});

test("the column chooser adds and removes P&L lines", async () => {
  const { page, errors } = await open(browser, server.url);
  const table = page.getByTestId("customer-table");
  await page.getByTestId("table-columns").locator("summary").click();
  await page.getByTestId("column-commission").check();
  await page.getByTestId("column-action").uncheck();
  const headers = await table.locator("thead tr").first().locator("th").allTextContents();
  assert.deepEqual(
    headers.map((h) => h.replace(/[▲▼]/g, "").trim()),
    ["Customer ID", "Customer", "Revenue", "Gross margin", "Commission", "Cost to serve", "Net profit", "Net margin"],
  );
  // Each row has the same cells as the header, and the commission column adds up.
  const commissions = await table.locator("tbody tr td:nth-child(5)").allTextContents();
  assert.equal(commissions.length, expected.rows.length);
  const sum = commissions.map(cents).reduce((a, b) => a + b, 0n);
  assert.equal(sum, cents(await page.getByTestId("total-commission").textContent()));
  assert.deepEqual(errors, []);
  await page.close();
});

test("the table's order and search are kept with the workbook across a reload", async () => {
  const { page } = await open(browser, server.url);
  await page.getByTestId("sort-revenue").click();
  await page.getByTestId("table-search").fill("a");
  // Wait for the kept workbook to be written (the save status counts the saves).
  const saves = Number(await page.getByTestId("save-status").getAttribute("data-saves"));
  await page.waitForFunction(
    (n) => Number(document.querySelector("[data-testid=save-status]")?.dataset.saves) > n,
    saves,
  );
  const first = await page.getByTestId("customer-table").locator("tbody tr").first().getAttribute("data-customer-id");
  await page.reload();
  await page.getByTestId("customer-table").locator("tbody tr").first().waitFor();
  await page.waitForFunction(() => document.querySelector("[data-testid=table-search]")?.value === "a");
  assert.equal(await page.locator("th:has([data-testid=sort-revenue])").getAttribute("aria-sort"), "descending");
  assert.equal(
    await page.getByTestId("customer-table").locator("tbody tr").first().getAttribute("data-customer-id"),
    first,
  );
  await page.close();
});
