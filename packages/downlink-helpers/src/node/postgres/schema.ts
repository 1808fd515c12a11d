/**
 * The tables of the PostgreSQL journal, created on first use under an advisory lock (so that
 * workers starting together do not race each other's `CREATE`), in a schema and with a table
 * prefix the user chooses. `<prefix>schema` holds the layout's version: a database made by a
 * later layout is refused rather than misread.
 */
import type { ClientBase } from 'pg';
import { DownlinkError } from '../../errors.js';
import { digestOf } from '../../sending/journal.js';

export const SCHEMA_VERSION = 1;

/** Fully qualified, quoted table names, and the advisory-lock namespace of this layout. */
export interface Tables {
  version: string;
  campaigns: string;
  items: string;
  workers: string;
  /** First key of the two-int advisory locks that mark live workers (31 bits, per layout). */
  lockSpace: number;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,39}$/;

export function tablesOf(schema: string, prefix: string): Tables {
  if (typeof schema !== 'string' || !IDENTIFIER.test(schema)) {
    throw new DownlinkError(
      'INVALID_ARGUMENT',
      'schema',
      'expected a lower-case SQL identifier (a-z, 0-9, _; at most 40 characters)',
    );
  }
  if (typeof prefix !== 'string' || (prefix !== '' && !IDENTIFIER.test(prefix))) {
    throw new DownlinkError(
      'INVALID_ARGUMENT',
      'tablePrefix',
      'expected lower-case letters, digits and _ (at most 40 characters)',
    );
  }
  const name = (table: string) => `"${schema}"."${prefix}${table}"`;
  return {
    version: name('schema'),
    campaigns: name('campaigns'),
    items: name('items'),
    workers: name('workers'),
    lockSpace: parseInt(digestOf(`${schema}.${prefix}`).slice(-7), 16) & 0x7fffffff,
  };
}

/** Creates the tables when missing; refuses a layout of another version. */
export async function ensureSchema(client: ClientBase, schema: string, t: Tables): Promise<void> {
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1, 0)', [t.lockSpace]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    await client.query(`CREATE TABLE IF NOT EXISTS ${t.version} (version integer NOT NULL)`);
    const found = await client.query<{ version: number }>(`SELECT version FROM ${t.version}`);
    const version = found.rows[0]?.version;
    if (version !== undefined && version !== SCHEMA_VERSION) {
      throw new DownlinkError(
        'INVALID_ARGUMENT',
        'journal',
        `the journal tables ${t.version} have layout version ${version}; this version reads ${SCHEMA_VERSION}`,
      );
    }
    if (version === undefined) {
      await client.query(CREATE(t));
      await client.query(`INSERT INTO ${t.version} (version) VALUES ($1)`, [SCHEMA_VERSION]);
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

const CREATE = (t: Tables) => `
CREATE TABLE ${t.campaigns} (
  name text PRIMARY KEY,
  created_at timestamptz NOT NULL DEFAULT now(),
  -- The campaign's ratePerSecond, for all its workers together (NULL: none).
  ceiling double precision,
  -- Shared pace: the next free send slot; the last throttle (a CUBIC curve grows back from it).
  next_at timestamptz NOT NULL DEFAULT now(),
  cut_at timestamptz,
  cut_rate double precision,
  paused_until timestamptz NOT NULL DEFAULT '-infinity',
  -- Answers DX served (not throttled), and a mark a second back to measure their rate.
  served bigint NOT NULL DEFAULT 0,
  mark_served bigint NOT NULL DEFAULT 0,
  mark_at timestamptz NOT NULL DEFAULT now(),
  served_rate double precision NOT NULL DEFAULT 0
);
CREATE TABLE ${t.workers} (
  id serial PRIMARY KEY,
  campaign text NOT NULL REFERENCES ${t.campaigns} (name),
  started_at timestamptz NOT NULL DEFAULT now(),
  stopped_at timestamptz,
  pid integer,
  host text
);
CREATE TABLE ${t.items} (
  campaign text NOT NULL REFERENCES ${t.campaigns} (name),
  key text NOT NULL,
  seq bigserial NOT NULL,
  idx integer NOT NULL,
  digest text NOT NULL,
  state text NOT NULL CHECK (state IN ('start', 'retry', 'queued', 'failed', 'unknown', 'not-sent')),
  status integer,
  worker integer NOT NULL,
  attempts integer NOT NULL DEFAULT 1,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (campaign, key)
);
CREATE INDEX ON ${t.items} (campaign, seq);
`;
