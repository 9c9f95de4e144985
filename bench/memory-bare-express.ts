/**
 * The baseline for bench/memory-context.ts: a bare Express 5 app answering the same route with a
 * fixed JSON body (JSON body parsing, no auth, no database). Run as a child process by the bench.
 */
import express from 'express';

const app = express();
app.disable('x-powered-by');
app.use(express.json());
app.get('/healthz', (_req, res) => {
  res.json({ status: 'ok' });
});
app.post('/v2/context/enriched', (req, res) => {
  const body = req.body as { customer_id?: number; user_id?: string };
  res.json({
    success: true,
    customer_id: body.customer_id ?? 0,
    user_id: body.user_id ?? '',
    known_caller: false,
    quick_bio: null,
    recent_summaries: [],
    known_facts: {},
    personality: null,
    prompt_context: '',
  });
});
app.listen(Number(process.env.PORT ?? 0), '127.0.0.1');
