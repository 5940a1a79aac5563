// Takes a screenshot of the built page: node e2e/screenshot.mjs [dist] [out.png]
// Used for the README picture and to look at a change as a person would.
import { serveDist } from "./tests/server.mjs";
import { launch } from "./tests/browser.mjs";

const dist = process.argv[2] ?? "dist";
const out = process.argv[3] ?? "docs/screenshot.png";
const server = await serveDist(dist, "/");
const browser = await launch();
const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
await page.goto(server.url);
await page.getByTestId("customer-table").locator("tbody tr").first().waitFor();
await page.screenshot({ path: out });
await browser.close();
await server.close();
console.log(`wrote ${out}`);
