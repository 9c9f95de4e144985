-- Fallback answers: every time the orchestrator answered a caller without the agent's normal path
-- (the turn ran out of time, the model or the call state was unavailable), one row. Until now they
-- were only a Prometheus counter without the tenant; the platform's tenant health view counts
-- these rows per tenant for the last 24 h. Written after the answer is sent, never awaited on the
-- call path (a database that is down loses the row, and the log line still says so).

-- CreateTable
CREATE TABLE "fallback_answers" (
    "customer_id" INTEGER NOT NULL,
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "call_sid" TEXT NOT NULL,
    -- Why: turn_budget_exceeded, model_unavailable, call_state_unavailable, ...
    "reason" TEXT NOT NULL,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "fallback_answers_pkey" PRIMARY KEY ("customer_id","id")
);

-- CreateIndex
CREATE INDEX "fallback_answers_customer_id_occurred_at_idx" ON "fallback_answers"("customer_id", "occurred_at");

-- AddForeignKey
ALTER TABLE "fallback_answers" ADD CONSTRAINT "fallback_answers_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE RESTRICT ON UPDATE RESTRICT;

-- Grants
GRANT SELECT, INSERT, UPDATE, DELETE ON "fallback_answers" TO neurosphere_app, neurosphere_platform;

-- Row-level security, exactly as 20261129000100_tenant_isolation sets it on every tenant table.
ALTER TABLE "fallback_answers" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "fallback_answers" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "fallback_answers" AS PERMISSIVE FOR ALL TO neurosphere_app
    USING (customer_id = NULLIF(current_setting('app.customer_id', true), '')::integer)
    WITH CHECK (customer_id = NULLIF(current_setting('app.customer_id', true), '')::integer);
CREATE POLICY platform_all_rows ON "fallback_answers" AS PERMISSIVE FOR ALL TO neurosphere_platform
    USING (true) WITH CHECK (true);
