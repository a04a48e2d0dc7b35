/**
 * What both stores share for `exportAll` and `importRows`: the fields of a row, how two rows are compared, and the
 * tally of an import. Kept in one place so SQLite and PostgreSQL answer a re-run or a conflict in the same words.
 * @module
 */
import type { ImportResult, RowConflict, StoredRow } from './store.js';

/** Every field of a `StoredRow`, in the order a person reads a comment (a conflict names the first that differs). */
export const ROW_FIELDS = [
  'id',
  'thread',
  'parentId',
  'rootId',
  'createdAt',
  'status',
  'heldReason',
  'name',
  'email',
  'website',
  'body',
  'ip',
  'idempotencyKey',
  'requestHash',
  'authorHash',
] as const satisfies readonly (keyof StoredRow)[];

/** The default number of rows read or written at a time: big enough to amortise a round trip, small in memory. */
export const DEFAULT_BATCH_SIZE = 500;

/** How long a copy's transaction may sit idle between two batches before PostgreSQL ends it: 10 minutes. */
export const COPY_IDLE_TIMEOUT_MS = 600_000;

/** The first field in which two rows with the same id differ, or null when they are identical. */
export function firstDifference(existing: StoredRow, incoming: StoredRow): keyof StoredRow | null {
  for (const field of ROW_FIELDS) if ((existing[field] ?? null) !== (incoming[field] ?? null)) return field;
  return null;
}

/** The row with exactly the stored fields, absent ones as null (a caller's extra properties are left out). */
export function normalised(row: StoredRow): StoredRow {
  return Object.fromEntries(ROW_FIELDS.map((field) => [field, row[field] ?? null])) as unknown as StoredRow;
}

/** A conflict on `field` between what the target holds and what comes in. */
export function conflictOn(
  field: keyof StoredRow,
  existing: Partial<StoredRow>,
  incoming: StoredRow,
  otherId?: string,
): RowConflict {
  return {
    id: incoming.id,
    field,
    existing: existing[field] ?? null,
    incoming: incoming[field] ?? null,
    ...(otherId !== undefined ? { otherId } : {}),
  };
}

/** Counts what an import does; once a conflict is seen, rows are still checked (and counted) but no longer written. */
export class ImportTally {
  inserted = 0;
  identical = 0;
  conflictCount = 0;
  readonly conflicts: RowConflict[] = [];
  private readonly maxConflicts: number;

  constructor(maxConflicts = 10) {
    this.maxConflicts = Math.max(0, Math.floor(maxConflicts));
  }

  /** False after the first conflict: the import will roll back, so writing more would be wasted work. */
  get writing(): boolean {
    return this.conflictCount === 0;
  }

  conflict(conflict: RowConflict): void {
    this.conflictCount++;
    if (this.conflicts.length < this.maxConflicts) this.conflicts.push(conflict);
  }

  /** The result, with `inserted` 0 when the import was refused (it rolled back). */
  result(): ImportResult {
    return {
      inserted: this.conflictCount > 0 ? 0 : this.inserted,
      identical: this.identical,
      conflictCount: this.conflictCount,
      conflicts: this.conflicts,
    };
  }
}

/** A reply whose parent is in neither the rows nor the store: the import rolls back with this sentence. */
export function missingParentMessage(id: string | null, parentId: string | null): string {
  const which = id ? `comment ${id} replies to ${parentId ?? 'a comment'}, which` : parentId ? `a reply names its parent ${parentId}, which` : 'a reply names a parent that';
  return `Cannot import: ${which} is neither among the copied rows nor in the target; nothing was written.`;
}
