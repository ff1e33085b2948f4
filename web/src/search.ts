// Finding conversations by the words in their messages (GET /api/search): the reply's shapes, and
// the server's word normalisation mirrored here only to mark the matched words in a snippet.
import { request } from "./api";
import type { ConversationOut } from "./contract";

/** One conversation found: the first message (or only the title) that matched, with a snippet. */
export interface SearchHit {
  conversation: ConversationOut;
  /** Null when only the title matched. */
  message_id: string | null;
  role: "user" | "assistant" | null;
  /** Up to 160 characters around the first match, in the message's own text. */
  snippet: string;
  /** False: the message is on another version (branch); opening it switches to that branch. */
  on_active_branch: boolean;
}

export interface SearchReply {
  results: SearchHit[];
}

export function searchConversations(q: string, limit = 20): Promise<SearchReply> {
  const params = new URLSearchParams({ q, limit: String(limit) });
  return request<SearchReply>("GET", `/api/search?${params}`);
}

const ARABIC_MARKS = /[\u0610-\u061A\u064B-\u065F\u0670\u06D6-\u06ED\u0640]/g;
const LATIN_MARKS = /[\u0300-\u036f]/g;

/** A word as the index keeps it: NFKC, case folded, Arabic diacritics and tatweel dropped,
 * أ إ آ ٱ → ا, ة → ه, ى → ي, Latin accents folded (é → e); digits stay (Darija "3ayla"). */
export function normaliseWord(word: string): string {
  return word
    .normalize("NFKC")
    .toLowerCase()
    .replace(ARABIC_MARKS, "")
    .replace(/[أإآٱ]/g, "ا")
    .replace(/ة/g, "ه")
    .replace(/ى/g, "ي")
    .normalize("NFD")
    .replace(LATIN_MARKS, "")
    .normalize("NFC");
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
