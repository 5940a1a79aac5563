// Getting data in, in the built page: paste a range, drop a CSV, upload a workbook; the import
// summary accounts for every row and the headline figures are the files' figures. The files are
// the engine's import fixtures, whose figures are worked by hand in crates/engine/tests/import.rs.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serveDist } from "./server.mjs";
import { launch, openWorkbook, paste, restored, waitForText } from "./browser.mjs";
import { download } from "./files.mjs";

const DIST = process.env.DIST ?? "../dist";
const FIXTURES = new URL("../../crates/engine/tests/fixtures/", import.meta.url);
const HUNGARIAN_CSV = "szamlak-1250.csv";
const WORKBOOK = "customers-and-invoices.xlsx";

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

// The per-file lines of the import summary, as numbers.
async function fileSummaries(page) {
  await page.getByTestId("import-summary").waitFor();
  return page.getByTestId("import-file-summary").evaluateAll((items) =>
    items.map((li) => ({
      name: li.dataset.name,
      read: Number(li.dataset.read),
      used: Number(li.dataset.used),
      rejected: Number(li.dataset.rejected),
    })),
  );
}

// The rows of the rejected rows' table, or of another table of the summary's.
async function problemRows(page, testid = "import-problems") {
  return page
    .getByTestId(testid)
    .locator("tbody tr")
    .evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll("td")].map((td) => td.textContent)));
}

test("a file dragged over the page starts the import's worker before it is dropped", async () => {
  const { page, errors } = await openWorkbook(browser, server.url);
  assert.equal(page.workers().length, 0, "no worker before a file is on its way");
  const started = page.waitForEvent("worker");
  await page.evaluate(() =>
    document.body.dispatchEvent(new DragEvent("dragenter", { dataTransfer: new DataTransfer(), bubbles: true })),
  );
  const warmed = await started;
  // The drop is read by that worker, not another.
  await page.evaluate(() => {
    const data = new DataTransfer();
    data.items.add(new File(["customer_id,revenue\nA1,10.00\n"], "drag.csv", { type: "text/csv" }));
    document.body.dispatchEvent(new DragEvent("drop", { dataTransfer: data, bubbles: true, cancelable: true }));
  });
  await page.getByTestId("pending-source").waitFor();
  assert.equal(page.workers().length, 1);
  assert.ok(page.workers()[0] === warmed, "the drop is read by the worker the drag started");
  assert.deepEqual(errors, []);
  await page.close();
});

test("a range pasted anywhere on the page is read as per-customer totals", async () => {
  const { page, errors } = await openWorkbook(browser, server.url);
  const tsv = "Customer\tRevenue\tTickets\nA1\t1,000.00\t3\nA2\t250.50\t1\n";
  await paste(page, tsv);
  const card = page.getByTestId("pending-source");
  await card.waitFor();
  assert.equal(await card.getByTestId("import-table").inputValue(), "summary");
  await page.getByTestId("import-confirm").click();
  assert.deepEqual(await fileSummaries(page), [{ name: "Pasted data", read: 2, used: 2, rejected: 0 }]);
  // 1,000.00 + 250.50
  await waitForText(page, "kpi-total-revenue", "€1,250.50");
  assert.equal(await page.getByTestId("customer-table").locator("tbody tr").count(), 2);
  assert.deepEqual(errors, []);
  await page.close();
});

test("a range typed or pasted into the paste box is read when asked", async () => {
  const { page, errors } = await openWorkbook(browser, server.url);
  // Spanish headers, a dot grouping thousands and a decimal comma ("765,50" cannot be read
  // with a decimal point).
  await page.getByTestId("import-paste").fill("Cliente\tImporte\nC1\t1.234,50\nC2\t765,50\n");
  await page.getByTestId("import-paste-read").click();
  const card = page.getByTestId("pending-source");
  await card.waitFor();
  assert.equal(await card.getByTestId("import-table").inputValue(), "summary");
  await page.getByTestId("import-confirm").click();
  assert.deepEqual(await fileSummaries(page), [{ name: "Pasted data", read: 2, used: 2, rejected: 0 }]);
  // 1,234.50 + 765.50
  await waitForText(page, "kpi-total-revenue", "€2,000.00");
  assert.equal(await page.getByTestId("customer-table").locator("tbody tr").count(), 2);
  assert.deepEqual(errors, []);
  await page.close();
});

test("a file larger than the page reads is refused before it is read, by name and size", async () => {
  const { page, errors } = await openWorkbook(browser, server.url);
  const revenue = await page.getByTestId("kpi-total-revenue").textContent();
  await page.evaluate(() => {
    // 257 MiB, one part of 1 MiB given 257 times: the browser holds the part once.
    const part = new Blob([new Uint8Array(1 << 20).fill(0x41)]);
    const file = new File(Array(257).fill(part), "ledger-2025.csv", { type: "text/csv" });
    const data = new DataTransfer();
    data.items.add(file);
    document.body.dispatchEvent(new DragEvent("drop", { dataTransfer: data, bubbles: true, cancelable: true }));
  });
  await page.getByTestId("import-errors").waitFor();
  assert.equal(
    await page.getByTestId("import-errors").textContent(),
    "ledger-2025.csv is 257 MB; this page reads files up to 256 MB. Split the file, or export only the columns the workbook needs.",
  );
  // Nothing was read: no pending file, no worker, and the workbook is as it was.
  assert.equal(await page.getByTestId("pending-source").count(), 0);
  assert.equal(page.workers().length, 0);
  assert.equal(await page.getByTestId("kpi-total-revenue").textContent(), revenue);
  assert.deepEqual(errors, []);
  await page.close();
});

test("the workbook is kept in the browser as blobs, and a record kept as an array by an earlier version still opens", async () => {
  const { page, errors } = await openWorkbook(browser, server.url);
  await paste(page, "Customer\tRevenue\nA1\t1,000.00\nA2\t250.50\n");
  await page.getByTestId("pending-source").waitFor();
  await page.getByTestId("import-confirm").click();
  await waitForText(page, "kpi-total-revenue", "€1,250.50");
  await page.waitForFunction(() => Number(document.querySelector("[data-testid=save-status]")?.dataset.saves) > 0);
  // Each record is a blob; rewritten as an array of the same bytes, as earlier versions kept them.
  const kinds = await page.evaluate(async () => {
    const db = await new Promise((resolve, reject) => {
      const open = indexedDB.open("profitbook", 1);
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    const store = (mode) => db.transaction("workbook", mode).objectStore("workbook");
    const get = (key) => new Promise((resolve) => (store("readonly").get(key).onsuccess = (e) => resolve(e.target.result)));
    const kinds = [];
    for (const key of ["data", "settings"]) {
      const value = await get(key);
      kinds.push(value?.constructor.name);
      const bytes = new Uint8Array(await value.arrayBuffer());
      await new Promise((resolve) => (store("readwrite").put(bytes, key).onsuccess = resolve));
    }
    db.close();
    return kinds;
  });
  assert.deepEqual(kinds, ["Blob", "Blob"]);
  await page.reload();
  await restored(page);
  // 1,000.00 + 250.50, read back from the arrays.
  await waitForText(page, "kpi-total-revenue", "€1,250.50");
  assert.deepEqual(await fileSummaries(page), [{ name: "Pasted data", read: 2, used: 2, rejected: 0 }]);
  assert.equal(await page.getByTestId("save-status").getAttribute("data-state"), "saved");
  assert.deepEqual(errors, []);
  await page.close();
});

test("a dropped Windows-1250 semicolon CSV with decimal commas: every row accounted for", async () => {
  const { page, errors } = await openWorkbook(browser, server.url);
  const base64 = readFileSync(new URL(HUNGARIAN_CSV, FIXTURES)).toString("base64");
  await page.evaluate(
    ([b64, name]) => {
      const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const data = new DataTransfer();
      data.items.add(new File([bytes], name, { type: "text/csv" }));
      document
        .querySelector(".drop-zone")
        .dispatchEvent(new DragEvent("drop", { dataTransfer: data, bubbles: true, cancelable: true }));
    },
    [base64, HUNGARIAN_CSV],
  );
  const card = page.getByTestId("pending-source");
  await card.waitFor();
  assert.equal(await card.getByTestId("import-table").inputValue(), "invoices");
  assert.equal(await card.getByTestId("import-encoding").inputValue(), "windows-1250");
  assert.equal(await card.getByTestId("import-separator").inputValue(), "semicolon");
  assert.equal(await card.getByTestId("import-column-4").inputValue(), "amount");
  // The preview shows numbers as read: "1 250 000,00 Ft" is 1,250,000.00; the header is
  // decoded from Windows-1250.
  const preview = card.getByTestId("import-preview");
  assert.match(await preview.locator("thead").textContent(), /Nettó összeg/);
  assert.equal(await preview.locator("tbody tr").first().locator("td").nth(4).textContent(), "1,250,000.00");

  await page.getByTestId("import-confirm").click();
  // Rows 2-10 less blank row 6: 8 read; rows 7 (12,5%), 9 (duplicate invoice) and 10 (no
  // customer id) rejected.
  assert.deepEqual(await fileSummaries(page), [
    { name: HUNGARIAN_CSV, read: 8, used: 5, rejected: 3 },
  ]);
  // Row 5's "-45 000,00 Ft" is used as a credit note, and said so; the line says how the file
  // was read: its encoding and separator, the table, numbers grouped by spaces with a decimal
  // comma ("1 250 000,00"), dates year first ("2025.01.15."), and a header row.
  const line = page.getByTestId("import-file-summary");
  assert.match(await line.textContent(), /1 negative amount read as a credit note\./);
  assert.match(
    await line.locator(".muted").textContent(),
    /^Read as: Windows-1250 \(Central European\), semicolon, Invoices and credit notes, 1\s234\s567,89, year first \(2025-03-07\), the table's first row is the header\.$/,
  );
  const problems = await problemRows(page);
  assert.deepEqual(
    problems.map(([file, row, column, value]) => [file, row, column, value]),
    [
      [HUNGARIAN_CSV, "7", "E (Nettó összeg)", "12,5%"],
      [HUNGARIAN_CSV, "9", "C (Számlaszám)", "SZ-2025-005"],
      [HUNGARIAN_CSV, "10", "A (Ügyfél)", ""],
    ],
  );
  assert.match(problems[0][4], /percentage/);
  // 1,250,000.00 + 980,500.50 + 310,000.00 - 45,000.00 + 99,000.00, in the forints the file
  // names ("1 250 000,00 Ft"): the workbook's currency follows the file, and English writes
  // the code before the amount.
  await waitForText(page, "kpi-total-revenue", "HUF\u00a02,594,500.50");
  assert.equal(await page.getByTestId("currency").inputValue(), "HUF");
  assert.match(await page.getByTestId("import-summary").textContent(), /Amounts are in Hungarian forint \(Ft\), as the files say/);
  assert.equal(await page.getByTestId("customer-table").locator("tbody tr").count(), 3);

  const rejected = await download(page, "import-problems-download");
  const csv = rejected.bytes.toString("utf8");
  assert.equal(rejected.name, "rejected-rows.csv");
  assert.equal(csv.trim().split("\r\n").length, 4);
  assert.match(csv, /szamlak-1250\.csv,9,C \(Számlaszám\),SZ-2025-005,this invoice number was already used/);
  // Row 5's credit note is used, and listed among the rows to check, on screen and as a CSV.
  const toCheck = await problemRows(page, "import-notes");
  assert.deepEqual(toCheck, [
    [HUNGARIAN_CSV, "5", "E (Nettó összeg)", "-45 000,00 Ft", "a negative amount, read as a credit note: check that it is one"],
  ]);
  const toCheckCsv = await download(page, "import-notes-download");
  assert.equal(toCheckCsv.name, "rows-to-check.csv");
  const notesCsv = toCheckCsv.bytes.toString("utf8").trim().split("\r\n");
  assert.equal(notesCsv.length, 2);
  // The value starts with "-" without being a number: an apostrophe keeps a spreadsheet from
  // reading it as a formula; cells holding a comma are quoted.
  assert.equal(
    notesCsv[1],
    `szamlak-1250.csv,5,E (Nettó összeg),"'-45 000,00 Ft","a negative amount, read as a credit note: check that it is one"`,
  );

  // The import's account is kept with the data: after a reload the summary, the way the file
  // was read and every rejected row are there as they were.
  const summaryText = await page.getByTestId("import-summary").textContent();
  await page.waitForFunction(() => Number(document.querySelector("[data-testid=save-status]")?.dataset.saves) > 0);
  await page.reload();
  await restored(page);
  await waitForText(page, "kpi-total-revenue", "HUF\u00a02,594,500.50");
  assert.deepEqual(await fileSummaries(page), [
    { name: HUNGARIAN_CSV, read: 8, used: 5, rejected: 3 },
  ]);
  assert.deepEqual(await problemRows(page), problems);
  assert.deepEqual(await problemRows(page, "import-notes"), toCheck);
  assert.equal(await page.getByTestId("import-summary").textContent(), summaryText);
  // A workbook file saved now still says how the file's columns were mapped.
  const file = JSON.parse((await download(page, "save-workbook")).bytes.toString("utf8"));
  assert.deepEqual(
    file.mapping.map((m) => [m.file, m.plan.columns[4]]),
    [[HUNGARIAN_CSV, "amount"]],
  );
  assert.deepEqual(errors, []);
  await page.close();
});

test("a report with a title above its header: the table is read, the title rows are listed", async () => {
  const { page, errors } = await openWorkbook(browser, server.url);
  const csv =
    "Sales by customer,,,\n1 January to 31 March 2025,,,\n,,,\n" +
    "customer_id,invoice_number,date,amount\nA1,1,2025-01-15,10.00\nB2,2,2025-02-15,20.50\n";
  await page.getByTestId("import-file").setInputFiles({ name: "sales.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
  const card = page.getByTestId("pending-source");
  await card.waitFor();
  assert.equal(await card.getByTestId("import-table").inputValue(), "invoices");
  assert.equal(await card.getByTestId("import-column-3").inputValue(), "amount");
  assert.equal(
    await card.getByTestId("import-title-rows").textContent(),
    "2 rows above the header (row 4) are a title: they will be listed as rejected, not read.",
  );
  // The preview starts with the first invoice, on the file's row 5.
  const firstRow = card.getByTestId("import-preview").locator("tbody tr").first();
  assert.equal(await firstRow.locator("th").textContent(), "5");
  assert.equal(await firstRow.locator("td").first().textContent(), "A1");
  await page.getByTestId("import-confirm").click();
  // Rows 1 and 2 (the title) read and rejected, row 3 blank, row 4 the header, rows 5 and 6 used.
  assert.deepEqual(await fileSummaries(page), [{ name: "sales.csv", read: 4, used: 2, rejected: 2 }]);
  assert.deepEqual(await problemRows(page), [
    ["sales.csv", "1", "", "Sales by customer", "above the table, which starts on row 4: a title, not data"],
    ["sales.csv", "2", "", "1 January to 31 March 2025", "above the table, which starts on row 4: a title, not data"],
  ]);
  // 10.00 + 20.50
  await waitForText(page, "kpi-total-revenue", "€30.50");
  assert.deepEqual(errors, []);
  await page.close();
});

test("an uploaded workbook imports its customer and invoice sheets together", async () => {
  const { page, errors } = await openWorkbook(browser, server.url);
  await page.getByTestId("import-file").setInputFiles(new URL(WORKBOOK, FIXTURES).pathname);
  const cards = page.getByTestId("pending-source");
  await cards.nth(1).waitFor();
  // The empty "Notes" sheet is not offered.
  assert.equal(await cards.count(), 2);
  assert.equal(await cards.nth(0).getByTestId("import-table").inputValue(), "customers");
  assert.equal(await cards.nth(1).getByTestId("import-table").inputValue(), "invoices");
  await page.getByTestId("import-confirm").click();
  assert.deepEqual(await fileSummaries(page), [
    { name: `${WORKBOOK} › Customers`, read: 3, used: 3, rejected: 0 },
    { name: `${WORKBOOK} › Invoices`, read: 3, used: 2, rejected: 1 },
  ]);
  const problems = await problemRows(page);
  assert.deepEqual(problems.map((p) => p.slice(1, 4)), [["4", "A (Customer)", "K009"]]);
  // 1,500.25 + 2,000.00
  await waitForText(page, "kpi-total-revenue", "€3,500.25");
  assert.deepEqual(errors, []);
  await page.close();
});

test("a sheet of an uploaded workbook is left out by removing its card", async () => {
  const { page, errors } = await openWorkbook(browser, server.url);
  await page.getByTestId("import-file").setInputFiles(new URL(WORKBOOK, FIXTURES).pathname);
  const cards = page.getByTestId("pending-source");
  await cards.nth(1).waitFor();
  await cards.nth(0).getByTestId("import-remove").click();
  assert.equal(await cards.count(), 1);
  await page.getByTestId("import-confirm").click();
  // Without the customer sheet, the customers are taken from the invoices, K009 among them:
  // every invoice is used.
  assert.deepEqual(await fileSummaries(page), [{ name: `${WORKBOOK} › Invoices`, read: 3, used: 3, rejected: 0 }]);
  assert.match(await page.getByTestId("import-summary").textContent(), /3 customers were taken from the transactions/);
  // 1,500.25 + 2,000.00 + 700.00
  await waitForText(page, "kpi-total-revenue", "€4,200.25");
  assert.equal(await page.getByTestId("customer-table").locator("tbody tr").count(), 3);
  assert.deepEqual(errors, []);
  await page.close();
});

test("a file that cannot be read stays named in the summary of the import beside it, and after a reload", async () => {
  const { page, errors } = await openWorkbook(browser, server.url);
  await page.getByTestId("import-file").setInputFiles([
    { name: "empty.csv", mimeType: "text/csv", buffer: Buffer.alloc(0) },
    { name: "totals.csv", mimeType: "text/csv", buffer: Buffer.from("customer_id,revenue\nA1,100.00\nA2,abc\n") },
  ]);
  await page.getByTestId("pending-source").waitFor();
  await page.getByText("empty.csv cannot be read: the file is empty").waitFor();
  await page.getByTestId("import-confirm").click();
  // A2's revenue "abc" is not a number: 2 read, 1 used, 1 rejected.
  assert.deepEqual(await fileSummaries(page), [{ name: "totals.csv", read: 2, used: 1, rejected: 1 }]);
  const refused = page.getByTestId("import-refused-file");
  assert.deepEqual(await refused.evaluateAll((items) => items.map((li) => [li.dataset.name, li.textContent])), [
    ["empty.csv", "empty.csv was not imported: the file is empty."],
  ]);
  await waitForText(page, "kpi-total-revenue", "€100.00");
  await page.waitForFunction(() => Number(document.querySelector("[data-testid=save-status]")?.dataset.saves) > 0);
  await page.reload();
  await restored(page);
  await waitForText(page, "kpi-total-revenue", "€100.00");
  assert.equal(await refused.textContent(), "empty.csv was not imported: the file is empty.");
  assert.deepEqual(errors, []);
  await page.close();
});

test("a second import reads the files of the first again and adds them up with its own", async () => {
  const { page, errors } = await openWorkbook(browser, server.url);
  const upload = (name, text) =>
    page.getByTestId("import-file").setInputFiles([{ name, mimeType: "text/csv", buffer: Buffer.from(text) }]);
  await upload("first.csv", "customer_id,revenue\nA1,100.00\nA2,50.25\n");
  await page.getByTestId("pending-source").waitFor();
  await page.getByTestId("import-confirm").click();
  // 100.00 + 50.25
  await waitForText(page, "kpi-total-revenue", "€150.25");
  // The worker let first.csv go after importing it: the page hands it over again.
  await upload("second.csv", "customer_id,revenue\nB1,1000.00\n");
  await page.getByTestId("pending-source").waitFor();
  await page.getByTestId("import-confirm").click();
  // 100.00 + 50.25 + 1,000.00
  await waitForText(page, "kpi-total-revenue", "€1,150.25");
  assert.deepEqual(await fileSummaries(page), [
    { name: "first.csv", read: 2, used: 2, rejected: 0 },
    { name: "second.csv", read: 1, used: 1, rejected: 0 },
  ]);
  assert.deepEqual(errors, []);
  await page.close();
});

test("a chosen file changed on disk since its import is named when the next import reads it again", async () => {
  const { page, errors } = await openWorkbook(browser, server.url);
  const dir = mkdtempSync(join(tmpdir(), "profitbook-"));
  try {
    const first = join(dir, "first.csv");
    writeFileSync(first, "customer_id,revenue\nA1,100.00\nA2,50.25\n");
    await page.getByTestId("import-file").setInputFiles(first);
    await page.getByTestId("pending-source").waitFor();
    await page.getByTestId("import-confirm").click();
    // 100.00 + 50.25
    await waitForText(page, "kpi-total-revenue", "€150.25");
    // The browser refuses to read a chosen file that changed on disk after it was chosen.
    writeFileSync(first, "customer_id,revenue\nA1,999.00\n");
    utimesSync(first, new Date(), new Date(Date.now() + 60_000));
    await page
      .getByTestId("import-file")
      .setInputFiles([{ name: "second.csv", mimeType: "text/csv", buffer: Buffer.from("customer_id,revenue\nB1,1000.00\n") }]);
    await page.getByTestId("pending-source").waitFor();
    await page.getByTestId("import-confirm").click();
    await page.getByText("first.csv cannot be read: the browser could not read it").first().waitFor();
    // The import that needed it has ended, refused, and changed nothing: still first.csv's
    // two rows, as imported before.
    await page.getByText("first.csv is no longer available to read: choose the file again.").waitFor();
    await page.getByTestId("import-progress").waitFor({ state: "detached" });
    await waitForText(page, "kpi-total-revenue", "€150.25");
    assert.deepEqual(await fileSummaries(page), [{ name: "first.csv", read: 2, used: 2, rejected: 0 }]);
    assert.deepEqual(errors, []);
  } finally {
    rmSync(dir, { recursive: true });
  }
  await page.close();
});

test("clearing asks first and empties the workbook; the sample is one click away", async () => {
  const { page, errors } = await openWorkbook(browser, server.url);
  const sampleRevenue = await page.getByTestId("kpi-total-revenue").textContent();
  await page.getByTestId("clear-data").click();
  // Nothing is cleared until the person confirms.
  assert.equal(await page.getByTestId("customer-table").locator("tbody tr").count() > 0, true);
  await page.getByTestId("clear-data-confirm").click();
  await page.waitForFunction(
    () => document.querySelectorAll('[data-testid="customer-table"] tbody tr').length === 0,
  );
  assert.match(await page.getByTestId("data-status").textContent(), /No data yet/);
  await page.getByTestId("load-sample").click();
  await waitForText(page, "kpi-total-revenue", sampleRevenue);
  assert.deepEqual(errors, []);
  await page.close();
});

// Drops a synthetic invoice export of `rows` rows, made in the page (so no bytes cross from the
// test), and returns its revenue in cents: amounts are 1.00 to 1,000.99 by a fixed rule.
function dropSyntheticInvoices(page, rows) {
  return page.evaluate((rows) => {
    const lines = ["customer_id,invoice_number,date,amount"];
    let cents = 0;
    for (let i = 0; i < rows; i++) {
      const amount = 100 + ((i * 7919) % 100000);
      cents += amount;
      const month = String(1 + (i % 9)).padStart(2, "0");
      lines.push(`C${i % 5000},INV-${i},2026-${month}-15,${Math.floor(amount / 100)}.${String(amount % 100).padStart(2, "0")}`);
    }
    const file = new File([lines.join("\n") + "\n"], "big-export.csv", { type: "text/csv" });
    const data = new DataTransfer();
    data.items.add(file);
    document.body.dispatchEvent(new DragEvent("drop", { dataTransfer: data, bubbles: true, cancelable: true }));
    return cents;
  }, rows);
}

// Counts animation frames until `stop` resolves in the page: a page whose main thread is
// busy paints none.
function countFrames(page) {
  return page.evaluate(() => {
    window.__frames = 0;
    const tick = () => {
      window.__frames++;
      if (!document.querySelector('[data-testid="import-summary"]')) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
}

test("a large import runs off the page with a progress bar, can be cancelled, then completes", async () => {
  const { page, errors } = await openWorkbook(browser, server.url);
  const rows = 600_000;
  const cents = await dropSyntheticInvoices(page, rows);
  const card = page.getByTestId("pending-source");
  await card.waitFor({ timeout: 30_000 });
  assert.equal(await card.getByTestId("import-table").inputValue(), "invoices");
  const sample = await page.getByTestId("data-status").textContent();

  // Cancel while the rows are being checked: nothing changes, the file still waits.
  await page.getByTestId("import-confirm").click();
  await page.waitForFunction(
    () => /Checking|Adding up/.test(document.querySelector('[data-testid="import-progress-label"]')?.textContent ?? ""),
    null,
    { timeout: 30_000 },
  );
  await page.getByTestId("import-abort").click();
  await page.getByTestId("import-progress").waitFor({ state: "detached" });
  assert.equal(await page.getByTestId("data-status").textContent(), sample);
  assert.equal(await page.getByTestId("pending-source").count(), 1);

  // Again, to the end: a new worker reads the file again first. The page paints meanwhile.
  await countFrames(page);
  await page.getByTestId("import-confirm").click();
  await page.getByTestId("import-progress").waitFor();
  assert.deepEqual(await fileSummaries(page), [{ name: "big-export.csv", read: rows, used: rows, rejected: 0 }]);
  const frames = await page.evaluate(() => window.__frames);
  assert.ok(frames >= 3, `the page painted ${frames} frames during the import`);
  const whole = Math.floor(cents / 100).toLocaleString("en-US");
  await waitForText(page, "kpi-total-revenue", `€${whole}.${String(cents % 100).padStart(2, "0")}`);
  // 5,000 customers: only a window of rows is in the page, and scrolling moves it.
  const table = page.getByTestId("customer-table");
  const firstId = () => table.locator("tbody tr[data-customer-id]").first().getAttribute("data-customer-id");
  const top = await firstId();
  assert.ok((await table.locator("tbody tr[data-customer-id]").count()) < 100);
  await page.locator(".customers .table-scroll").evaluate((el) => (el.scrollTop = el.scrollHeight));
  await page.waitForFunction(
    (top) => document.querySelector('[data-testid="customer-table"] tbody tr[data-customer-id]')?.dataset.customerId !== top,
    top,
  );
  assert.deepEqual(errors, []);
  await page.close();
});
