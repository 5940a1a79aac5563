// Import speed in headless Chromium (`make bench-import`): a synthetic invoice export of ROWS
// rows (default 1,000,000, about 100 MB) imported by Profitbook in a fresh page (read, check
// every row, aggregate per customer and month, hand the model to the page), beside PapaParse
// parsing the same file plus a JavaScript group-by in another fresh page of the same browser.
// Both pages build the same file in memory with the same function, so nothing crosses from
// this script. Timed from the drop to the figures on screen, and to the moment the worker has
// checked and added up every row (the job PapaParse's figure measures) and starts sending its
// answer; the file is dragged over the page a moment before, as a person's drag is, which
// starts the import's worker. Prints MB/s, the worker's peak memory and
// how long the page went without a frame while importing. RUNS (default 3) runs of each, in
// turn, each in a fresh page, then the best and the median: this machine's speed varies from
// minute to minute, and runs side by side share its moods.
import { mkdtempSync, copyFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serveDist } from "./tests/server.mjs";
import { launch } from "./tests/browser.mjs";

const dist = process.argv[2] ?? "../dist";
const rows = Number(process.argv[3] ?? 1_000_000);
const runs = Number(process.env.RUNS ?? 3);
// How long the file is dragged over the page before it is dropped; timing starts at the drop.
const DRAG_MS = 300;

// Builds the export in the page as a File: columns as an accounting system writes them.
function makeFile(rows) {
  const parts = ["customer_id,customer_name,invoice_number,invoice_date,due_date,paid_date,amount,cost\n"];
  const pad = (n) => String(n).padStart(2, "0");
  let chunk = "";
  for (let i = 0; i < rows; i++) {
    const c = (i * 7919) % 100_000;
    const month = 1 + (i % 12);
    const amount = 100 + ((i * 104_729) % 500_000);
    const cost = Math.floor(amount * 0.6);
    const paid = i % 10 === 0 ? "" : `2025-${pad(month)}-${pad(1 + (i % 27))}`;
    chunk += `C${c},Customer ${c} Trading Ltd,INV-2025-${String(i).padStart(7, "0")},2025-${pad(month)}-01,2025-${pad(month)}-28,${paid},${Math.floor(amount / 100)}.${pad(amount % 100)},${Math.floor(cost / 100)}.${pad(cost % 100)}\n`;
    if (chunk.length > 1 << 20) {
      parts.push(chunk);
      chunk = "";
    }
  }
  parts.push(chunk);
  return new File(parts, "invoices.csv", { type: "text/csv" });
}

const browser = await launch();
console.log(`Chromium ${browser.version()}, ${rows.toLocaleString("en-US")} invoice rows`);

// Profitbook: drop the file, wait for its card, confirm, wait for the summary.
const app = await serveDist(dist, "/");
async function profitbook() {
  const page = await browser.newPage();
  await page.goto(app.url);
  await page.getByTestId("customer-table").locator("tbody tr").first().waitFor();
  const ours = await page.evaluate(
    async ([makeFileSource, rows, DRAG_MS]) => {
      const makeFile = new Function(`return (${makeFileSource})`)();
      const file = makeFile(rows);
      const appear = (selector) =>
        new Promise((resolve) => {
          const check = () => document.querySelector(selector) && (observer.disconnect(), resolve(performance.now()));
          const observer = new MutationObserver(check);
          observer.observe(document.body, { childList: true, subtree: true, attributes: true });
          check();
        });
      // The longest time between two frames until the summary is on screen, and in the
      // second after it (the frame that shows the summary and the imported figures, and the
      // charts drawn after it).
      let last = performance.now();
      let longestGap = 0;
      let summaryAt = Infinity;
      let afterGap = 0;
      let watched;
      const watchedAfter = new Promise((resolve) => (watched = resolve));
      // Timed when each frame's callback runs, not by the frame's own time: a frame that
      // waited for a long task is stamped with the time it was due, not the time it came.
      const frame = () => {
        const now = performance.now();
        if (now < summaryAt) {
          longestGap = Math.max(longestGap, now - last);
        } else {
          afterGap = Math.max(afterGap, now - last);
        }
        last = now;
        if (now < summaryAt + 1000) requestAnimationFrame(frame);
        else watched();
      };
      requestAnimationFrame(frame);

      // When each step's label first shows, for the breakdown, and when the worker has
      // checked and added up every row and starts sending the figures to the page.
      const steps = [];
      let sendingAt;
      new MutationObserver(() => {
        const progress = document.querySelector('[data-testid="import-progress"]');
        const label = progress?.querySelector('[data-testid="import-progress-label"]')?.textContent;
        if (label && steps.at(-1)?.label !== label) steps.push({ label, at: performance.now() });
        if (progress?.dataset.step === "import.step.sending") sendingAt ??= performance.now();
      }).observe(document.body, { childList: true, subtree: true, characterData: true, attributes: true });
      const data = new DataTransfer();
      data.items.add(file);
      // As a person's drag: the file enters the page (the worker starts), and is dropped a
      // moment later.
      document.body.dispatchEvent(new DragEvent("dragenter", { dataTransfer: data, bubbles: true, cancelable: true }));
      await new Promise((resolve) => setTimeout(resolve, DRAG_MS));
      // Frames are watched from the drop on (building the file left garbage that may be
      // collected before it, in a pause that is not the import's).
      const t0 = performance.now();
      [last, longestGap] = [t0, 0];
      document.body.dispatchEvent(new DragEvent("drop", { dataTransfer: data, bubbles: true, cancelable: true }));
      const t1 = await appear('[data-testid="pending-source"]');
      const t2 = performance.now();
      document.querySelector('[data-testid="import-confirm"]').click();
      const t3 = await appear('[data-testid="import-summary"]');
      summaryAt = t3;
      await watchedAfter;
      const summary = document.querySelector('[data-testid="import-file-summary"]');
      return {
        bytes: file.size,
        read: t1 - t0,
        importing: t3 - t2,
        // Up to the worker's answer: the job PapaParse's figure measures (parse and group).
        aggregated: sendingAt - t2,
        used: Number(summary.dataset.used),
        memory: Number(document.querySelector('[data-testid="import-summary"]').dataset.workerMemory),
        longestGap,
        afterGap,
        steps: steps.map((s) => `${s.label.replace(/[….]+$/, "").slice(0, 40)} at ${((s.at - t0) / 1000).toFixed(2)} s`),
        end: (t3 - t0) / 1000,
      };
    },
    [makeFile.toString(), rows, DRAG_MS],
  );
  await page.close();
  return ours;
}

// PapaParse (from e2e/node_modules) in its own page, no Content-Security-Policy.
const papaDir = mkdtempSync(join(tmpdir(), "papaparse-bench-"));
copyFileSync(new URL("./node_modules/papaparse/papaparse.min.js", import.meta.url), join(papaDir, "papaparse.min.js"));
writeFileSync(join(papaDir, "index.html"), '<!DOCTYPE html><script src="papaparse.min.js"></script><p>PapaParse</p>');
const papaServer = await serveDist(papaDir, "/");
async function papaparse() {
  const papaPage = await browser.newPage();
  await papaPage.goto(papaServer.url);
  const papa = await papaPage.evaluate(
    async ([makeFileSource, rows]) => {
      const makeFile = new Function(`return (${makeFileSource})`)();
      const file = makeFile(rows);
      const t0 = performance.now();
      const results = await new Promise((resolve) =>
        Papa.parse(file, { header: true, skipEmptyLines: true, complete: resolve }),
      );
      // The same job's aggregate in plain JavaScript: revenue per customer and month.
      const sums = new Map();
      for (const row of results.data) {
        const key = `${row.customer_id}|${row.invoice_date.slice(0, 7)}`;
        sums.set(key, (sums.get(key) ?? 0) + Number(row.amount));
      }
      return { bytes: file.size, seconds: (performance.now() - t0) / 1000, groups: sums.size, rows: results.data.length };
    },
    [makeFile.toString(), rows],
  );
  await papaPage.close();
  return papa;
}

const fmt = (seconds, bytes) => `${seconds.toFixed(2)} s, ${(bytes / 1e6 / seconds).toFixed(0)} MB/s`;
const ourRuns = [];
const papaRuns = [];
for (let run = 1; run <= runs; run++) {
  const ours = await profitbook();
  const papa = await papaparse();
  ourRuns.push(ours);
  papaRuns.push(papa);
  const mb = ours.bytes / 1e6;
  if (run === 1) console.log(`file: ${mb.toFixed(1)} MB, dragged over the page ${DRAG_MS} ms before the drop`);
  if (process.env.STEPS) console.log([...ours.steps, `summary at ${ours.end.toFixed(2)} s`].join("\n"));
  const ourSeconds = (ours.read + ours.importing) / 1000;
  const workerSeconds = (ours.read + ours.aggregated) / 1000;
  console.log(
    `run ${run}: Profitbook: read ${(ours.read / 1000).toFixed(2)} s + check and aggregate ${(ours.importing / 1000).toFixed(2)} s = ` +
      `${fmt(ourSeconds, ours.bytes)} (checked and added up by ${fmt(workerSeconds, ours.bytes)}); ` +
      `${ours.used.toLocaleString("en-US")} rows used; ` +
      `worker peak memory ${(ours.memory / 1e6).toFixed(0)} MB (${(ours.memory / ours.bytes).toFixed(1)}x the file); ` +
      `longest frame gap ${ours.longestGap.toFixed(0)} ms until the summary, ` +
      `${ours.afterGap.toFixed(0)} ms in the second after it`,
  );
  console.log(
    `run ${run}: PapaParse + group-by: ${fmt(papa.seconds, papa.bytes)}; ` +
      `${papa.rows.toLocaleString("en-US")} rows, ${papa.groups.toLocaleString("en-US")} customer-months`,
  );
}
await app.close();
await papaServer.close();
await browser.close();

const bestAndMedian = (seconds, bytes) => {
  const sorted = [...seconds].sort((a, b) => a - b);
  return `best ${fmt(sorted[0], bytes)}, median ${fmt(sorted[Math.floor((sorted.length - 1) / 2)], bytes)}`;
};
const bytes = ourRuns[0].bytes;
console.log(`Profitbook over ${runs} runs: ${bestAndMedian(ourRuns.map((o) => (o.read + o.importing) / 1000), bytes)}`);
console.log(
  `Profitbook's worker, the drop to every row checked and added up, over ${runs} runs: ` +
    bestAndMedian(ourRuns.map((o) => (o.read + o.aggregated) / 1000), bytes),
);
console.log(`PapaParse + group-by over ${runs} runs: ${bestAndMedian(papaRuns.map((p) => p.seconds), bytes)}`);
