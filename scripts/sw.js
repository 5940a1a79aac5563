// Profitbook's service worker: the page opens and works offline after the first visit.
// scripts/service-worker.mjs writes this file into dist/ after each build, with FILES (every
// file of the build) and VERSION (a hash of their contents) filled in.
//
// - Install: the whole build is cached under its version, so the first visit is enough.
// - Files whose names carry Trunk's content hash never change: served from the cache first.
// - Everything else (the page itself, the import worker's unhashed files) goes to the network
//   first, so a new version is picked up on the next visit, and falls back to the cache when
//   the network is off. The new worker waits until no tab uses the old one, so a workbook in
//   use keeps the files it started with.
// - Activate: caches of older versions are deleted.
const VERSION = "__VERSION__";
const FILES = __FILES__;
const CACHE = `profitbook-${VERSION}`;
const HASHED = /-[0-9a-f]{12,16}(_bg)?\.[a-z0-9]+$/;

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(["./", ...FILES])));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys().then((keys) =>
      Promise.all(
        keys.filter((k) => k.startsWith("profitbook-") && k !== CACHE).map((k) => caches.delete(k)),
      ),
    ),
  );
});

async function networkFirst(request) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    if (response.ok) cache.put(request, response.clone());
    return response;
  } catch (offline) {
    const cached =
      (await cache.match(request, { ignoreSearch: true })) ??
      (request.mode === "navigate" ? await cache.match("./") : undefined);
    if (cached) return cached;
    throw offline;
  }
}

async function cacheFirst(request) {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(request);
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) cache.put(request, response.clone());
  return response;
}

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  // Only the page's own files: nothing else is ever requested (see the CSP).
  if (event.request.method !== "GET" || url.origin !== self.location.origin) return;
  event.respondWith(HASHED.test(url.pathname) ? cacheFirst(event.request) : networkFirst(event.request));
});
