import { loadConfig } from '../config/config.ts';
import { openDatabase } from '../core/db/database.ts';
import { migrate } from '../core/db/migrate.ts';

const config = loadConfig();
const db = await openDatabase(config.databaseUrl ? { engine: 'postgres', connectionString: config.databaseUrl } : { engine: 'pglite', dataDir: config.dataDir });
const applied = await migrate(db);
console.log(applied.length > 0 ? `Applied: ${applied.join(', ')}` : 'Database is up to date.');
await db.close();
