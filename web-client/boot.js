// Starts the client. A file rather than an inline script, so that the Content-Security-Policy
// allows only the server's own scripts.
//
// The client is built once per group of screens (web-client/Cargo.toml's features), and each group
// has its own page (live.html, chair.html, index.html), which the server picks by the address. The
// page names its bundle's glue and module in links that make the browser fetch both as soon as
// the page arrives, at the same time as this script; this starts the bundle the page names.
//
// A screen of a meeting (the participant's, the display's, the booth's or the chair's page, with
// ?meeting=; the secretariat's console reads a meeting over HTTP and opens no socket)
// opens its WebSocket here too, while the module downloads, rather than a round trip after it
// runs, and says hello on it as soon as it opens (docs/protocol.md: the meeting from ?meeting=, the
// token from #token=), keeping what the server answers until the client takes the socket over
// (web-client/src/browser.rs, preopened_socket): the welcome and the meeting are then waiting for
// the module instead of a round trip behind it. A screen with a token asks for live presence
// (web-client/src/session.rs, Session::hello). The client takes the socket only if this hello is
// the one it would have sent, character for character; otherwise it closes it and opens its own.
// "rostrum.v1" is shared::protocol::PROTOCOL.
const query = new URLSearchParams(location.search);
if (["live", "chair"].includes(document.documentElement.dataset.group) && query.has("meeting")) {
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  const socket = new WebSocket(`${scheme}://${location.host}/ws`, "rostrum.v1");
  const token = new URLSearchParams(location.hash.slice(1)).get("token");
  socket.hello = JSON.stringify({ type: "hello", protocol: "rostrum.v1", ...(token ? { token } : {}), meeting: query.get("meeting"), ...(token ? { presence: true } : {}) });
  socket.received = [];
  socket.addEventListener("open", () => socket.send(socket.hello));
  socket.onmessage = (message) => socket.received.push([Date.now(), message.data]);
  globalThis.rostrumSocket = socket;
}
const glue = document.querySelector('link[rel="modulepreload"]').href;
const module = document.querySelector('link[rel="preload"][as="fetch"]').href;
const { default: init } = await import(glue);
init({ module_or_path: module });
// Every screen shows a clock through the browser's Intl.DateTimeFormat, and the first one a page
// makes loads the browser's locale data: 120 ms of a slowed phone's CPU, measured, which would
// otherwise come after the module has arrived. Made now, it is done while the module downloads.
new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format();
