// One admin read: its data, its failure, and a way to read it again (after an action changed it).
import { useCallback, useEffect, useRef, useState } from "react";

export interface Loaded<T> {
  data: T | null;
  error: unknown;
  reload(): void;
  /** Replace what is shown with what an action's reply says is there now. */
  setData(update: (current: T | null) => T | null): void;
}

/** Reads on mount, and again whenever `key` changes (a filter, say). */
export function useLoad<T>(read: () => Promise<T>, key: unknown = null): Loaded<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<unknown>(null);
  const readRef = useRef(read);
  readRef.current = read;
  const generation = useRef(0);
  const reload = useCallback(() => {
    const mine = ++generation.current;
    readRef
      .current()
      .then((value) => {
        if (mine !== generation.current) return; // a newer read is on its way
        setData(value);
        setError(null);
      })
      .catch((e: unknown) => {
        if (mine === generation.current) setError(e);
      });
  }, []);
  useEffect(() => {
    reload();
    return () => {
      generation.current += 1; // the tab closed: nothing lands after
    };
  }, [reload, key]);
  return { data, error, reload, setData };
}
