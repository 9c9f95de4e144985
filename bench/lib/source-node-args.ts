/**
 * Node arguments that run a TypeScript entry from source the way `node dist/main.js` runs the
 * build: CommonJS with tsx's require hook only. `--import tsx` also registers ESM loader hooks,
 * which keep a loader worker thread alive in every process. Measured here with the same paced
 * client against a bare Express endpoint (200 req/s, 32 connections, 3 runs each), the client
 * under `--import tsx` showed p99 3.3-7.2 ms and under `--require tsx/cjs` 2.5-3.6 ms: the
 * worker's own garbage collections (up to 28 ms, seen with --trace-gc) share the 2 cores with
 * the servers being measured, and production has no such thread.
 */
export const SOURCE_NODE_ARGS = ['--conditions=development', '--require', 'tsx/cjs'] as const;

/**
 * V8 flags the services run with in production: the same as their `start` scripts
 * (apps/<app>/package.json) and the container's CMD (Dockerfile). V8's memory reducer takes a
 * quieter spell for idleness and runs memory-reducing full collections: in the call benchmark,
 * 35-70 ms pauses ("Mark-Compact (reduce)" under --trace-gc) in a gateway serving 25 turns a
 * second. Those are latency spikes for a server, and memory is not what these processes are
 * short of.
 */
export const SERVICE_NODE_FLAGS = ['--no-memory-reducer'] as const;
