import { createLogger, runMain, startServer } from '@neurosphere/http';
import path from 'node:path';
import { buildConsoleServer } from './app';
import { parseEnv } from './env';

runMain(async () => {
  const env = parseEnv();
  const logger = createLogger({ service: 'console', level: env.LOG_LEVEL });
  await startServer({
    // dist/main.js serves dist/public (vite build's outDir).
    app: buildConsoleServer({ staticDir: path.resolve(__dirname, 'public'), adminApiUrl: env.ADMIN_API_URL, logger }),
    port: env.PORT,
    host: env.HOST,
    logger,
  });
});
