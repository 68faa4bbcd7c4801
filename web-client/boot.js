// Starts the client. A file rather than an inline script, so that the Content-Security-Policy
// allows only the server's own scripts.
//
// The client is built once per group of screens (web-client/Cargo.toml's features), so that a
// phone opening the participant's view loads neither the chair's console nor the accreditation
// pages. This picks the bundle by the address; a bundle reached another group's screen through a
// link loads the page again, and this picks again. `make web` puts hashed names in place of these.
const bundles = {
  live: ["/rostrum-live.js", "/rostrum-live_bg.wasm"],
  chair: ["/rostrum-chair.js", "/rostrum-chair_bg.wasm"],
  pages: ["/rostrum-pages.js", "/rostrum-pages_bg.wasm"],
};
const groups = { "/speak": "live", "/display": "live", "/chair": "chair" };
const [glue, module] = bundles[groups[location.pathname.replace(/\/+$/, "")] || "pages"];
const { default: init } = await import(glue);
init({ module_or_path: module });
