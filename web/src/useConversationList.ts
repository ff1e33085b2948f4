// The sidebar's data: one page of conversations at a time (the server paginates by cursor),
// newest first, refreshed when the window regains focus so that chats made
// in another tab or device appear without a reload.
import { useCallback, useEffect, useRef, useState } from "react";
import { api } from "./api";
import type { ConversationOut, ConversationTitle } from "./contract";

export function useConversationList(onError: (e: unknown) => void) {
  const [items, setItems] = useState<ConversationOut[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const generation = useRef(0);
  const errorRef = useRef(onError);
  errorRef.current = onError;

  const load = useCallback(async () => {
    const mine = ++generation.current;
    try {
      const page = await api.conversations(null);
      if (mine !== generation.current) return; // a newer load has started
      setItems(page.conversations);
      setCursor(page.next_cursor);
    } catch (e) {
      errorRef.current(e);
    }
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  useEffect(() => {
    const refresh = () => {
      if (document.visibilityState === "visible") void load();
    };
    window.addEventListener("focus", refresh);
    return () => window.removeEventListener("focus", refresh);
  }, [load]);

  const more = useCallback(async () => {
    if (!cursor) return;
    try {
      const page = await api.conversations(cursor);
      setItems((old) => [...old, ...page.conversations.filter((c) => !old.some((o) => o.id === c.id))]);
      setCursor(page.next_cursor);
    } catch (e) {
      errorRef.current(e);
    }
  }, [cursor]);

  const upsert = useCallback((c: ConversationOut) => {
    setItems((old) => (old.some((o) => o.id === c.id) ? old.map((o) => (o.id === c.id ? c : o)) : [c, ...old]));
  }, []);

  /** Changes to a listed conversation (a new title); unknown ids are left to the next refresh. */
  const patch = useCallback((c: ConversationTitle) => {
    setItems((old) => old.map((o) => (o.id === c.id ? { ...o, ...c } : o)));
  }, []);

  const remove = useCallback((id: string) => setItems((old) => old.filter((o) => o.id !== id)), []);

  return { items, hasMore: cursor !== null, more, upsert, patch, remove };
}
