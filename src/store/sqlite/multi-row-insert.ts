// Multi-row INSERT statements (`INSERT … VALUES (?,?),(?,?),…`): one statement per chunk of rows instead of
// one per row, so a batch pays SQLite's per-statement cost (bind, step, reset, the JS-to-native call) a few
// times rather than once per row. Chunks stay under SQLite's bound-variable limit.
import type Database from 'better-sqlite3'

/** SQLite's default since 3.32 and what better-sqlite3 is built with; readVariableLimit() checks the build. */
export const DEFAULT_MAX_VARIABLES = 32766
/** The limit of SQLite builds before 3.32; assumed when a build does not say. */
const CONSERVATIVE_MAX_VARIABLES = 999

/** The bound-variable limit this SQLite build was compiled with (SQLITE_MAX_VARIABLE_NUMBER). */
export function readVariableLimit(db: Database.Database): number {
  const options = db.pragma('compile_options') as { compile_options: string }[]
  for (const { compile_options: option } of options) {
    const match = /^MAX_VARIABLE_NUMBER=(\d+)$/.exec(option)
    if (match) return Number(match[1])
  }
  return CONSERVATIVE_MAX_VARIABLES
}

export interface MultiRowInsert {
  /**
   * Inserts rows given flat, row after row (`values.length` a multiple of the column count), in order, in as
   * few statements as the limit allows. Throws RangeError when the values do not fill whole rows.
   */
  run(values: readonly unknown[]): void
  /** The largest number of rows one statement carries. */
  readonly maxRowsPerStatement: number
}

/**
 * Prepares inserts of the form `<head> VALUES (…),(…)` for `columns` columns, e.g. head
 * `INSERT OR IGNORE INTO t (a, b)`. Chunk sizes are powers of two (plus the largest the limit allows), so
 * a handful of prepared statements, cached by size, serve every batch size. Throws RangeError when one
 * row alone exceeds `maxVariables`.
 */
export function multiRowInsert(db: Database.Database, head: string, columns: number, maxVariables: number): MultiRowInsert {
  const maxRows = Math.floor(maxVariables / columns)
  if (maxRows < 1) throw new RangeError(`a row of ${columns} columns exceeds the limit of ${maxVariables} variables`)
  const placeholder = `(${Array(columns).fill('?').join(', ')})`
  const statements = new Map<number, Database.Statement>()
  const statementFor = (rows: number): Database.Statement => {
    let st = statements.get(rows)
    if (!st) {
      st = db.prepare(`${head} VALUES ${Array(rows).fill(placeholder).join(', ')}`)
      statements.set(rows, st)
    }
    return st
  }
  return {
    maxRowsPerStatement: maxRows,
    run(values) {
      if (values.length % columns !== 0) throw new RangeError(`${values.length} values do not fill rows of ${columns} columns`)
      const rows = values.length / columns
      let row = 0
      while (row < rows) {
        const size = chunkSize(rows - row, maxRows)
        // A batch that is one chunk is bound as it is, without a copy.
        const chunk = size === rows ? values : values.slice(row * columns, (row + size) * columns)
        statementFor(size).run(chunk)
        row += size
      }
    },
  }
}

/** The next chunk: everything up to the limit, else the largest power of two that fits what remains. */
export function chunkSize(remaining: number, maxRows: number): number {
  if (remaining >= maxRows) return maxRows
  let size = 1
  while (size * 2 <= remaining) size *= 2
  return size
}
