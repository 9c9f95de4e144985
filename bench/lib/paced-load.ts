import http from 'node:http';

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

/**
 * Open-loop load at an even rate over a fixed pool of keep-alive connections: request i is due at
 * start + i / rate, whatever happened to the ones before. autocannon's `overallRate` releases each
 * second's budget in a burst, which measures queueing behind the burst rather than the latency a
 * steady stream of callers sees; this spaces arrivals evenly instead. Latency runs from the due
 * time, so a request that waits for a free connection is not flattered (no coordinated omission).
 */
export async function runPacedLoad(options: {
  port: number;
  connections: number;
  ratePerSecond: number;
  seconds: number;
  nextRequest: () => PacedRequest;
}): Promise<PacedLoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.connections });
  const latenciesMs: number[] = [];
  let failures = 0;
  const total = Math.round(options.ratePerSecond * options.seconds);
  const intervalMs = 1000 / options.ratePerSecond;
  const start = performance.now();
  const inFlight: Array<Promise<void>> = [];

  const send = (dueAt: number) =>
    new Promise<void>((resolve) => {
      const request = options.nextRequest();
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
    inFlight.push(send(dueAt));
  }
  await Promise.all(inFlight);
  agent.destroy();
  return { latenciesMs, failures, seconds: (performance.now() - start) / 1000 };
}
