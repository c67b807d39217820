import crypto from 'node:crypto';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../src/core/db/database.ts';
import { migrate } from '../src/core/db/migrate.ts';
import { TEST_LOGIN_ROLE, withDatabaseName } from './database.ts';

/** With TEST_DATABASE_URL, migrates one template database that every test file clones (fast, and each file starts clean). */
export default async function setup(project: TestProject) {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) {
    project.provide('templateDatabase', null);
    return;
  }
  const name = `innkeeper_tpl_${crypto.randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const db = await openDatabase({ engine: 'postgres', connectionString: withDatabaseName(url, name), poolSize: 2 });
  await migrate(db);
  await db.close();
  // As in production, requests and jobs log in as a role that owns nothing (README, Configuration). Roles belong to
  // the cluster, not the database: created once, idempotently (other runs may share the server).
  await admin.query(`do $$ begin
      begin create role ${TEST_LOGIN_ROLE} login noinherit; exception when duplicate_object or unique_violation then null; end;
    end $$`);
  await admin.query(`grant innkeeper_app, innkeeper_platform, innkeeper_queue to ${TEST_LOGIN_ROLE}`);
  project.provide('templateDatabase', name);
  return async () => {
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  };
}
