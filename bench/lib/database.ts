/** The database a benchmark run writes: a fresh one of its own on DATABASE_URL's server, dropped at the end unless kept. */
import type pg from 'pg';
import { withDatabaseName } from '../members/database.ts';

/** Creates `innkeeper_bench_<kind>_<timestamp>` through `admin`; the timestamp also names the run's tenant and files. */
export async function createBenchDatabase(admin: pg.Client, serverUrl: string, kind: string): Promise<{ stamp: string; dbName: string; benchUrl: string }> {
  const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
  const dbName = `innkeeper_bench_${kind}_${stamp}`;
  await admin.query(`create database ${dbName}`);
  return { stamp, dbName, benchUrl: withDatabaseName(serverUrl, dbName) };
}
