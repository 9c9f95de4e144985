// The baseline for bench/sms-throughput.ts: a bare Express endpoint with the same load shape as
// POST /v1/messages (JSON in, 202 + a JSON message out) and no work behind it.
import { randomUUID } from 'node:crypto';
import express from 'express';

const app = express();
app.use(express.json());
app.post('/v1/messages', (req, res) => {
  const now = new Date().toISOString();
  const { to, body } = req.body as { to: string; body: string };
  res.status(202).json({
    success: true,
    message: {
      id: randomUUID(),
      direction: 'outbound',
      to,
      from: '+12125550100',
      body,
      status: 'queued',
      template: null,
      twilio_sid: null,
      error_code: null,
      error_message: null,
      created_at: now,
      updated_at: now,
    },
  });
});
const server = app.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`listening ${typeof address === 'object' && address ? address.port : ''}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
