// Reports out, in the built page: each export is downloaded and read back here (the CSV parsed,
// the XLSX unzipped and its sheets read) and compared with the figures on screen; the share link
// and the workbook file make the round trip into a fresh browser; a damaged file changes
// nothing; the page opens again with the network off.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync, mkdtempSync, cpSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serveDist } from "./server.mjs";
import { launch, openWorkbook as open, waitForText } from "./browser.mjs";
import { download, parseCsv, unzip, sheetRows } from "./files.mjs";

// Under a sub-path, as on a static host's folder: the service worker must work there too.
const BASE_PATH = "/tools/profitbook/";
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

// "2,999,603.54" or "€2,999,603.54" (as on screen) in cents.
const cents = (shown) => Math.round(Number(shown.replace(/[,€]/g, "")) * 100);

test("the CSV has a row per customer, named columns and the figures on screen", async () => {
  const { page, errors } = await openWorkbook();
  const { name, bytes } = await download(page, "export-csv");
  assert.match(name, /^profitbook-\d{4}-\d{2}-\d{2}\.csv$/);
  const text = bytes.toString("utf8");
  assert.notEqual(text.charCodeAt(0), 0xfeff, "no byte-order mark by default");
  const [header, ...rows] = parseCsv(text, ",").filter((r) => r.length > 1);
  assert.deepEqual(header.slice(0, 4), ["customer_id", "customer_name", "revenue", "cogs"]);
  assert.deepEqual(header.slice(-4), ["margin_pct", "cost_to_serve_pct", "quadrant", "action"]);
  assert.equal(rows.length, expected.rows.length);
  const net = header.indexOf("net_profit");
  const revenue = header.indexOf("revenue");
  // Plain decimals with a point and no thousands separators, adding up to the totals on screen.
  assert.ok(rows.every((r) => /^-?\d+\.\d{2}$/.test(r[net])));
  const sum = (k) => rows.reduce((s, r) => s + Math.round(Number(r[k]) * 100), 0);
  assert.equal(sum(net), cents(await page.getByTestId("kpi-net-profit").textContent()));
  assert.equal(sum(revenue), cents(await page.getByTestId("kpi-total-revenue").textContent()));
  // The most profitable customer, as the native engine computed it.
  const top = expected.rows[0];
  const row = rows.find((r) => r[0] === top.customer_id);
  assert.equal(cents(top.net_profit), Math.round(Number(row[net]) * 100));
  assert.deepEqual(errors, []);
  await page.close();
});

test("the locale CSV has a byte-order mark, semicolons and decimal commas", async () => {
  const { page } = await openWorkbook();
  await page.getByTestId("export-csv-locale").check();
  const { bytes } = await download(page, "export-csv");
  assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
  const [header, first] = parseCsv(bytes.subarray(3).toString("utf8"), ";");
  assert.equal(header[2], "revenue");
  assert.match(first[2], /^-?\d+,\d{2}$/);
  await page.close();
});

test("the Excel workbook's sheets hold numbers that add up to the figures on screen", async () => {
  const { page, errors } = await openWorkbook();
  const { name, bytes } = await download(page, "export-xlsx");
  assert.match(name, /\.xlsx$/);
  const parts = unzip(bytes);
  const sheets = [...parts["xl/workbook.xml"].matchAll(/<sheet [^>]*name="([^"]*)"/g)].map((m) => m[1]);
  assert.deepEqual(sheets, ["Summary", "Customers", "Segments", "Whale curve", "Assumptions"]);
  const customers = sheetRows(parts["xl/worksheets/sheet2.xml"]);
  assert.equal(customers.length, expected.rows.length + 1);
  const net = customers[0].indexOf("net_profit");
  const total = customers.slice(1).reduce((s, r) => s + Math.round(Number(r[net]) * 100), 0);
  assert.equal(total, cents(await page.getByTestId("kpi-net-profit").textContent()));
  // The header row is frozen, numbers are stored as numbers with a money format.
  assert.match(parts["xl/worksheets/sheet2.xml"], /<pane [^>]*ySplit="1"[^>]*state="frozen"/);
  assert.match(parts["xl/styles.xml"], /numFmtId="4"/);
  // The whale curve ends at the total net profit.
  const whale = sheetRows(parts["xl/worksheets/sheet4.xml"]);
  assert.equal(Math.round(Number(whale.at(-1)[4]) * 100), total);
  assert.deepEqual(errors, []);
  await page.close();
});

test("an open scenario comparison goes into the Excel workbook and the report", async () => {
  const { page } = await openWorkbook();
  await page.getByTestId("scenario-name").fill("Base");
  await page.getByTestId("scenario-save").click();
  const field = page.getByTestId("assumption-cost_per_ticket");
  await field.fill("12");
  await field.press("Enter");
  await waitForText(page, "kpi-net-profit", expected.ticket_cost_12.net_profit);
  await page.getByTestId("scenario-compare").selectOption({ label: "Base" });
  const change = await page.getByTestId("compare-net-profit").textContent();
  const parts = unzip((await download(page, "export-xlsx")).bytes);
  const sheets = [...parts["xl/workbook.xml"].matchAll(/<sheet [^>]*name="([^"]*)"/g)].map((m) => m[1]);
  assert.equal(sheets.at(-1), "Comparison");
  const comparison = sheetRows(parts["xl/worksheets/sheet6.xml"]);
  const net = comparison.find((r) => r[0] === "Net profit");
  // Base, then the assumptions now, then the difference the page shows.
  assert.equal(Math.round(Number(net[1]) * 100), cents(expected.net_profit));
  assert.equal(Math.round(Number(net[2]) * 100), cents(expected.ticket_cost_12.net_profit));
  assert.equal(Math.round(Number(net[3]) * 100), cents(change));
  await page.getByTestId("open-report").click();
  assert.match(await page.getByTestId("report").locator(".report-comparison h2").textContent(), /^Scenario Base against /);
  await page.close();
});

test("the report shows the figures, prints, and downloads as one self-contained file", async () => {
  const { page, errors } = await openWorkbook();
  const net = await page.getByTestId("kpi-net-profit").textContent();
  await page.getByTestId("open-report").click();
  const report = page.getByTestId("report");
  await report.waitFor();
  // It starts at its top, though the button was far down the workbook.
  await page.waitForFunction(() => window.scrollY === 0);
  assert.equal(await report.locator("[data-figure='kpi.net_profit'] dd").textContent(), net);
  assert.equal(await report.locator("svg").count() >= 2, true, "charts as SVG");
  // The toolbar is not printed; the workbook behind the report is hidden.
  await page.emulateMedia({ media: "print" });
  assert.equal(await page.getByTestId("report-print").isVisible(), false);
  assert.equal(await page.getByTestId("customer-table").isVisible(), false);
  await page.emulateMedia({ media: "screen" });
  const { name, bytes } = await download(page, "report-download");
  assert.match(name, /\.html$/);
  const html = bytes.toString("utf8");
  assert.ok(html.includes(`<dd>${net}</dd>`));
  for (const loads of ["src=", "href=", "<script"]) assert.ok(!html.includes(loads), `${loads} in the report`);
  // It opens on its own, offline, with its figures and charts.
  const dir = mkdtempSync(join(tmpdir(), "profitbook-report-"));
  writeFileSync(join(dir, "report.html"), bytes);
  const alone = await browser.newPage();
  await alone.context().setOffline(true);
  await alone.goto(`file://${join(dir, "report.html")}`);
  assert.equal(await alone.locator("[data-figure='kpi.net_profit'] dd").textContent(), net);
  assert.ok((await alone.locator("svg polyline").count()) >= 1);
  await alone.close();
  await page.getByTestId("report-close").click();
  await page.getByTestId("customer-table").waitFor();
  assert.deepEqual(errors, []);
  await page.close();
});

test("a share link carries assumptions and scenarios into another browser, not the data", async () => {
  const { page } = await openWorkbook();
  const field = page.getByTestId("assumption-cost_per_ticket");
  await field.fill("12");
  await field.press("Enter");
  await waitForText(page, "kpi-net-profit", expected.ticket_cost_12.net_profit);
  await page.getByTestId("scenario-name").fill("Dearer tickets");
  await page.getByTestId("scenario-save").click();
  await page.getByTestId("share-link").click();
  const link = await page.getByTestId("share-link-text").inputValue();
  assert.match(link, /#share=1\.[A-Za-z0-9_-]+$/);
  assert.ok(!link.includes("Acme") && link.length < 2000, "no customer data, short");
  await page.close();

  const other = await open(browser, link);
  await waitForText(other.page, "kpi-net-profit", expected.ticket_cost_12.net_profit);
  const notice = await other.page.getByTestId("share-notice").textContent();
  assert.match(notice, /and 1 scenario are applied to your data \(250 customers\)/);
  assert.equal(await other.page.getByTestId("assumption-cost_per_ticket").inputValue(), "12");
  // The fragment is gone, so a reload does not apply it again over later changes.
  assert.equal(new URL(other.page.url()).hash, "");
  // As the notice says, undo puts the receiver's own assumptions back.
  await other.page.keyboard.press("Control+z");
  await waitForText(other.page, "kpi-net-profit", expected.net_profit);
  await other.page.close();

  const damaged = await open(browser, link.slice(0, -12));
  const said = await damaged.page.getByTestId("share-notice").textContent();
  assert.match(said, /was not applied: the link is incomplete or damaged/);
  assert.equal(await damaged.page.getByTestId("kpi-net-profit").textContent(), expected.net_profit);
  await damaged.page.close();
});

test("a workbook file opens with its data, assumptions and scenarios; a damaged one changes nothing", async () => {
  const { page } = await openWorkbook();
  const field = page.getByTestId("assumption-cost_per_ticket");
  await field.fill("12");
  await field.press("Enter");
  await waitForText(page, "kpi-net-profit", expected.ticket_cost_12.net_profit);
  await page.getByTestId("table-search").fill("a");
  const { name, bytes } = await download(page, "save-workbook");
  assert.match(name, /\.profitbook\.json$/);
  const file = JSON.parse(bytes.toString("utf8"));
  assert.equal(file.format, "profitbook-workbook");
  assert.equal(file.version, 1);
  assert.equal(file.model.ids.length, expected.rows.length);
  assert.equal(file.view.query.search, "a");
  await page.close();

  const other = await openWorkbook();
  await other.page.getByTestId("open-workbook").setInputFiles({ name, mimeType: "application/json", buffer: bytes });
  await waitForText(other.page, "kpi-net-profit", expected.ticket_cost_12.net_profit);
  assert.match(await other.page.getByTestId("export-status").textContent(), /Opened .*: 250 customers and 0 scenarios/);
  assert.equal(await other.page.getByTestId("table-search").inputValue(), "a");

  // A file cut short, and a file of another kind: said, and nothing changes.
  const before = await other.page.getByTestId("kpi-net-profit").textContent();
  await other.page.getByTestId("open-workbook").setInputFiles({
    name: "cut.profitbook.json",
    mimeType: "application/json",
    buffer: bytes.subarray(0, bytes.length / 2),
  });
  await other.page.waitForFunction(() =>
    document.querySelector("[data-testid=export-status]")?.textContent.includes("cut.profitbook.json was not opened"),
  );
  assert.match(await other.page.getByTestId("export-status").textContent(), /is cut short: the file ends before the workbook does/);
  await other.page.getByTestId("open-workbook").setInputFiles({
    name: "notes.json",
    mimeType: "application/json",
    buffer: Buffer.from('{"title": "minutes"}'),
  });
  await other.page.waitForFunction(() =>
    document.querySelector("[data-testid=export-status]")?.textContent.includes("notes.json was not opened"),
  );
  assert.match(await other.page.getByTestId("export-status").textContent(), /not a Profitbook workbook/);
  assert.equal(await other.page.getByTestId("kpi-net-profit").textContent(), before);
  await other.page.close();
});

test("after the first visit the page opens and works with the network off", async () => {
  const { page, errors } = await openWorkbook();
  // The service worker has cached the build.
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.context().setOffline(true);
  await page.reload();
  await page.getByTestId("customer-table").locator("tbody tr").first().waitFor();
  assert.equal(await page.getByTestId("kpi-net-profit").textContent(), expected.net_profit);
  // It works: an assumption still recomputes every figure.
  const field = page.getByTestId("assumption-cost_per_ticket");
  await field.fill("12");
  await field.press("Enter");
  await waitForText(page, "kpi-net-profit", expected.ticket_cost_12.net_profit);
  assert.deepEqual(errors.filter((e) => !e.includes("ERR_INTERNET_DISCONNECTED")), []);
  await page.context().setOffline(false);
  await page.close();
});

test("a new version is picked up on the next visit, and the kept workbook survives it", async () => {
  // A copy of the build that this test can replace with a "new version".
  const dir = mkdtempSync(join(tmpdir(), "profitbook-dist-"));
  cpSync(process.env.DIST ?? "../dist", dir, { recursive: true });
  const copy = await serveDist(dir, BASE_PATH);
  try {
    const { page } = await open(browser, copy.url);
    await page.evaluate(() => navigator.serviceWorker.ready);
    const field = page.getByTestId("assumption-cost_per_ticket");
    await field.fill("12");
    await field.press("Enter");
    await waitForText(page, "kpi-net-profit", expected.ticket_cost_12.net_profit);
    await page.waitForFunction(() => Number(document.querySelector("[data-testid=save-status]")?.dataset.saves) > 0);
    // The new version: another index.html, and the service worker the build writes for it.
    const index = join(dir, "index.html");
    writeFileSync(index, readFileSync(index, "utf8").replace("<title>Profitbook</title>", "<title>Profitbook (new)</title>"));
    execFileSync("node", [new URL("../../scripts/service-worker.mjs", import.meta.url).pathname, dir]);
    await page.reload();
    await page.getByTestId("customer-table").locator("tbody tr").first().waitFor();
    assert.equal(await page.title(), "Profitbook (new)");
    await waitForText(page, "kpi-net-profit", expected.ticket_cost_12.net_profit);
    await page.close();
  } finally {
    await copy.close();
  }
});
