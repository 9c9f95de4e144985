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
  /** Latency of every answered request in ms, from its scheduled start (so queueing in the client counts). */
  latenciesMs: number[];
  /** Non-2xx answers and transport errors. */
  failures: number;
  seconds: number;
}

/** What one paced run sends: `requests` in order, evenly spaced at `ratePerSecond`. */
export interface PacedLoadPlan {
  port: number;
  connections: number;
  ratePerSecond: number;
  requests: PacedRequest[];
}

/**
 * A paced run of `ratePerSecond * seconds` requests, sent from a fresh child process
 * (lib/paced-load-child.ts). The requests are built here first, in order. Sending them from this
 * process measured its own garbage collection too: after the closed-loop runs the bench process's
 * heap is large, and a pause there delayed dozens of evenly spaced requests at once, which then
 * counted as server latency (latency runs from each request's due time).
 */
export async function runPacedLoad(options: {
  port: number;
  connections: number;
  ratePerSecond: number;
  seconds: number;
  nextRequest: () => PacedRequest;
}): Promise<PacedLoadResult> {
  const total = Math.round(options.ratePerSecond * options.seconds);
  const plan: PacedLoadPlan = {
    port: options.port,
    connections: options.connections,
    ratePerSecond: options.ratePerSecond,
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
  const latenciesMs: number[] = [];
  let failures = 0;
  const total = options.requests.length;
  const intervalMs = 1000 / options.ratePerSecond;
  const start = performance.now();
  const inFlight: Array<Promise<void>> = [];

  const send = (dueAt: number, index: number) =>
    new Promise<void>((resolve) => {
      const request = options.requests[index]!;
      const req = http.request(
        { host: '127.0.0.1', port: options.port, method: request.method, path: request.path, headers: request.headers, agent },
        (res) => {
          res.resume();
          res.on('end', () => {
            if (res.statusCode !== undefined && res.statusCode >= 200 && res.statusCode < 300) {
              latenciesMs.push(performance.now() - dueAt);
            } else {
              failures += 1;
            }
            resolve();
          });
        },
      );
      req.on('error', () => {
        failures += 1;
        resolve();
      });
      req.end(request.body);
    });

  for (let i = 0; i < total; i++) {
    const dueAt = start + i * intervalMs;
    const wait = dueAt - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    inFlight.push(send(dueAt, i));
  }
  await Promise.all(inFlight);
  agent.destroy();
  return { latenciesMs, failures, seconds: (performance.now() - start) / 1000 };
}
