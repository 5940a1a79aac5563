// A million customers in the built page, brought in as a person would: a per-customer summary
// dropped on the page. The table stays a window of rows and reaches both ends, and a cost change
// moves the headline figure by exactly what the data says it should.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serveDist } from "./server.mjs";
import { cents, launch, openWorkbook } from "./browser.mjs";
import { xlsx } from "./files.mjs";

const DIST = process.env.DIST ?? "../dist";
const CUSTOMERS = 1_000_000;

let server;
let browser;

before(async () => {
  server = await serveDist(DIST, "/tools/profitbook/");
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

// Customer i has revenue 1,000.50 + (i x 7919 mod 100,000) and i mod 5 tickets. 7919 is prime to
// 100,000, so each run of 100,000 customers takes every residue once:
//   revenue = 1,000,000 x 1,000.50 + 10 x (0 + 1 + ... + 99,999)
//           = 1,000,500,000 + 10 x 4,999,950,000 = 51,000,000,000.00
//   tickets = 200,000 x (0 + 1 + 2 + 3 + 4) = 2,000,000
const revenueOf = (i) => 1000 + ((i * 7919) % 100000);

// The customer at `position` (from 0) when sorted by revenue, largest first, ties in customer
// order: ten customers share each residue r, from 99,999 down, namely i0, i0 + 100,000, ... where
// i0 x 7919 = r (mod 100,000).
let inverse = 1;
while ((inverse * 7919) % 100000 !== 1) inverse++;
function customerAt(position) {
  const residue = 99999 - Math.floor(position / 10);
  return Number((BigInt(residue) * BigInt(inverse)) % 100000n) + 100000 * (position % 10);
}

// Made in the page, so no bytes cross from the test.
function dropSummary(page, customers) {
  return page.evaluate((customers) => {
    const lines = ["customer_id,name,revenue,tickets"];
    for (let i = 0; i < customers; i++) {
      lines.push(`C${i},Customer ${i},${1000 + ((i * 7919) % 100000)}.50,${i % 5}`);
    }
    const file = new File([lines.join("\n") + "\n"], "customers.csv", { type: "text/csv" });
    const data = new DataTransfer();
    data.items.add(file);
    document.body.dispatchEvent(new DragEvent("drop", { dataTransfer: data, bubbles: true, cancelable: true }));
  }, customers);
}

test("a million customers: the table scrolls from end to end, and a cost moves every figure", async () => {
  const { page, errors } = await openWorkbook(browser, server.url);
  await dropSummary(page, CUSTOMERS);
  await page.getByTestId("pending-source").waitFor({ timeout: 60_000 });
  assert.equal(await page.getByTestId("import-table").inputValue(), "summary");
  await page.getByTestId("import-confirm").click();
  const summary = page.getByTestId("import-file-summary");
  await summary.waitFor({ timeout: 180_000 });
  assert.deepEqual(
    await summary.evaluate((li) => [li.dataset.read, li.dataset.used, li.dataset.rejected].map(Number)),
    [CUSTOMERS, CUSTOMERS, 0],
  );
  const revenue = page.getByTestId("kpi-total-revenue");
  assert.equal(await revenue.textContent(), "€51,000,000,000.00");
  assert.equal(await page.getByTestId("table-count").textContent(), "Showing 1,000,000 of 1,000,000 customers");

  // Largest revenue first: 100,999.50 for the first customer whose residue is 99,999; ties stay
  // in customer order, so the last row is the last of the ten customers at 1,000.50, C900000.
  const top = customerAt(0);
  assert.equal(revenueOf(top), 100999);
  assert.equal(customerAt(CUSTOMERS - 1), 900000);
  await page.getByTestId("sort-revenue").click();
  const table = page.getByTestId("customer-table");
  const rows = table.locator("tbody tr[data-customer-id]");
  await page.waitForFunction(
    (id) => document.querySelector('[data-testid="customer-table"] tbody tr[data-customer-id]')?.dataset.customerId === id,
    `C${top}`,
    { timeout: 30_000 },
  );
  const revenueColumn = await table
    .locator("thead tr").first().locator("th")
    .evaluateAll((ths) => ths.findIndex((th) => th.querySelector("[data-testid=sort-revenue]")));
  const revenueCell = (row) => row.locator("td, th").nth(revenueColumn).textContent();
  assert.equal(await revenueCell(rows.first()), "100,999.50");
  // Only a window of rows is in the page.
  const rendered = await rows.count();
  assert.ok(rendered > 10 && rendered < 100, `${rendered} rows in the page`);

  const scroller = page.locator(".customers .table-scroll");
  await scroller.evaluate((el) => (el.scrollTop = el.scrollHeight));
  await page.waitForFunction(
    () => [...document.querySelectorAll('[data-testid="customer-table"] tbody tr[data-customer-id]')].at(-1)?.dataset.customerId === "C900000",
    null,
    { timeout: 10_000 },
  );
  assert.equal(await revenueCell(rows.last()), "1,000.50");
  assert.equal(await rows.count(), rendered);
  // Mid-way, every row in the window is the customer the order puts at its row index.
  await scroller.evaluate((el) => (el.scrollTop = el.scrollHeight / 2));
  await page.waitForFunction(
    () => [...document.querySelectorAll('[data-testid="customer-table"] tbody tr[data-customer-id]')].at(-1)?.dataset.customerId !== "C900000",
  );
  const shown = await rows.evaluateAll((trs) => trs.map((tr) => [Number(tr.getAttribute("aria-rowindex")), tr.dataset.customerId]));
  assert.equal(shown.length, rendered);
  const position = shown[0][0] - 3;
  assert.ok(position > 450_000 && position < 550_000, `the window starts at row ${position}`);
  assert.deepEqual(
    shown,
    shown.map((_, k) => [position + k + 3, `C${customerAt(position + k)}`]),
  );

  // One more euro per ticket: net profit falls by 2,000,000 tickets x 1.00 = 2,000,000.00.
  const net = page.getByTestId("kpi-net-profit");
  const shownBefore = await net.textContent();
  const ticket = page.getByTestId("assumption-cost_per_ticket");
  assert.equal(await ticket.inputValue(), "6");
  await ticket.fill("7");
  await ticket.press("Enter");
  await page.waitForFunction(
    (text) => document.querySelector('[data-testid="kpi-net-profit"]').textContent !== text,
    shownBefore,
    { timeout: 30_000 },
  );
  assert.equal(cents(shownBefore) - cents(await net.textContent()), 200_000_000n);
  // The table's total is the sum of its million lines, and it is the headline figure.
  assert.equal(cents(await page.getByTestId("total-net-profit").textContent()), cents(await net.textContent()));
  assert.deepEqual(errors, []);
  await page.close();
});

test("an Excel sheet at Excel's limit of 1,048,576 rows imports in full", async (t) => {
  // A header and 1,048,575 invoices: 50,000 customers, Excel serial dates (45658 is
  // 2025-01-01), amounts of 1.00 to 1,000.99 by a fixed rule, added up as they are written.
  const ROWS = 1_048_576;
  let revenue = 0n;
  const book = xlsx("Invoices", (push) => {
    push(["Customer", "Invoice", "Date", "Amount"]);
    for (let i = 0; i < ROWS - 1; i++) {
      const amount = 100 + ((i * 7919) % 100000);
      revenue += BigInt(amount);
      push([`C${i % 50000}`, `INV-${i}`, 45658 + (i % 300), Number(`${Math.floor(amount / 100)}.${String(amount % 100).padStart(2, "0")}`)]);
    }
  });
  const folder = mkdtempSync(join(tmpdir(), "profitbook-"));
  const path = join(folder, "invoices.xlsx");
  writeFileSync(path, book);
  try {
    const { page, errors } = await openWorkbook(browser, server.url);
    await page.getByTestId("import-file").setInputFiles(path);
    await page.getByTestId("pending-source").waitFor({ timeout: 120_000 });
    assert.equal(await page.getByTestId("import-table").inputValue(), "invoices");
    await page.getByTestId("import-confirm").click();
    const summary = page.getByTestId("import-file-summary");
    await summary.waitFor({ timeout: 180_000 });
    assert.deepEqual(
      await summary.evaluate((li) => [li.dataset.name, li.dataset.read, li.dataset.used, li.dataset.rejected]),
      ["invoices.xlsx › Invoices", String(ROWS - 1), String(ROWS - 1), "0"],
    );
    assert.equal(cents(await page.getByTestId("kpi-total-revenue").textContent()), revenue);
    assert.equal(await page.getByTestId("table-count").textContent(), "Showing 50,000 of 50,000 customers");
    // For the README: the worker's peak memory beside the file's size (a measure, not a test).
    const memory = Number(await page.getByTestId("import-summary").getAttribute("data-worker-memory"));
    t.diagnostic(
      `${(book.length / 1e6).toFixed(1)} MB workbook: worker peak memory ${(memory / 1e6).toFixed(0)} MB ` +
        `(${(memory / book.length).toFixed(1)}x the file)`,
    );
    assert.deepEqual(errors, []);
    await page.close();
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});
