// The engine benchmark in headless Chromium: serves dist/, opens it with ?bench and prints the
// figures the page measures. Run by `make bench-browser` after `make dist`.
import { serveDist } from "./tests/server.mjs";
import { launch } from "./tests/browser.mjs";

const dist = process.argv[2] ?? "../dist";
const server = await serveDist(dist, "/");
const browser = await launch();
const page = await browser.newPage();
// AGGREGATE_ROWS=N times only the aggregation of N invoices, alone in the page; TOUCH_MB=M
// besides touches M MB of the page's memory before its first run (memory's first use apart).
const rows = process.env.AGGREGATE_ROWS;
const touch = process.env.TOUCH_MB;
if (touch && !rows) console.error("TOUCH_MB is used only with AGGREGATE_ROWS: ignored");
await page.goto(`${server.url}?bench${rows ? `&aggregate_rows=${rows}` : ""}${rows && touch ? `&touch_mb=${touch}` : ""}`);
const results = page.getByTestId("bench-results");
await page.waitForFunction(
  () => !document.querySelector('[data-testid="bench-results"]')?.textContent.includes("running"),
  null,
  { timeout: 300_000 },
);
console.log(`Chromium ${browser.version()}`);
console.log(await results.textContent());
await browser.close();
await server.close();
