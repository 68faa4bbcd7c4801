// Starts the client. A file rather than an inline script, so that the Content-Security-Policy
// allows only the server's own scripts.
import init from "/rostrum.js";
init({ module_or_path: "/rostrum_bg.wasm" });
