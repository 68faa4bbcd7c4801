// Starts the client. A file rather than an inline script, so that the Content-Security-Policy
// allows only the server's own scripts.
//
// The client is built once per group of screens (web-client/Cargo.toml's features), and each group
// has its own page (live.html, chair.html, index.html), which the server picks by the address. The
// page names its bundle's glue and module in links that make the browser fetch both as soon as
// the page arrives, at the same time as this script; this starts the bundle the page names.
//
// A screen of a meeting (the participant's, the display's or the chair's page, with ?meeting=)
// opens its WebSocket here too, while the module downloads, rather than a round trip after it
// runs: the client takes it over (web-client/src/live.rs) and says hello on it. "rostrum.v1" is
// shared::protocol::PROTOCOL.
if (document.documentElement.dataset.group !== "pages" && new URLSearchParams(location.search).has("meeting")) {
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  globalThis.rostrumSocket = new WebSocket(`${scheme}://${location.host}/ws`, "rostrum.v1");
  globalThis.rostrumSocket.openedAt = Date.now();
}
const glue = document.querySelector('link[rel="modulepreload"]').href;
const module = document.querySelector('link[rel="preload"][as="fetch"]').href;
const { default: init } = await import(glue);
init({ module_or_path: module });
