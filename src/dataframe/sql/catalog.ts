// Spark's session catalog for temporary views: names for DataFrames that SQL queries read.
// A view holds the DataFrame itself (its lazy lineage), as Spark's temp views hold a logical plan.
// Names are case-insensitive (Spark's default spark.sql.caseSensitive=false). Global temp views live
// under the `global_temp` database; Spark shares them between the sessions of one application, and
// a Quiver session is its own application (its own engine and workers), so each session has one
// catalog holding both kinds.
import type { DataFrame } from '../dataframe.js';

export const GLOBAL_TEMP_DATABASE = 'global_temp';

/** An entry of `spark.catalog.listTables()` (PySpark's Table). */
export interface CatalogTable {
  name: string;
  catalog: string | null;
  namespace: string[];
  description: string | null;
  tableType: 'TEMPORARY';
  isTemporary: boolean;
}

const quote = (name: string) => `\`${name}\``;

export class Catalog {
  private readonly local = new Map<string, { name: string; df: DataFrame }>();
  private readonly global = new Map<string, { name: string; df: DataFrame }>();

  /** Registers (or replaces) a session-scoped view. */
  createOrReplaceTempView(name: string, df: DataFrame): void { this.local.set(key(name, 'createOrReplaceTempView'), { name, df }); }

  /** Registers a view; fails as Spark does when one of that name exists. */
  createTempView(name: string, df: DataFrame): void {
    const k = key(name, 'createTempView');
    if (this.local.has(k)) throw alreadyExists(name);
    this.local.set(k, { name, df });
  }

  createOrReplaceGlobalTempView(name: string, df: DataFrame): void { this.global.set(key(name, 'createOrReplaceGlobalTempView'), { name, df }); }

  createGlobalTempView(name: string, df: DataFrame): void {
    const k = key(name, 'createGlobalTempView');
    if (this.global.has(k)) throw alreadyExists(`${GLOBAL_TEMP_DATABASE}.${name}`);
    this.global.set(k, { name, df });
  }

  /** Drops a session view; true if it existed (Spark's dropTempView). */
  dropTempView(name: string): boolean { return this.local.delete(key(name, 'dropTempView')); }
  dropGlobalTempView(name: string): boolean { return this.global.delete(key(name, 'dropGlobalTempView')); }

  /**
   * The temporary views, as Spark lists them: session views for the current database (or none
   * given), plus the global ones when `dbName` is `global_temp`.
   */
  listTables(dbName?: string): CatalogTable[] {
    const entry = (name: string, namespace: string[]): CatalogTable => ({ name, catalog: null, namespace, description: null, tableType: 'TEMPORARY', isTemporary: true });
    const globals = dbName !== undefined && dbName.toLowerCase() === GLOBAL_TEMP_DATABASE
      ? [...this.global.values()].map((v) => entry(v.name, [GLOBAL_TEMP_DATABASE])) : [];
    if (dbName !== undefined && dbName.toLowerCase() !== GLOBAL_TEMP_DATABASE && dbName.toLowerCase() !== 'default') {
      throw new Error(`[SCHEMA_NOT_FOUND] The schema ${quote(dbName)} cannot be found. Quiver has the temporary views of 'default' and '${GLOBAL_TEMP_DATABASE}'.`);
    }
    const locals = [...this.local.values()].map((v) => entry(v.name, []));
    return [...globals, ...locals].sort((a, b) => (a.namespace.length - b.namespace.length) || a.name.localeCompare(b.name));
  }

  tableExists(name: string, dbName?: string): boolean { return this.lookup(dbName ?? null, name) !== null; }

  /** The DataFrame of a view (`people` or `global_temp.people`); throws naming the views there are. */
  table(name: string): DataFrame {
    const parts = String(name).split('.');
    if (parts.length > 2) throw tableNotFound(name, this.names());
    return this.resolve(parts.length === 2 ? parts[0] : null, parts[parts.length - 1]);
  }

  resolve(db: string | null, name: string): DataFrame {
    const df = this.lookup(db, name);
    if (!df) throw tableNotFound(db ? `${db}.${name}` : name, this.names());
    return df;
  }

  /** Every view's name as a query writes it. */
  names(): string[] {
    return [...[...this.local.values()].map((v) => v.name), ...[...this.global.values()].map((v) => `${GLOBAL_TEMP_DATABASE}.${v.name}`)];
  }

  private lookup(db: string | null, name: string): DataFrame | null {
    const k = name.toLowerCase();
    if (db === null || db.toLowerCase() === 'default') return this.local.get(k)?.df ?? null;
    if (db.toLowerCase() === GLOBAL_TEMP_DATABASE) return this.global.get(k)?.df ?? null;
    return null;
  }
}

function key(name: string, op: string): string {
  if (typeof name !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
    throw new Error(`${op}: a view name must be an identifier (letters, digits and _, not starting with a digit) but got ${JSON.stringify(name)}`);
  }
  return name.toLowerCase();
}

function alreadyExists(name: string): Error {
  return new Error(`[TEMP_TABLE_OR_VIEW_ALREADY_EXISTS] Cannot create the temporary view ${quote(name)} because it already exists. Choose a different name, drop or replace the existing view, or add the IF NOT EXISTS clause to tolerate pre-existing views.`);
}

export function tableNotFound(name: string, available: string[]): Error {
  return new Error(`[TABLE_OR_VIEW_NOT_FOUND] The table or view ${quote(name)} cannot be found. Available: [${available.join(', ')}]`);
}
