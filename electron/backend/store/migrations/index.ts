import type Database from 'better-sqlite3';
import { initial } from './001-initial';
import { cartography } from './002-cartography';
import { listOrder } from './003-list-order';
import { searchBacklog } from './004-search-backlog';
import { runHoldout } from './005-run-holdout';
import { decisionPolicy } from './006-decision-policy';
import { imap } from './007-imap';
import { labelWatch } from './008-label-watch';
import { importBatches } from './009-import-batches';

export interface Migration {
  version: number;
  description: string;
  up(db: Database.Database): void;
}

/** In version order; each takes the schema from version − 1 to version. */
export const MIGRATIONS: readonly Migration[] = [
  initial,
  cartography,
  listOrder,
  searchBacklog,
  runHoldout,
  decisionPolicy,
  imap,
  labelWatch,
  importBatches,
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;
