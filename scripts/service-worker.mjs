// Trunk post-build hook: writes sw.js into the build from scripts/sw.js, listing every file of
// the build (relative, so the page works under any sub-path) and a version that changes
// whenever any file does.
import { createHash } from "node:crypto";
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const dir = process.env.TRUNK_STAGING_DIR ?? process.argv[2];
if (!dir) {
  console.error("service-worker: no TRUNK_STAGING_DIR and no folder given");
  process.exit(2);
}
const files = readdirSync(dir, { recursive: true, withFileTypes: true })
  .filter((e) => e.isFile())
  .map((e) => join(e.parentPath ?? e.path, e.name).slice(dir.length).replace(/^[\\/]+/, "").replaceAll("\\", "/"))
  .filter((f) => f !== "sw.js" && f !== ".trunk-lock")
  .sort();
const hash = createHash("sha256");
for (const f of files) hash.update(f).update(readFileSync(join(dir, f)));
const version = hash.digest("hex").slice(0, 16);
const template = readFileSync(new URL("./sw.js", import.meta.url), "utf8");
const worker = template
  .replace("__VERSION__", version)
  .replace("__FILES__", JSON.stringify(files.map((f) => `./${f}`)));
writeFileSync(join(dir, "sw.js"), worker);
console.error(`service-worker: ${files.length} files cached as version ${version}`);
