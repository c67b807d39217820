import { bootstrap } from '../app/bootstrap.ts';
import { loadConfig } from '../config/config.ts';
import { systemClock } from '../core/clock.ts';
import { openDatabase } from '../core/db/database.ts';
import { migrate } from '../core/db/migrate.ts';

// `npm run migrate`: the schema, then what a first start creates (the platform operator; the demo group in demo
// mode), so a scaled-out deployment (migrate, then api and worker processes) has someone who can sign in.
const config = loadConfig();
const db = await openDatabase(config.databaseUrl ? { engine: 'postgres', connectionString: config.databaseUrl } : { engine: 'pglite', dataDir: config.dataDir });
const applied = await migrate(db);
console.log(applied.length > 0 ? `Applied: ${applied.join(', ')}` : 'Database is up to date.');
const report = await bootstrap({ db, config, clock: systemClock });
if (report.operator) console.log(`Platform operator (shown once): ${report.operator.email} / ${report.operator.password}`);
await db.close();
