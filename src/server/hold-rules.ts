/**
 * Why a new comment is held for moderation, if it is: blocks (`blocked`), the owner's blocklist (`blocklist`),
 * links (`links`), then `--moderation` (`moderation` for all, `first-time`). The rules are pure functions of the
 * comment; blocks and trust are asked of the store, which several processes share.
 * @module
 */
import { readFileSync } from 'node:fs';
import type { Moderation } from './options.js';
import type { HeldReason } from './store.js';

/** The hold rules as configured. */
export interface HoldRules {
  moderation: Moderation;
  /** Hold a comment with this many http(s) links or more; 0 turns the rule off. */
  holdLinks: number;
  /** Words and phrases, lower-cased; a comment containing one (as a whole word) is held. */
  blocklist: readonly string[];
}

/** What the rules look at. */
export interface HoldCandidate {
  name: string;
  email: string;
  website: string | null;
  body: string;
}

/** The store's answers the decision needs, asked only when they can change it. */
export interface HoldLookups {
  isBlocked(): Promise<boolean>;
  isTrusted(): Promise<boolean>;
}

/**
 * Reads a blocklist file: one word or phrase a line; blank lines and lines starting with `#` are skipped. Throws a
 * sentence naming the file when it cannot be read, so a wrong `--blocklist` stops start-up.
 */
export function readBlocklist(path: string): string[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    const why = code === 'ENOENT' ? 'there is no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'it is a folder' : (err as Error).message;
    throw new Error(`Cannot read the blocklist ${path}: ${why}. Give --blocklist a text file with one word or phrase a line.`, { cause: err });
  }
  const phrases = text
    .split(/\r?\n/)
    .map((line) => line.trim().replace(/\s+/g, ' ').toLowerCase())
    .filter((line) => line !== '' && !line.startsWith('#'));
  return [...new Set(phrases)];
}

/** How many http(s) links a text holds. */
export function countLinks(text: string): number {
  return text.match(/https?:\/\/[^\s<>"']+/gi)?.length ?? 0;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const matchers = new WeakMap<readonly string[], RegExp | null>();

/** One pattern for a whole blocklist, built once per list: each phrase as whole words, any spacing between them. */
function blocklistPattern(blocklist: readonly string[]): RegExp | null {
  if (!matchers.has(blocklist)) {
    const alternatives = blocklist.map((phrase) => phrase.split(' ').map(escapeRegExp).join('\\s+'));
    matchers.set(blocklist, alternatives.length ? new RegExp(`(?<![\\p{L}\\p{N}])(?:${alternatives.join('|')})(?![\\p{L}\\p{N}])`, 'iu') : null);
  }
  return matchers.get(blocklist)!;
}

/** True when the name, email, website or body contains a blocklisted word or phrase. */
export function matchesBlocklist(comment: HoldCandidate, blocklist: readonly string[]): boolean {
  const pattern = blocklistPattern(blocklist);
  if (!pattern) return false;
  return [comment.name, comment.email, comment.website ?? '', comment.body].some((text) => pattern.test(text));
}

/** Why the comment is held, or null to publish it. A blocked author is always held, whatever else applies. */
export async function holdReason(comment: HoldCandidate, rules: HoldRules, lookups: HoldLookups): Promise<HeldReason | null> {
  if (await lookups.isBlocked()) return 'blocked';
  if (matchesBlocklist(comment, rules.blocklist)) return 'blocklist';
  if (rules.holdLinks > 0 && countLinks(`${comment.body}`) >= rules.holdLinks) return 'links';
  if (rules.moderation === 'all') return 'moderation';
  if (rules.moderation === 'first-time' && !(await lookups.isTrusted())) return 'first-time';
  return null;
}
