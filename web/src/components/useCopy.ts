// Put text on the clipboard and say how it went: every Copy button of the app (an answer, a code
// block, a new API token) shows "Copied" or that it failed, then, where it is asked to, its own
// word again after a moment.
import { useEffect, useState } from "react";

export type CopyState = "idle" | "copied" | "failed";

export function useCopy(resetAfterMs?: number): { state: CopyState; copy(text: string): void } {
  const [state, setState] = useState<CopyState>("idle");
  useEffect(() => {
    if (state === "idle" || resetAfterMs === undefined) return;
    const t = setTimeout(() => setState("idle"), resetAfterMs);
    return () => clearTimeout(t);
  }, [state, resetAfterMs]);
  const copy = (text: string) => {
    const clipboard = navigator.clipboard; // absent outside secure contexts (plain http off localhost)
    if (!clipboard) {
      setState("failed");
      return;
    }
    clipboard.writeText(text).then(
      () => setState("copied"),
      () => setState("failed"),
    );
  };
  return { state, copy };
}
