/**
 * Judges an answer as it streams: every row against the `expect` assertions, keeping only the
 * first failing rows (at most 50) and a count of the rest, so a million-row answer costs no memory.
 */
import { BOOL_OID, type Cell, type Column } from './postgres.js'
import type { ColumnAssertion } from './spec.js'

/** How many failing rows are named; the rest are counted. */
export const MAX_NAMED_ROWS = 50
const MAX_SHOWN_COLUMNS = 8

export interface NamedRow {
  /** 1-based position in the answer. */
  index: number
  cells: Cell[]
  /** The assertions this row breaks, as clauses (`status is "FAIL"`); empty for a row that should not exist. */
  broken: string[]
}

export function renderCell(cell: Cell, column: Column | undefined): string {
  if (cell === null) return 'NULL'
  if (column?.dataTypeID === BOOL_OID) return cell === 't' ? 'true' : cell === 'f' ? 'false' : cell
  return cell
}

function clip(text: string, max: number): string {
  // eslint-disable-next-line no-control-regex
  const one = text.replace(/[\u0000-\u001f\u007f]+/g, ' ')
  return one.length > max ? `${one.slice(0, max - 1)}…` : one
}

/** `row 3 (check=rls_tenants, status=FAIL)`. */
export function nameRow(r: NamedRow, columns: Column[]): string {
  const shown = columns.slice(0, MAX_SHOWN_COLUMNS).map((c, i) => `${c.name}=${clip(renderCell(r.cells[i] ?? null, c), 60)}`)
  if (columns.length > MAX_SHOWN_COLUMNS) shown.push(`… ${columns.length - MAX_SHOWN_COLUMNS} more columns`)
  return `row ${r.index} (${shown.join(', ')})`
}

function holds(cell: Cell, column: Column, value: string): boolean {
  if (cell === null) return false
  if (column.dataTypeID === BOOL_OID) {
    const want = value.toLowerCase()
    const t = want === 't' || want === 'true'
    const f = want === 'f' || want === 'false'
    return (cell === 't' && t) || (cell === 'f' && f)
  }
  return cell === value
}

export class RowJudge {
  rows = 0
  failing = 0
  named: NamedRow[] = []
  columns: Column[] = []
  /** The assertions cannot be read against this answer (a missing or doubled column). */
  problem?: string
  private indexes?: number[]

  constructor(
    private readonly assertions: ColumnAssertion[],
    /** Every row counts as failing (an answer that must be empty). */
    private readonly everyRowFails: boolean,
  ) {}

  /** Settles the column of each assertion once the answer's columns are known. */
  setColumns(columns: Column[]): void {
    if (this.indexes) return
    this.columns = columns
    this.indexes = []
    const names = columns.map((c) => c.name)
    for (const a of this.assertions) {
      const at = names.flatMap((n, i) => (n === a.column ? [i] : []))
      if (at.length === 0) {
        this.problem ??= `the answer has no column \`${a.column}\` (its columns are ${names.map((n) => `\`${n}\``).join(', ') || 'none'})`
      } else if (at.length > 1) {
        this.problem ??= `the answer has ${at.length} columns named \`${a.column}\`, so \`${a.text}\` is ambiguous; name them apart with AS`
      }
      this.indexes.push(at[0] ?? -1)
    }
  }

  push(cells: Cell[], columns: Column[]): void {
    this.setColumns(columns)
    this.rows++
    const broken: string[] = []
    if (!this.problem) {
      this.assertions.forEach((a, i) => {
        const col = this.indexes![i]
        const cell = cells[col] ?? null
        if (!holds(cell, columns[col], a.value))
          broken.push(
            `${a.column} is ${cell === null ? 'NULL' : JSON.stringify(clip(renderCell(cell, columns[col]), 60))}, expected ${JSON.stringify(a.value)}`,
          )
      })
    }
    if (broken.length === 0 && !this.everyRowFails) return
    this.failing++
    if (this.named.length < MAX_NAMED_ROWS) this.named.push({ index: this.rows, cells: [...cells], broken })
  }

  /** The named failing rows in a sentence, then "and N more". */
  list(): string {
    const parts = this.named.map((r) =>
      r.broken.length ? `${nameRow(r, this.columns)}: ${r.broken.join(', ')}` : nameRow(r, this.columns),
    )
    const more = this.failing - this.named.length
    return parts.join('; ') + (more > 0 ? `; and ${more} more` : '')
  }
}
