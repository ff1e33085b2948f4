// Finding conversations by the words in their messages (GET /api/search, SearchOut in contract.ts),
// and the server's word normalisation mirrored here only to mark the matched words in a snippet.
import { request } from "./api";
import type { SearchOut } from "./contract";

export function searchConversations(q: string, limit = 20): Promise<SearchOut> {
  const params = new URLSearchParams({ q, limit: String(limit) });
  return request<SearchOut>("GET", `/api/search?${params}`);
}

const MARKS = /[\p{Mn}\p{Me}\p{Cf}\u0640]/gu; // combining marks (accents, harakat, hamza above/below), format characters, tatweel
const LETTERS: Record<string, string> = { "ٱ": "ا", "ة": "ه", "ى": "ي" };

/** A word as the index keeps it (models/search_words.py): NFKC, case folded, every combining mark
 * dropped (é → e, أ/إ/آ → ا, harakat), tatweel dropped, ٱ → ا, ة → ه, ى → ي, Arabic-Indic digits as
 * 0–9; the digits Darija uses as letters stay in their word ("3ayla"). */
export function normaliseWord(word: string): string {
  return word
    .normalize("NFKC")
    .toLowerCase()
    .normalize("NFKD")
    .replace(MARKS, "")
    .normalize("NFC")
    .replace(/[ٱةى]/g, (ch) => LETTERS[ch])
    .replace(/[\u0660-\u0669\u06F0-\u06F9]/g, (d) => String(d.codePointAt(0)! & 0xf)); // both ranges start at …0
}

const WORD = /[\p{L}\p{M}\p{N}]+/gu;

export function queryWords(q: string): string[] {
  return [...q.matchAll(WORD)].map((m) => normaliseWord(m[0])).filter(Boolean);
}

/** The snippet cut into plain and matched pieces: a word matches a query word, or starts with
 * the last one (the search matches it as a prefix while the person is still typing). */
export function markMatches(snippet: string, q: string): Array<{ text: string; match: boolean }> {
  const words = queryWords(q);
  if (!words.length) return [{ text: snippet, match: false }];
  const last = words[words.length - 1];
  const pieces: Array<{ text: string; match: boolean }> = [];
  let at = 0;
  for (const m of snippet.matchAll(WORD)) {
    const word = normaliseWord(m[0]);
    if (!(words.includes(word) || word.startsWith(last))) continue;
    if (m.index > at) pieces.push({ text: snippet.slice(at, m.index), match: false });
    pieces.push({ text: m[0], match: true });
    at = m.index + m[0].length;
  }
  if (at < snippet.length) pieces.push({ text: snippet.slice(at), match: false });
  return pieces;
}
