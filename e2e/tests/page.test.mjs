// The built page (dist/) in headless Chromium: it renders the sample company with the figures
// the native engine computes, adds up, logs no error and asks nothing of any other origin.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { serveDist } from "./server.mjs";
import { cents, launch, openWorkbook as open, paste } from "./browser.mjs";

const DIST = process.env.DIST ?? "../dist";
const EXPECTED = process.env.EXPECTED;
const BASE_PATH = "/tools/profitbook/";

let server;
let browser;
let expected;

before(async () => {
  assert.ok(EXPECTED, "EXPECTED must name the JSON written by `make sample-figures`");
  expected = JSON.parse(readFileSync(EXPECTED, "utf8"));
  server = await serveDist(DIST, BASE_PATH);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

const openWorkbook = () => open(browser, server.url);

test("the sample company's headline figures are the engine's", async () => {
  const { page, errors } = await openWorkbook();
  const text = (id) => page.getByTestId(id).textContent();
  assert.equal(await text("kpi-total-revenue"), expected.total_revenue);
  assert.equal(await text("kpi-net-profit"), expected.net_profit);
  assert.equal(await text("kpi-unprofitable-share"), expected.unprofitable_share);
  assert.equal(await text("kpi-whale-peak"), expected.whale_peak);
  assert.deepEqual(errors, []);
  await page.close();
});

test("every customer row shows the engine's figures, most profitable first", async () => {
  const { page } = await openWorkbook();
  const rows = await page.getByTestId("customer-table").locator("tbody tr").evaluateAll((trs) =>
    trs.map((tr) => ({
      id: tr.dataset.customerId,
      cells: [...tr.querySelectorAll("td, th")].map((cell) => cell.textContent),
    })),
  );
  assert.equal(rows.length, expected.rows.length);
  rows.forEach((row, i) => {
    const want = expected.rows[i];
    assert.equal(row.id, want.customer_id, `row ${i + 1}`);
    assert.equal(row.cells[0], want.customer_id);
    assert.equal(row.cells[2], want.revenue, `${want.customer_id} revenue`);
    assert.equal(row.cells[3], want.gross_margin, `${want.customer_id} gross margin`);
    assert.equal(row.cells[4], want.cost_to_serve, `${want.customer_id} cost to serve`);
    assert.equal(row.cells[5], want.net_profit, `${want.customer_id} net profit`);
    assert.equal(row.cells[6], want.net_margin ?? "n/a", `${want.customer_id} net margin`);
  });
  await page.close();
});

test("the customer lines on screen add up to the totals on screen, to the cent", async () => {
  const { page } = await openWorkbook();
  const table = page.getByTestId("customer-table");
  const column = (n) =>
    table.locator(`tbody tr td:nth-child(${n})`).allTextContents();
  for (const [n, total] of [
    [3, "total-revenue"],
    [5, "total-cost-to-serve"],
    [6, "total-net-profit"],
  ]) {
    const sum = (await column(n)).map(cents).reduce((a, b) => a + b, 0n);
    assert.equal(sum, cents(await page.getByTestId(total).textContent()), total);
  }
  // The table's total is the headline figure, to the cent.
  assert.equal(
    cents(await page.getByTestId("total-net-profit").textContent()),
    cents(await page.getByTestId("kpi-net-profit").textContent()),
  );
  await page.close();
});

test("the page requests nothing outside its own origin and obeys its CSP", async () => {
  const { page, requests, errors } = await openWorkbook();
  await page.waitForLoadState("networkidle");
  assert.ok(requests.length >= 3, `expected the page, its script and wasm; saw ${requests}`);
  const foreign = requests.filter((url) => !url.startsWith(server.origin + BASE_PATH));
  assert.deepEqual(foreign, []);
  const csp = await page
    .locator('meta[http-equiv="Content-Security-Policy"]')
    .getAttribute("content");
  assert.match(csp, /default-src 'self'/);
  assert.match(csp, /script-src 'self' 'wasm-unsafe-eval' 'sha256-[A-Za-z0-9+/=]+'/);
  assert.doesNotMatch(csp, /unsafe-inline|INLINE-SCRIPT-HASHES/);
  assert.deepEqual(errors, [], "no console error, no CSP violation");
  await page.close();
});

test("the whale curve reads out any customer by pointer or keyboard, and has a table", async () => {
  const { page, errors } = await openWorkbook();
  const chart = page.getByTestId("whale-curve");
  const readout = page.getByTestId("whale-readout");
  const w = expected.whale;
  assert.equal(await chart.getByRole("heading").textContent(), "Whale curve");
  // The drawn path: the origin and a point for each of the 200 customers (at most 360).
  const d = await page.getByTestId("whale-path").getAttribute("d");
  assert.equal(d.split("L").length - 1, w.customers);

  // Point at the peak: the drawing is 720 units wide, the plot from 92 to 704.
  const svg = chart.locator("svg");
  await svg.scrollIntoViewIfNeeded();
  const box = await svg.boundingBox();
  const peakX = 92 + ((720 - 92 - 16) * w.peak_customers) / w.customers;
  await page.mouse.move(box.x + (peakX * box.width) / 720, box.y + box.height / 2);
  const atPeak = await readout.textContent();
  assert.match(atPeak, new RegExp(`customer ${w.peak_customers} of ${w.customers}: cumulative net profit ${w.peak_profit},`));

  // Keyboard: Home is the most profitable customer, End the whole company.
  await svg.focus();
  await page.keyboard.press("Home");
  const first = await readout.textContent();
  const want = `${w.first.name} (${w.first.id}), customer 1 of ${w.customers}: cumulative net profit ${w.first.cumulative}, `;
  assert.ok(first.startsWith(want), `${first} should start with ${want}`);
  await page.keyboard.press("End");
  assert.match(
    await readout.textContent(),
    new RegExp(`customer ${w.customers} of ${w.customers}: cumulative net profit ${expected.net_profit}, 100\\.0% of total net profit$`),
  );
  assert.equal(await svg.getAttribute("aria-valuenow"), String(w.customers));

  // The table: the curve after each tenth of the customers, as the engine computes it.
  await chart.getByText("Show as a table").click();
  const rows = await page.getByTestId("whale-table").locator("tbody tr").evaluateAll((trs) =>
    trs.map((tr) => [...tr.querySelectorAll("td")].map((td) => td.textContent)),
  );
  assert.deepEqual(
    rows.map((r) => [Number(r[1]), r[2], r[3]]),
    w.deciles.map((p) => [p.customers, p.cumulative, p.share]),
  );
  assert.equal(rows.at(-1)[0], "100.0%");
  assert.deepEqual(errors, []);
  await page.close();
});

test("the whale curve's peak and total labels do not overlap when the peak is the total", async () => {
  const { page, errors } = await openWorkbook();
  // Two customers that both make a profit: the curve peaks at its end, at the total.
  await paste(page, "Customer\tRevenue\nA1\t1,000.00\nA2\t500.00\n");
  await page.getByTestId("pending-source").waitFor();
  await page.getByTestId("import-confirm").click();
  await page.getByTestId("import-summary").waitFor();
  const peak = page.getByTestId("whale-peak-label");
  await page.waitForFunction(() => /after 2 customers/.test(document.querySelector("[data-testid=whale-peak-label]")?.textContent));
  const total = page.getByTestId("whale-total-label");
  // The peak's value is the total's.
  assert.equal((await peak.textContent()).match(/Peak (.*) after/)[1], (await total.textContent()).replace("Total net profit ", ""));
  const [a, b] = [await peak.boundingBox(), await total.boundingBox()];
  const apart = a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y;
  assert.ok(apart, `peak label ${JSON.stringify(a)} overlaps total label ${JSON.stringify(b)}`);
  assert.deepEqual(errors, []);
  await page.close();
});

test("a customer's detail shows its action and why, its waterfall and its referrals", async () => {
  const { page, errors } = await openWorkbook();
  const d = expected.detail;
  const row = page.locator(`tr[data-customer-id="${d.id}"]`);
  await row.getByTestId("open-customer").click();
  const dialog = page.getByTestId("customer-detail");
  await dialog.waitFor({ state: "visible" });
  assert.equal(await dialog.locator("h2").textContent(), d.name);
  assert.equal(await page.getByTestId("detail-action").textContent(), `Recommended action: ${d.action}. Why: ${d.why}`);
  await dialog.getByText("Show as a table").first().click();
  assert.equal(await page.getByTestId("detail-revenue").textContent(), d.revenue);
  assert.equal(await page.getByTestId("detail-cogs").textContent(), d.cogs);
  assert.equal(await page.getByTestId("detail-net-profit").textContent(), d.net_profit);
  assert.equal(await page.getByTestId("detail-referral-value").textContent(), `+${d.referral_value}`);
  assert.equal(await page.getByTestId("detail-total-value").textContent(), d.total_value);
  const referrals = await page.getByTestId("detail-referrals").locator("li").allTextContents();
  assert.ok(referrals.includes(`Brought in ${d.referred}`), referrals.join(" | "));
  assert.ok((await page.getByTestId("detail-months").locator("tr").count()) >= 12);
  // Escape closes it, as any dialog.
  await page.keyboard.press("Escape");
  await dialog.waitFor({ state: "hidden" });
  assert.deepEqual(errors, []);
  await page.close();
});

test("the profitability matrix and the groups chart add up to the company", async () => {
  const { page, errors } = await openWorkbook();
  const withRevenue = expected.rows.filter((r) => r.net_margin !== null).length;
  const matrix = page.getByTestId("profitability-matrix");
  assert.equal(await matrix.locator("circle.dot").count(), withRevenue);
  // Clicking a point opens that customer's detail: the largest, drawn last, on top.
  const largest = expected.rows.reduce((a, b) => (cents(b.revenue) > cents(a.revenue) ? b : a));
  const point = matrix.locator("circle.dot").last();
  const title = await point.locator("title").textContent();
  const name = title.slice(0, title.indexOf(` (${largest.customer_id}): `));
  assert.ok(name.length > 0, title);
  await point.click();
  const dialog = page.getByTestId("customer-detail");
  await dialog.waitFor();
  assert.equal(await dialog.locator("#detail-title").textContent(), name);
  await page.keyboard.press("Escape");
  await dialog.waitFor({ state: "hidden" });
  await matrix.getByText("Show as a table").click();
  const quadrants = await page.getByTestId("matrix-table").locator("tbody tr").evaluateAll((trs) =>
    trs.map((tr) => [...tr.querySelectorAll("td")].map((td) => td.textContent)),
  );
  assert.equal(quadrants.length, 5);
  assert.equal(quadrants.map((q) => Number(q[0])).reduce((a, b) => a + b, 0), expected.rows.length);
  assert.equal(quadrants.map((q) => cents(q[2])).reduce((a, b) => a + b, 0n), cents(expected.net_profit));

  const groups = page.getByTestId("segment-chart");
  await groups.getByText("Show as a table").click();
  for (const column of ["segment", "region"]) {
    await page.getByTestId("segment-attribute").selectOption(column);
    await page.waitForFunction(
      (c) => document.querySelector("[data-testid=segment-table] thead th")?.textContent === c,
      column,
    );
    const rows = await page.getByTestId("segment-table").locator("tbody tr").evaluateAll((trs) =>
      trs.map((tr) => [...tr.querySelectorAll("td")].map((td) => td.textContent)),
    );
    assert.ok(rows.length >= 2, `${column}: ${rows.length} groups`);
    assert.equal(rows.map((r) => Number(r[0])).reduce((a, b) => a + b, 0), expected.rows.length);
    assert.equal(rows.map((r) => cents(r[4])).reduce((a, b) => a + b, 0n), cents(expected.net_profit), column);
  }
  assert.deepEqual(errors, []);
  await page.close();
});

test("drifting customers are counted by the month their loss began, as the engine finds them", async () => {
  const { page, errors } = await openWorkbook();
  const drift = page.getByTestId("drift-chart");
  await page.waitForFunction(() => document.querySelector("[data-testid=drift-summary]")?.textContent !== "");
  assert.match(await page.getByTestId("drift-summary").textContent(), new RegExp(`^${expected.drift.crossed} customers crossed into loss`));
  assert.equal(await drift.locator("rect.bar").count(), expected.drift.by_month.length);
  await drift.getByText("Show the customers").click();
  const since = await page.getByTestId("drift-table").locator("tbody tr td:nth-child(3)").allTextContents();
  assert.equal(since.length, expected.drift.crossed);
  // Grouped by month as the engine counts them.
  const counted = {};
  for (const m of since) counted[m] = (counted[m] ?? 0) + 1;
  assert.deepEqual(
    Object.entries(counted),
    expected.drift.by_month.map((b) => [b.month, b.customers]),
  );
  // A drifting customer opens its detail, where the same month is named.
  await page.getByTestId("drift-table").locator("tbody tr").first().getByRole("button").click();
  assert.match(await page.getByTestId("detail-drift").textContent(), new RegExp(`since ${since[0]}`));
  assert.deepEqual(errors, []);
  await page.close();
});

test("large type scales the whole page for a projector, without breaking the layout, and is remembered", async () => {
  const { page, errors } = await openWorkbook();
  await page.setViewportSize({ width: 1280, height: 800 });
  const rootSize = () => page.evaluate(() => getComputedStyle(document.documentElement).fontSize);
  const overflows = () =>
    page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth);
  assert.equal(await rootSize(), "16px");
  const kpi = page.getByTestId("kpi-net-profit");
  const before = (await kpi.boundingBox()).height;
  await page.getByTestId("large-type").click();
  assert.equal(await page.getByTestId("large-type").getAttribute("aria-pressed"), "true");
  assert.equal(await rootSize(), "20px");
  assert.ok((await kpi.boundingBox()).height > before, "the headline figures grow");
  assert.equal(await overflows(), false, "no sideways scrolling at 1280 px");
  await page.reload();
  await page.getByTestId("customer-table").locator("tbody tr").first().waitFor();
  assert.equal(await rootSize(), "20px");
  assert.equal(await page.getByTestId("large-type").getAttribute("aria-pressed"), "true");
  assert.deepEqual(errors, []);
  await page.close();
});

test("every text on the page has WCAG AA contrast against what is behind it", async () => {
  const { page, errors } = await openWorkbook();
  // Open what is folded away so its text is measured too.
  for (const summary of await page.locator("details > summary").all()) await summary.click();
  const { failures, measured } = await page.evaluate(() => {
    const rgba = (css) => {
      const m = css.match(/rgba?\(([^)]+)\)/);
      if (!m) return null;
      const [r, g, b, a = 1] = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
      return { r, g, b, a };
    };
    const luminance = ({ r, g, b }) => {
      const c = [r, g, b].map((v) => {
        const s = v / 255;
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
    };
    // The first opaque background behind an element (the page is white).
    const background = (el) => {
      for (let e = el; e; e = e.parentElement) {
        const c = rgba(getComputedStyle(e).backgroundColor);
        if (c && c.a > 0.9) return c;
      }
      return { r: 255, g: 255, b: 255, a: 1 };
    };
    const out = [];
    let measured = 0;
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const el = node.parentElement;
      if (!node.textContent.trim() || !el || el.closest("svg, [disabled], [hidden], option")) continue;
      const style = getComputedStyle(el);
      if (style.visibility === "hidden" || style.display === "none" || el.getClientRects().length === 0) continue;
      measured += 1;
      const fg = rgba(style.color);
      const bg = background(el);
      const [l1, l2] = [luminance(fg), luminance(bg)].sort((a, b) => b - a);
      const ratio = (l1 + 0.05) / (l2 + 0.05);
      const size = parseFloat(style.fontSize);
      const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
      if (ratio < (large ? 3 : 4.5)) out.push(`${el.tagName}.${el.className}: ${ratio.toFixed(2)} "${node.textContent.trim().slice(0, 30)}"`);
    }
    return { failures: [...new Set(out)], measured };
  });
  // The sample's 250 table rows alone hold over a thousand texts.
  assert.ok(measured > 1000, `measured ${measured} texts`);
  assert.deepEqual(failures, []);
  assert.deepEqual(errors, []);
  await page.close();
});
