// One section's save: busy while the call runs, then "Saved." or the failure's sentence, so each
// section of the settings page says for itself what happened to what was just changed.
import { useCallback, useState } from "react";
import type { Failure } from "./failure";

export interface Saving {
  busy: boolean;
  /** "Saved." (or another sentence) after a success; null otherwise. */
  done: string | null;
  error: string | null;
  /** Run `call`; `saved` is the sentence shown when it succeeds. */
  run(call: () => Promise<unknown>, saved: string): Promise<boolean>;
  fail(sentence: string): void;
}

export function useSaving(failure: Failure): Saving {
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const run = useCallback(
    async (call: () => Promise<unknown>, saved: string) => {
      setBusy(true);
      setDone(null);
      setError(null);
      try {
        await call();
        setDone(saved);
        return true;
      } catch (e) {
        setError(failure(e));
        return false;
      } finally {
        setBusy(false);
      }
    },
    [failure],
  );
  const fail = useCallback((sentence: string) => {
    setDone(null);
    setError(sentence);
  }, []);
  return { busy, done, error, run, fail };
}

/** What a section shows under its controls: the success line or the error. */
export function SaveResult({ saving }: { saving: Saving }) {
  if (saving.error) {
    return (
      <p className="formerror" role="alert">
        {saving.error}
      </p>
    );
  }
  return (
    <p className="saved" role="status">
      {saving.done ?? ""}
    </p>
  );
}
