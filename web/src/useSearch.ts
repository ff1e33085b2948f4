// The sidebar's search: what is typed, and the conversations found for it, asked of the server
// once typing pauses (a newer question always wins over a late answer to an older one).
import { useEffect, useRef, useState } from "react";
import type { SearchHitOut } from "./contract";
import { searchConversations } from "./search";

export const SEARCH_PAUSE_MS = 250;

export function useSearch(onError: (e: unknown) => void) {
  const [query, setQuery] = useState("");
  const [hits, setHits] = useState<SearchHitOut[] | null>(null);
  const generation = useRef(0);
  const errorRef = useRef(onError);
  errorRef.current = onError;

  useEffect(() => {
    const mine = ++generation.current;
    if (!query.trim()) {
      setHits(null);
      return;
    }
    const t = setTimeout(() => {
      searchConversations(query.trim()).then(
        (reply) => {
          if (mine === generation.current) setHits(reply.results);
        },
        (e) => {
          if (mine === generation.current) errorRef.current(e);
        },
      );
    }, SEARCH_PAUSE_MS);
    return () => clearTimeout(t);
  }, [query]);

  /** The results are for what is typed now (null while a search is on its way). */
  const searching = query.trim() !== "" && hits === null;
  return { query, setQuery, hits, searching };
}
