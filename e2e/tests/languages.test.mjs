// The workbook in each of its languages, in the built page: the browser's language chooses it,
// the picker changes it and the choice is remembered; figures, money and dates are written the
// language's way with the workbook's currency; nothing is left in English; exports follow.
// Texts are looked up in the translation tables themselves (crates/engine/src/i18n/*.rs).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { serveDist } from "./server.mjs";
import { launch, openWorkbook as open, restored, waitForText } from "./browser.mjs";
import { download, parseCsv, unzip, sheetRows, sheetNames } from "./files.mjs";

const TABLES = new URL("../../crates/engine/src/i18n/", import.meta.url);
const NBSP = "\u00a0";
let server;
let browser;
let expected;

before(async () => {
  expected = JSON.parse(readFileSync(process.env.EXPECTED, "utf8"));
  server = await serveDist(process.env.DIST ?? "../dist", "/");
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

// A language's table: texts by key, and the keys rightly the same as in English.
function table(code) {
  const source = readFileSync(new URL(`${code}.rs`, TABLES), "utf8");
  const texts = new Map(
    [...source.matchAll(/^ {4}\("((?:[^"\\]|\\.)*)", "((?:[^"\\]|\\.)*)"\),$/gm)].map(([, k, v]) => [
      k,
      JSON.parse(`"${v.replace(/\\u\{([0-9a-f]+)\}/g, "\\u$1")}"`),
    ]),
  );
  const same = new Set([...(source.match(/_SAME_AS_ENGLISH: &\[&str\] = &\[([^\]]*)\]/s)?.[1] ?? "").matchAll(/"([^"]+)"/g)].map((m) => m[1]));
  return { t: (key) => texts.get(key) ?? assert.fail(`no ${key} in ${code}.rs`), texts, same };
}

// An English money figure of the sample ("€33,532,555.19") as another language writes it.
function inLanguage(shown, { group, decimal }) {
  return shown.replace("€", "").replaceAll(",", "\u0000").replaceAll(".", decimal).replaceAll("\u0000", group);
}

const kpi = (page, id) => page.getByTestId(id).textContent();

test("the browser's language chooses the workbook's, and no text on screen is left in English", async () => {
  const { page, errors } = await open(browser, server.url, { locale: "pl-PL" });
  const pl = table("pl");
  const en = table("en");
  assert.equal(await page.locator("html").getAttribute("lang"), "pl");
  assert.equal(await page.getByTestId("language").inputValue(), "pl");
  // The sample's totals (README), Polish style: no-break spaces between thousands, a decimal
  // comma, the euro after the amount.
  const polish = (shown) => inLanguage(shown, { group: NBSP, decimal: "," }) + `${NBSP}€`;
  assert.equal(await kpi(page, "kpi-total-revenue"), polish(expected.total_revenue));
  assert.equal(await kpi(page, "kpi-net-profit"), polish(expected.net_profit));
  // 37 of 250 customers lose money: 14.8%; 250 takes Polish's "many" form (klientów).
  assert.equal(await kpi(page, "kpi-unprofitable-share"), expected.unprofitable_share.replace(".", ","));
  assert.equal(
    await page.locator(".kpi-detail").first().textContent(),
    pl.t("kpi.unprofitable_detail#many").replace("{count}", String(expected.unprofitable)).replace("{total}", "250"),
  );
  assert.equal(await page.getByTestId("whale-curve").getByRole("heading").first().textContent(), pl.t("chart.whale.title"));
  // The drift chart's months, read out on its first bar: "maj 2026", not "2026-05" or
  // "May 2026".
  await page.getByTestId("drift-summary").filter({ hasText: /\S/ }).waitFor();
  const month = expected.drift.by_month[0].month; // English, e.g. "May 2026"
  const [name, year] = month.split(" ");
  const number = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"].indexOf(name) + 1;
  const bar = await page.getByTestId("drift-chart").locator("rect.bar title").first().textContent();
  assert.ok(bar.startsWith(`${pl.t(`month.${number}`)} ${year}: `), bar);

  // Every English text that Polish words differently: none of it may be on the page.
  const shown = await page.evaluate(() => document.body.textContent);
  const leftovers = [];
  for (const [key, english] of en.texts) {
    if (pl.same.has(key) || pl.texts.get(key) === english) continue;
    for (const piece of english.split(/\{[a-z_]+\}/)) {
      if (piece.trim().length >= 16 && shown.includes(piece.trim())) leftovers.push(`${key}: ${piece.trim()}`);
    }
  }
  assert.deepEqual(leftovers, []);
  assert.deepEqual(errors, []);
  await page.close();
});

test("the picker switches the language, figures follow, and the choice is remembered", async () => {
  const { page, errors } = await open(browser, server.url, { locale: "en-US" });
  assert.equal(await kpi(page, "kpi-total-revenue"), expected.total_revenue);
  const cases = [
    ["hu", { group: ".", decimal: "," }, (n) => `${n}${NBSP}€`],
    ["es", { group: ".", decimal: "," }, (n) => `${n}${NBSP}€`],
    ["id", { group: ".", decimal: "," }, (n) => `€${n}`],
    ["pl", { group: NBSP, decimal: "," }, (n) => `${n}${NBSP}€`],
  ];
  for (const [code, style, withSign] of cases) {
    await page.getByTestId("language").selectOption(code);
    const revenue = withSign(inLanguage(expected.total_revenue, style));
    await waitForText(page, "kpi-total-revenue", revenue);
    const { t } = table(code);
    assert.equal(await page.locator(".kpi-label").first().textContent(), t("kpi.total_revenue"), code);
    assert.equal(await page.locator("html").getAttribute("lang"), code);
  }
  // Hungarian, then the forint: the currency labels the amounts and converts nothing.
  await page.getByTestId("language").selectOption("hu");
  await page.getByTestId("currency").selectOption("HUF");
  const forints = `${inLanguage(expected.total_revenue, { group: ".", decimal: "," })}${NBSP}Ft`;
  await waitForText(page, "kpi-total-revenue", forints); // 33.532.555,19 Ft
  const hu = table("hu");
  assert.equal(
    await page.getByTestId("currency-note").textContent(),
    hu.t("currency.changed").replace("{currency}", hu.t("currency.HUF")),
  );
  // After a reload: Hungarian (remembered by the browser, though it prefers English) and
  // forints (kept with the workbook).
  await page.waitForFunction(() => Number(document.querySelector("[data-testid=save-status]").dataset.saves) >= 1);
  await page.reload();
  await restored(page);
  await waitForText(page, "kpi-total-revenue", forints);
  assert.equal(await page.getByTestId("language").inputValue(), "hu");
  assert.equal(await page.getByTestId("currency").inputValue(), "HUF");
  assert.deepEqual(errors, []);
  await page.close();
});

test("exports follow the language: a decimal-comma CSV with the model's column names, Polish sheets and report", async () => {
  const { page, errors } = await open(browser, server.url, { locale: "pl-PL" });
  const pl = table("pl");
  await page.getByTestId("currency").selectOption("PLN");
  const zloty = (shown) => `${inLanguage(shown, { group: NBSP, decimal: "," })}${NBSP}zł`;
  await waitForText(page, "kpi-total-revenue", zloty(expected.total_revenue));

  // The CSV: Excel in Polish reads semicolons and decimal commas, so that is the default here;
  // the columns keep the model's names.
  assert.equal(await page.getByTestId("export-csv-locale").isChecked(), true);
  const csv = (await download(page, "export-csv")).bytes.toString("utf8");
  assert.ok(csv.startsWith("\ufeff"), "a byte-order mark for Excel");
  const [header, ...rows] = parseCsv(csv.slice(1), ";").filter((r) => r.length > 1);
  assert.deepEqual(header.slice(0, 3), ["customer_id", "customer_name", "revenue"]);
  assert.equal(rows.length, 250);
  const revenue = rows.map((r) => BigInt(r[2].replace(",", ""))).reduce((a, b) => a + b, 0n);
  assert.equal(revenue, BigInt(expected.total_revenue.replace(/[€,.]/g, ""))); // in grosze

  // The Excel workbook: its sheets named in Polish, the Summary in Polish with the currency.
  const parts = unzip((await download(page, "export-xlsx")).bytes);
  const names = sheetNames(parts);
  assert.deepEqual(names.slice(0, 2), [pl.t("export.sheet.summary"), pl.t("export.sheet.customers")]);
  const summary = sheetRows(parts["xl/worksheets/sheet1.xml"]).map((r) => r[0]);
  assert.ok(summary.includes(pl.t("report.title")), summary.join(" | "));
  assert.ok(summary.includes(pl.t("currency.amounts_in.PLN")), summary.join(" | "));
  // The Customers sheet keeps the machine-readable header of the CSV.
  assert.deepEqual(sheetRows(parts["xl/worksheets/sheet2.xml"])[0].slice(0, 3), ["customer_id", "customer_name", "revenue"]);

  // The report: in Polish, totals in złoty.
  await page.getByTestId("open-report").click();
  const report = page.getByTestId("report");
  await report.waitFor();
  assert.equal(await report.locator("h1").textContent(), pl.t("report.title"));
  assert.equal(await report.locator("[data-figure='kpi.total_revenue'] dd").textContent(), zloty(expected.total_revenue));
  assert.deepEqual(errors, []);
  await page.close();
});
