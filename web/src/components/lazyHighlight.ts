// Loads the highlighter chunk once, on demand, and lets code blocks re-render when it arrives.
// Until then (a few ms) a block shows as plain monospace text: never blocks the first paint.
import { useSyncExternalStore } from "react";

type Highlight = (code: string, language: string | null) => string | null;

let highlighter: Highlight | null = null;
let loading: Promise<void> | null = null;
const listeners = new Set<() => void>();

export function loadHighlighter(): Promise<void> {
  loading ??= import("./highlight").then((m) => {
    highlighter = m.highlight;
    for (const notify of listeners) notify();
  });
  return loading;
}

function subscribe(notify: () => void): () => void {
  listeners.add(notify);
  return () => listeners.delete(notify);
}

export function useHighlighter(): Highlight | null {
  return useSyncExternalStore(subscribe, () => highlighter);
}
