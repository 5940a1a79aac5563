// Trunk post-build hook: allow the page's inline scripts (Trunk's start-up script) in the
// Content-Security-Policy by their SHA-256 hashes, in place of the INLINE-SCRIPT-HASHES token.
// A static page cannot use a nonce (it would be the same on every load), and 'unsafe-inline'
// would allow any injected script.
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const dir = process.env.TRUNK_STAGING_DIR ?? process.argv[2];
if (!dir) {
  console.error("csp-hash: no TRUNK_STAGING_DIR and no folder given");
  process.exit(2);
}
const file = join(dir, "index.html");
let html = readFileSync(file, "utf8");
const token = "INLINE-SCRIPT-HASHES";
const policy = /(<meta http-equiv="Content-Security-Policy" content="[^"]*)INLINE-SCRIPT-HASHES/;
if (!policy.test(html)) {
  console.error(`csp-hash: ${file} has no ${token} token in its Content-Security-Policy`);
  process.exit(1);
}
const hashes = [];
for (const match of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)) {
  const [, attributes, body] = match;
  if (/\bsrc\s*=/.test(attributes) || body.length === 0) continue;
  hashes.push(`'sha256-${createHash("sha256").update(body, "utf8").digest("base64")}'`);
}
html = html.replace(policy, (_, before) => before + hashes.join(" "));
writeFileSync(file, html);
console.error(`csp-hash: ${hashes.length} inline script(s) allowed by hash`);
