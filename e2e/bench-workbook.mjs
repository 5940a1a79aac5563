// The workbook in a meeting, timed in headless Chromium: a per-customer summary of N customers is
// dropped on the built page (as a person would), then
// - the cost-per-ticket slider is moved 15 times; each move is timed from the input event to
//   the first animation frame after the headline net profit shows the new figure, and to the
//   frame after that (by then the new figures have been painted);
// - the customer table is scrolled through 120 frames at 100 px a frame (a wheel) and at 600 px
//   a frame (a fling), and the time between frames is recorded.
// Run by `make bench-workbook` after `make dist`; `node bench-workbook.mjs DIST [customers...]`.
import { serveDist } from "./tests/server.mjs";
import { launch, openWorkbook } from "./tests/browser.mjs";

const dist = process.argv[2] ?? "../dist";
const sizes = process.argv.slice(3).map(Number);
const server = await serveDist(dist, "/");
const browser = await launch();
console.log(`Chromium ${browser.version()}`);

const median = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
const max = (v) => Math.max(...v);
const ms = (v) => v.toFixed(1);

for (const customers of sizes.length ? sizes : [100_000, 1_000_000]) {
  const { page } = await openWorkbook(browser, server.url);
  await page.evaluate((customers) => {
    const lines = ["customer_id,name,revenue,service_hours,tickets,orders"];
    for (let i = 0; i < customers; i++) {
      lines.push(`C${i},Customer ${i},${1000 + ((i * 7919) % 100000)}.50,${i % 13},${i % 5},${i % 11}`);
    }
    const file = new File([lines.join("\n") + "\n"], "customers.csv", { type: "text/csv" });
    const data = new DataTransfer();
    data.items.add(file);
    document.body.dispatchEvent(new DragEvent("drop", { dataTransfer: data, bubbles: true, cancelable: true }));
  }, customers);
  await page.getByTestId("pending-source").waitFor({ timeout: 120_000 });
  await page.getByTestId("import-confirm").click();
  await page.getByTestId("import-file-summary").waitFor({ timeout: 300_000 });
  // Let the page settle: the drift search and the first save run after an import.
  await page.waitForTimeout(3000);

  const moves = await page.evaluate(async () => {
    const slider = document.querySelector('[data-testid="assumption-cost_per_ticket-slider"]');
    const kpi = document.querySelector('[data-testid="kpi-net-profit"]');
    const frame = () => new Promise((resolve) => requestAnimationFrame(() => resolve(performance.now())));
    const times = [];
    for (let k = 0; k < 15; k++) {
      await frame();
      const before = kpi.textContent;
      const start = performance.now();
      slider.value = String(7 + (k % 5));
      slider.dispatchEvent(new Event("input", { bubbles: true }));
      let shown = await frame();
      while (kpi.textContent === before) shown = await frame();
      const painted = await frame();
      times.push([shown - start, painted - start]);
    }
    return times;
  });

  const scroll = (step) =>
    page.evaluate(async (step) => {
      const scroller = document.querySelector(".customers .table-scroll");
      scroller.scrollIntoView();
      const frame = () => new Promise((resolve) => requestAnimationFrame(() => resolve(performance.now())));
      let last = await frame();
      const gaps = [];
      for (let k = 0; k < 120; k++) {
        scroller.scrollTop += step;
        const now = await frame();
        gaps.push(now - last);
        last = now;
      }
      return gaps;
    }, step);
  const wheel = await scroll(100);
  const fling = await scroll(600);

  const shown = moves.map((m) => m[0]);
  const painted = moves.map((m) => m[1]);
  console.log(
    `slider_move customers=${customers} to_figures_median_ms=${ms(median(shown))} max_ms=${ms(max(shown))} ` +
      `to_painted_median_ms=${ms(median(painted))} max_ms=${ms(max(painted))}`,
  );
  for (const [name, gaps] of [["100px", wheel], ["600px", fling]]) {
    console.log(`table_scroll_${name}_a_frame customers=${customers} frame_gap_median_ms=${ms(median(gaps))} max_ms=${ms(max(gaps))}`);
  }
  await page.close();
}
await browser.close();
await server.close();
