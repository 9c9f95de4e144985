/* global require, process */
// The bare baseline of bench/idle-memory.ts: an Express 5 app that answers /healthz and nothing
// else, started the same way as the apps. Its resident memory is what Node and Express cost
// before any of the platform's code.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- plain CommonJS, so plain node runs it when the apps run from their build
const express = require('express');

const app = express();
app.get('/healthz', (_req, res) => {
  res.json({ status: 'ok' });
});
app.listen(Number(process.env.PORT), '127.0.0.1');
