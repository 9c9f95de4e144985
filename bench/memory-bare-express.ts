/**
 * The baseline for bench/memory-context.ts: a bare Express 5 app answering the same route with a
 * fixed JSON body (JSON body parsing, no auth, no database). Run as a child process by the bench.
 */
import express from 'express';
import { emptyEnrichedContext } from './lib/empty-enriched-context';

const app = express();
app.disable('x-powered-by');
app.use(express.json());
app.get('/healthz', (_req, res) => {
  res.json({ status: 'ok' });
});
app.post('/v2/context/enriched', (req, res) => {
  const body = req.body as { customer_id?: number; user_id?: string };
  res.json(emptyEnrichedContext(body.customer_id ?? 0, body.user_id ?? ''));
});
app.listen(Number(process.env.PORT ?? 0), '127.0.0.1');
