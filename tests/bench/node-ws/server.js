// The peer a user might pick instead of Rostrum: a minimal broadcast server on Node.js `ws`.
// Every text frame a client sends goes, as is, to every connected client. `make bench` starts it
// (`node server.js 127.0.0.1:0`) and reads the address from the first line it prints.
'use strict';
const { WebSocketServer } = require('ws');

const [host, port] = (process.argv[2] || '127.0.0.1:0').split(':');
const wss = new WebSocketServer({ host, port: Number(port), perMessageDeflate: false, clientTracking: true });

wss.on('connection', (socket) => {
  socket.on('message', (data, isBinary) => {
    // The same buffer for everyone, as a text frame: serialized once, like the other servers.
    for (const client of wss.clients) {
      if (client.readyState === 1) client.send(data, { binary: isBinary });
    }
  });
  socket.on('error', () => {});
});

wss.on('listening', () => {
  const address = wss.address();
  console.log(`listening on ws://${address.address}:${address.port}`);
});
