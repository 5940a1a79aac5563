// Trunk's post-build steps, in order (see Trunk.toml).
await import("./csp-hash.mjs");
await import("./service-worker.mjs");
