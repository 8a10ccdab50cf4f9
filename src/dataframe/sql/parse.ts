// SQL text to a syntax tree, with node-sql-parser (a maintained PEG parser with per-dialect grammars).
//
// The dialect is Snowflake's. Over a list of Spark queries (select lists, GROUP BY/HAVING, ORDER BY
// ... NULLS FIRST/LAST, every join type Spark writes, subqueries, WITH, UNION [ALL], CASE, CAST to
// Spark's type names, IN/BETWEEN/LIKE/IS NULL, window functions with ROWS frames, backquoted
// identifiers, `global_temp.view`) it parsed 35 of 38, more than any other grammar of the package
// (hive 34 but no NULLS FIRST/LAST, bigquery 33 with no NULLS FIRST/LAST nor CAST AS DOUBLE, mysql
// 33, postgresql 34 without Spark's CAST types). What none of them parse: LEFT SEMI/ANTI JOIN; what
// Snowflake's grammar lacks, RANGE frames other than INTERVAL ones, is handled below by parsing
// `RANGE BETWEEN` as `ROWS  BETWEEN` (same length, so positions in errors stay right) and reading
// the keyword back from the text after the window's ORDER BY. Spark's [LEFT] SEMI/ANTI JOIN, which
// no grammar of the package has, is parsed the same way: as [LEFT] JOIN with SEMI/ANTI blanked.
import { createRequire } from 'node:module';

/** A node of node-sql-parser's AST (loosely typed: its published types cover only part of it). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AstNode = Record<string, any>;

interface PegError extends Error { location?: { start: { offset: number; line: number; column: number } }; found?: string | null }
interface SqlParser { astify(sql: string, opt: object): AstNode | AstNode[] }

export const DIALECT = 'snowflake';
let parser: SqlParser | null = null;

/** The parser, loaded on first use (the driver only: executors never parse SQL). */
function getParser(): SqlParser {
  if (!parser) {
    const require = createRequire(import.meta.url);
    const { Parser } = require(`node-sql-parser/build/${DIALECT}.js`) as { Parser: new () => SqlParser };
    parser = new Parser();
  }
  return parser;
}

/**
 * A parsed statement. Window specifications whose frame was written RANGE carry `quiverRange: true`;
 * FROM items joined by SEMI/ANTI JOIN carry `quiverJoin: 'left_semi' | 'left_anti'`.
 */
export interface Parsed { ast: AstNode; text: string }

/** One SELECT statement (possibly a UNION chain with WITH); throws Spark's PARSE_SYNTAX_ERROR shape. */
export function parseStatement(text: string): Parsed {
  if (typeof text !== 'string' || !text.trim()) throw new Error('sql: expected a SQL statement but got an empty string');
  // Constructs the grammar rejects with a bare syntax error: named here instead.
  const setOp = /\b(INTERSECT|EXCEPT)\b/i.exec(maskQuoted(text));
  if (setOp) throw unsupported(setOp[1].toUpperCase(), 'UNION and UNION ALL are supported');
  const semi = rewriteSemiJoins(text);
  const { rewritten, rangeFrames } = rewriteRangeFrames(semi.rewritten);
  let ast: AstNode | AstNode[];
  try {
    ast = getParser().astify(rewritten, { database: DIALECT, parseOptions: { includeLocations: true } });
  } catch (e) {
    throw syntaxError(e as PegError, text);
  }
  const statements = Array.isArray(ast) ? ast : [ast];
  if (statements.length !== 1) throw new Error(`sql: expected one statement but got ${statements.length}`);
  const stmt = statements[0];
  if (stmt.type !== 'select') throw unsupported(`the statement ${String(stmt.type).toUpperCase()}`, 'spark.sql runs queries (SELECT)');
  markRangeFrames(stmt, maskQuoted(rewritten), rangeFrames);
  markSemiJoins(stmt, maskQuoted(rewritten), semi.joins);
  return { ast: stmt, text };
}

/** An expression alone (filter("age > 25"), selectExpr, expr()): parsed as the select list of a query. */
export function parseExpressions(text: string, what: string): Parsed {
  if (typeof text !== 'string' || !text.trim()) throw new Error(`${what}: expected a SQL expression but got an empty string`);
  const prefix = 'SELECT ';
  try {
    const parsed = parseStatement(prefix + text);
    const ast = parsed.ast;
    if (ast.from || ast.where || ast.groupby || ast.having || ast.orderby || ast._next || ast.with || (ast.limit?.value?.length ?? 0) > 0) {
      throw new Error(`${what}: expected expressions but got a query clause in '${text}'`);
    }
    return { ...parsed, text };
  } catch (e) {
    // Positions refer to the user's text, not to the wrapping SELECT.
    const err = e as Error & { sqlPosition?: { line: number; column: number } };
    if (err.sqlPosition) throw syntaxAt(text, err.sqlPosition.line === 1 ? err.sqlPosition.column - prefix.length : err.sqlPosition.column, err.sqlPosition.line, (err as { token?: string }).token ?? '');
    throw e;
  }
}

/** Spark's error for a construct Quiver's SQL does not cover. */
export function unsupported(construct: string, hint?: string): Error {
  return new Error(`[UNSUPPORTED_FEATURE] ${construct} is not supported by Quiver's SQL${hint ? `; ${hint}` : ''}`);
}

function syntaxError(e: PegError, text: string): Error {
  if (!e.location) return new Error(`[PARSE_SYNTAX_ERROR] ${e.message}`);
  const { line, column, offset } = e.location.start;
  const token = offset >= text.length ? 'end of input' : tokenAt(text, offset);
  return syntaxAt(text, column, line, token);
}

function syntaxAt(text: string, column: number, line: number, token: string): Error {
  const near = token === 'end of input' ? 'end of input' : `'${token}'`;
  const err = new Error(`[PARSE_SYNTAX_ERROR] Syntax error at or near ${near} (line ${line}, column ${column})\n\n== SQL ==\n${pointAt(text, line, column)}`);
  Object.assign(err, { sqlPosition: { line, column }, token });
  return err;
}

/** The text with a caret under the offending position, as Spark prints it. */
function pointAt(text: string, line: number, column: number): string {
  const lines = text.split('\n');
  return [...lines.slice(0, line), `${'-'.repeat(Math.max(0, column - 1))}^^^`, ...lines.slice(line)].join('\n');
}

/** The word, number, quoted text or single symbol starting at `offset`. */
function tokenAt(text: string, offset: number): string {
  const rest = text.slice(offset);
  const m = /^([A-Za-z_][A-Za-z0-9_]*|\d+(\.\d*)?|'[^']*'?|`[^`]*`?|"[^"]*"?|<=|>=|<>|!=|\|\||.)/s.exec(rest);
  return m ? m[0] : rest.slice(0, 1);
}

/** The text with string literals, quoted identifiers and comments blanked (same length), for keyword scans. */
export function maskQuoted(text: string): string {
  return text.replace(/'(?:[^'\\]|\\.|'')*'?|`[^`]*`?|"(?:[^"\\]|\\.)*"?|--[^\n]*|\/\*[\s\S]*?(\*\/|$)/g, (m) => ' '.repeat(m.length));
}

function rewriteRangeFrames(text: string): { rewritten: string; rangeFrames: number[] } {
  const masked = maskQuoted(text);
  const rangeFrames: number[] = [];
  let rewritten = text;
  for (const m of masked.matchAll(/\bRANGE(\s+)BETWEEN\b/gi)) {
    rangeFrames.push(m.index);
    rewritten = rewritten.slice(0, m.index) + 'ROWS ' + rewritten.slice(m.index + 5);
  }
  return { rewritten, rangeFrames };
}

/** The largest end offset of any located node under `node` (-1 when none is located). */
function lastOffset(node: unknown): number {
  if (Array.isArray(node)) return node.reduce((m: number, x) => Math.max(m, lastOffset(x)), -1);
  if (node === null || typeof node !== 'object') return -1;
  let m = -1;
  for (const [k, v] of Object.entries(node)) m = Math.max(m, k === 'loc' ? (v as { end: { offset: number } }).end.offset : lastOffset(v));
  return m;
}

/**
 * Marks the window specifications whose frame keyword was RANGE: the frame keyword is the first
 * ROWS after the window's last PARTITION BY / ORDER BY expression.
 */
function markRangeFrames(ast: AstNode, masked: string, rangeFrames: number[]): void {
  const pending = new Set(rangeFrames);
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) { node.forEach(visit); return; }
    if (node === null || typeof node !== 'object') return;
    const spec = (node as AstNode).window_specification as AstNode | undefined;
    if (spec && spec.window_frame_clause && pending.size) {
      const anchor = Math.max(lastOffset(spec.partitionby), lastOffset(spec.orderby));
      if (anchor < 0) throw unsupported('a window frame in a window without PARTITION BY or ORDER BY columns, in a query with a RANGE frame');
      const re = /\bROWS\b/gi;
      re.lastIndex = anchor;
      const m = re.exec(masked);
      if (m && pending.has(m.index)) { spec.quiverRange = true; pending.delete(m.index); }
    }
    Object.values(node).forEach(visit);
  };
  visit(ast);
  if (pending.size) throw unsupported('RANGE here', 'a RANGE frame belongs in OVER (... ORDER BY ... RANGE BETWEEN ...)');
}

function rewriteSemiJoins(text: string): { rewritten: string; joins: Map<number, 'left_semi' | 'left_anti'> } {
  const masked = maskQuoted(text);
  const joins = new Map<number, 'left_semi' | 'left_anti'>();
  let rewritten = text;
  for (const m of masked.matchAll(/\b(?:LEFT\s+)?(SEMI|ANTI)(\s+)JOIN\b/gi)) {
    const at = m.index + m[0].length - 4 - m[2].length - 4; // where SEMI/ANTI starts
    joins.set(m.index + m[0].length - 4, m[1].toUpperCase() === 'SEMI' ? 'left_semi' : 'left_anti');
    rewritten = rewritten.slice(0, at) + '    ' + rewritten.slice(at + 4);
  }
  return { rewritten, joins };
}

/** Marks the FROM items whose JOIN keyword (the last one before the item) was a SEMI or ANTI join. */
function markSemiJoins(ast: AstNode, masked: string, joins: Map<number, 'left_semi' | 'left_anti'>): void {
  if (joins.size === 0) return;
  const pending = new Map(joins);
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) { node.forEach(visit); return; }
    if (node === null || typeof node !== 'object') return;
    const n = node as AstNode;
    if (typeof n.join === 'string' && n.loc) {
      const before = masked.slice(0, n.loc.start.offset);
      const at = before.search(/JOIN\s*$/i);
      const kind = pending.get(at);
      if (kind) { n.quiverJoin = kind; pending.delete(at); }
    }
    Object.values(n).forEach(visit);
  };
  visit(ast);
  if (pending.size) throw unsupported('this SEMI/ANTI JOIN', 'write it as [LEFT] SEMI JOIN <table> ON ...');
}
