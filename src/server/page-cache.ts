/**
 * The page cache both stores share: least recently used pages first out, bounded by an estimate of the bytes the
 * pages hold, never by their number alone. A forged cursor makes a new key per request; a count cap let 500 such
 * keys on a thread of 60 KB comments hold gigabytes (issue 14, item 1). A byte budget holds whatever the keys.
 * @module
 */
import type { ListResult } from './store.js';

/** The default budget: 8 MiB. */
export const DEFAULT_PAGE_CACHE_BYTES = 8 * 1024 * 1024;

/** What a JS object and its slots cost beyond its strings, a generous guess (V8 differs by version). */
const OBJECT_OVERHEAD = 64;
const FIELD_OVERHEAD = 16;

/**
 * An estimate of the heap a page holds: every string twice its length (V8 may store two-byte strings) plus a
 * fixed cost per object and field. It errs high, so the real heap stays under the budget.
 */
export function estimatePageBytes(key: string, page: ListResult): number {
  let bytes = OBJECT_OVERHEAD * 2 + key.length * 2;
  for (const comment of page.comments) {
    bytes += OBJECT_OVERHEAD;
    for (const value of Object.values(comment)) {
      bytes += FIELD_OVERHEAD + (typeof value === 'string' ? value.length * 2 : 0);
    }
  }
  if (page.next) bytes += OBJECT_OVERHEAD + (page.next.createdAt.length + page.next.id.length) * 2;
  return bytes;
}

interface Entry<Tag> {
  page: ListResult;
  bytes: number;
  /** What the page was read under (a data version), so a lookup can tell a stale page from a fresh one. */
  tag: Tag;
}

/** An LRU map from a query key to a page, within `budgetBytes`. */
export class PageCache<Tag = undefined> {
  private readonly entries = new Map<string, Entry<Tag>>();
  private total = 0;

  /** `budgetBytes` of 0 turns caching off. */
  constructor(readonly budgetBytes: number = DEFAULT_PAGE_CACHE_BYTES) {}

  /** The estimated bytes held now; never above `budgetBytes`. */
  get bytes(): number {
    return this.total;
  }

  /** How many pages are held. */
  get size(): number {
    return this.entries.size;
  }

  /** The page stored under `key` with this `tag`, or undefined; a page under another tag is dropped. */
  get(key: string, tag: Tag): ListResult | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    if (entry.tag !== tag) {
      this.total -= entry.bytes;
      return undefined;
    }
    // Re-inserting moves the key to the young end of the Map's order.
    this.entries.set(key, entry);
    return entry.page;
  }

  /** Keeps a page, evicting the least recently used ones until the budget holds. A page over budget is not kept. */
  set(key: string, page: ListResult, tag: Tag): void {
    const bytes = estimatePageBytes(key, page);
    const old = this.entries.get(key);
    if (old) {
      this.entries.delete(key);
      this.total -= old.bytes;
    }
    if (bytes > this.budgetBytes) return;
    for (const [oldestKey, oldest] of this.entries) {
      if (this.total + bytes <= this.budgetBytes) break;
      this.entries.delete(oldestKey);
      this.total -= oldest.bytes;
    }
    this.entries.set(key, { page, bytes, tag });
    this.total += bytes;
  }

  /** Forgets every page. */
  clear(): void {
    this.entries.clear();
    this.total = 0;
  }
}

/** The cache key of a page query. */
export function pageKey(query: { thread: string; sort: string; limit: number; after?: { createdAt: string; id: string } | null }): string {
  return [query.thread, query.sort, query.limit, query.after?.createdAt ?? '', query.after?.id ?? ''].join('\0');
}
