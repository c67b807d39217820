import { buildApp } from '../app/build-app.ts';
import { closeRuntime, createRuntime } from '../app/runtime.ts';
import { loadConfig } from '../config/config.ts';

// A web process for scaled-out deployments: serves HTTP and enqueues jobs; `npm run worker` processes run them.
const config = loadConfig();
const runtime = await createRuntime(config);
await runtime.queue.start({ work: false });
const app = await buildApp(runtime);
await app.listen({ port: config.port, host: config.host });
runtime.logger.info({ url: config.publicUrl }, 'api process listening');

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, async () => {
    await app.close();
    await closeRuntime(runtime);
    process.exit(0);
  });
}
