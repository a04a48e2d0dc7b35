/** Browser-test helpers that put data in through the real API the test server mounts (test/support/api.ts). */
import type { Comment } from '../../src/rules.js';

/** A short random id, for threads and emails no other test uses. */
export const uid = () => Math.random().toString(36).slice(2);

/** Fields of a seeded comment; the rest get defaults. */
export interface Seed {
  name?: string;
  body?: string;
  website?: string | null;
  parentId?: string | null;
  email?: string;
}

/** Posts a comment straight to the API (no element involved) and returns the stored public Comment. */
export async function postComment(thread: string, seed: Seed = {}, endpoint = '/api/comments'): Promise<Comment> {
  const input = { thread, parentId: null, name: 'Ada Lovelace', email: `${uid()}@example.com`, website: null, body: `Comment ${uid()}`, ...seed };
  const res = await fetch(endpoint, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Idempotency-Key': crypto.randomUUID() },
    body: JSON.stringify(input),
  });
  const data = await res.json();
  if (!res.ok) throw new Error(`seeding failed: ${JSON.stringify(data)}`);
  return data.comment;
}
