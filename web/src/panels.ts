// Which panels are open (menus, the note and correction boxes, conversation settings, the phone
// sidebar), newest last, so that Esc closes the topmost one and stops an answer only when none is
// open. A panel registers while it is open; the page's one Esc handler (ChatApp) asks here first.
import { useEffect, useRef } from "react";

const open: Array<{ close(): void }> = [];

/** Close the panel opened last; false when none is open (Esc may then stop an answer). */
export function closeTopPanel(): boolean {
  const top = open.pop();
  if (!top) return false;
  top.close();
  return true;
}

export function openPanelCount(): number {
  return open.length;
}

/** Keep `close` on the stack while `isOpen` (the latest `close` is the one called). */
export function usePanel(isOpen: boolean, close: () => void): void {
  const latest = useRef(close);
  latest.current = close;
  useEffect(() => {
    if (!isOpen) return;
    const entry = { close: () => latest.current() };
    open.push(entry);
    return () => {
      const at = open.indexOf(entry);
      if (at >= 0) open.splice(at, 1);
    };
  }, [isOpen]);
}
