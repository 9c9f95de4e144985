import { spawn } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import { SOURCE_NODE_ARGS } from './source-node-args';

export interface PacedRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}

export interface PacedLoadResult {
  /** Latency of every answered measured request in ms, from its scheduled start (so queueing in the client counts). */
  latenciesMs: number[];
  /** Non-2xx answers and transport errors, warm-up included. */
  failures: number;
  /** Length of the measured part. */
  seconds: number;
  /** Requests sent before the measured part (not in `latenciesMs`); they cost the servers CPU too. */
  warmupRequests: number;
}

/**
 * What one paced run sends: `warmupRequests`, then (once they are all answered) `requests`, each
 * in order, evenly spaced at `ratePerSecond`, over the same connections.
 */
export interface PacedLoadPlan {
  port: number;
  connections: number;
  ratePerSecond: number;
  warmupRequests: PacedRequest[];
  requests: PacedRequest[];
}

/**
 * Seconds of paced requests the load process sends, unrecorded, before the measured part. The
 * load process is new for every run, so without them its first requests opened the connections
 * and ran its HTTP client code before V8 had compiled it: in six runs, 3 to 8 of the 40
 * requests that set a 4,000-request run's p99 fell in its first second, where an even spread
 * puts 2. The servers are warmed separately
 * (the bench's closed-loop warm-up).
 */
export const PACED_WARMUP_SECONDS = 2;

/**
 * A paced run of `ratePerSecond * seconds` requests, after PACED_WARMUP_SECONDS of unrecorded
 * ones, sent from a fresh child process (lib/paced-load-child.ts). The requests are built here
 * first, in order. Sending them from this process measured its own garbage collection too: after
 * the closed-loop runs the bench process's heap is large, and a pause there delayed dozens of
 * evenly spaced requests at once, which then counted as server latency (latency runs from each
 * request's due time).
 */
export async function runPacedLoad(options: {
  port: number;
  connections: number;
  ratePerSecond: number;
  seconds: number;
  nextRequest: () => PacedRequest;
}): Promise<PacedLoadResult> {
  const total = Math.round(options.ratePerSecond * options.seconds);
  const warmup = Math.round(options.ratePerSecond * PACED_WARMUP_SECONDS);
  const plan: PacedLoadPlan = {
    port: options.port,
    connections: options.connections,
    ratePerSecond: options.ratePerSecond,
    warmupRequests: Array.from({ length: warmup }, () => options.nextRequest()),
    requests: Array.from({ length: total }, () => options.nextRequest()),
  };
  const child = spawn(process.execPath, [...SOURCE_NODE_ARGS, path.join(__dirname, 'paced-load-child.ts')], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const output: Buffer[] = [];
  child.stdout.on('data', (chunk: Buffer) => output.push(chunk));
  const exited = new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => resolve(code));
  });
  child.stdin.end(JSON.stringify(plan));
  const code = await exited;
  if (code !== 0) throw new Error(`the paced load process exited with code ${code}`);
  return JSON.parse(Buffer.concat(output).toString('utf8')) as PacedLoadResult;
}

/**
 * Open-loop load at an even rate over a fixed pool of keep-alive connections: request i is due at
 * start + i / rate, whatever happened to the ones before. autocannon's `overallRate` releases each
 * second's budget in a burst, which measures queueing behind the burst rather than the latency a
 * steady stream of callers sees; this spaces arrivals evenly instead. Latency runs from the due
 * time, so a request that waits for a free connection is not flattered (no coordinated omission).
 */
export async function runPacedLoadHere(options: PacedLoadPlan): Promise<PacedLoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.connections });
  const intervalMs = 1000 / options.ratePerSecond;
  let failures = 0;

  const send = (request: PacedRequest) =>
    new Promise<boolean>((resolve) => {
      const req = http.request(
        { host: '127.0.0.1', port: options.port, method: request.method, path: request.path, headers: request.headers, agent },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode !== undefined && res.statusCode >= 200 && res.statusCode < 300));
        },
      );
      req.on('error', () => resolve(false));
      req.end(request.body);
    });

  /** Sends `requests` evenly spaced from now; `onAnswer` gets each one's latency from its due time. */
  const pace = async (requests: PacedRequest[], onAnswer: (latencyMs: number) => void): Promise<void> => {
    const start = performance.now();
    const inFlight: Array<Promise<void>> = [];
    for (let i = 0; i < requests.length; i++) {
      const dueAt = start + i * intervalMs;
      const wait = dueAt - performance.now();
      if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
      inFlight.push(
        send(requests[i]!).then((ok) => {
          if (ok) onAnswer(performance.now() - dueAt);
          else failures += 1;
        }),
      );
    }
    await Promise.all(inFlight);
  };

  await pace(options.warmupRequests, () => {});
  const latenciesMs: number[] = [];
  const start = performance.now();
  await pace(options.requests, (latencyMs) => latenciesMs.push(latencyMs));
  const seconds = (performance.now() - start) / 1000;
  agent.destroy();
  return { latenciesMs, failures, seconds, warmupRequests: options.warmupRequests.length };
}
