import { bootstrap } from '../app/bootstrap.ts';
import { buildApp } from '../app/build-app.ts';
import { connectDemoLine, startDemoSimulator } from '../app/demo-line.ts';
import { connectDemoPms, startDemoPms } from '../app/demo-pms.ts';
import { closeRuntime, createRuntime } from '../app/runtime.ts';
import { loadConfig } from '../config/config.ts';
import { dropRootProblem } from '../modules/pms/index.ts';

// `npm start`: API, worker and admin web app in one process, on the embedded database unless DATABASE_URL is set.
// In demo mode the LINE simulator runs alongside and the demo hotel group's LINE channel points at it.
const config = loadConfig();
const sim = config.line.simulator ? await startDemoSimulator(config.line.simulatorPort) : undefined;
const runtime = await createRuntime(config, sim ? { lineBaseUrl: () => sim.url } : {});
const report = await bootstrap(runtime);
await runtime.queue.start({ work: true });
const app = await buildApp(runtime);
await app.listen({ port: config.port, host: config.host });
if (sim) await connectDemoLine(runtime, sim);
// In demo mode the 德安 PMS simulator runs too; the demo hotel group is connected to it (its members are seeded from the
// simulator's sample the first time, in the background: the first sync starts within a minute of that).
const pmsSim = config.pms.simulator ? await startDemoPms(config.pms.simulatorPort) : undefined;
if (pmsSim) void connectDemoPms(runtime, pmsSim).catch((error: unknown) => runtime.logger.error({ err: error }, 'could not connect the demo PMS'));

const lines = [
  '',
  `  Innkeeper is running at ${config.publicUrl}`,
  `  Database: ${runtime.db.engine === 'pglite' ? `embedded PostgreSQL (PGlite) in ${config.dataDir}` : 'PostgreSQL (DATABASE_URL)'}`,
];
if (report.demo) lines.push(`  Demo administrator (${report.demo.tenantName}): ${report.demo.email} / ${report.demo.password}`);
if (report.operator) lines.push(`  Platform operator (shown once): ${report.operator.email} / ${report.operator.password}`);
if (config.demoMode) lines.push('  Demo mode (DEMO_MODE): captured mail and SMS are public and deleted after a day; never use it for real guests');
if (runtime.mailer.mode === 'capture') lines.push(`  Mail is captured, not sent: sign-in codes appear at ${config.publicUrl}/demo-mailbox`);
if (runtime.sms.mode === 'none') lines.push('  No SMS provider (SMS_PROVIDER): guests cannot bind their membership by mobile');
if (sim) lines.push(`  LINE simulator (virtual guests' phones): http://localhost:${config.line.simulatorPort}`);
if (pmsSim) lines.push(`  德安 PMS simulator (synced every 15 minutes, see PMS 串接): ${pmsSim.url}`);
// A PMS_DROP_ROOT that cannot be used: said at start (and on the PMS page), not found out from files never read.
const dropProblem = await dropRootProblem(config.pms.dropRoot);
if (dropProblem) {
  runtime.logger.error(dropProblem);
  lines.push(`  ${dropProblem}`);
}
lines.push(`  API docs: ${config.publicUrl}/api/docs`, '');
console.log(lines.join('\n'));

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, async () => {
    await app.close();
    await sim?.close();
    await pmsSim?.stop();
    await closeRuntime(runtime);
    process.exit(0);
  });
}
