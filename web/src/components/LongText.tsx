// Long messages folded to their first screenful with "Show more", so a conversation stays
// scannable. The answer being written is never folded (the reader is following it), nor is one
// that was written while on screen.
import { useId, useState, type ReactNode } from "react";
import { chatActionsText } from "../i18n/chatActions";
import { useTexts } from "../i18n/texts";

export const LONG_CHARS = 1200;
export const LONG_LINES = 24;

export function isLong(text: string): boolean {
  return text.length > LONG_CHARS || text.split("\n").length > LONG_LINES;
}

export function LongText({ text, streaming, children }: { text: string; streaming: boolean; children: ReactNode }) {
  const T = useTexts(chatActionsText);
  // Seen streaming here: it stays open when it ends.
  const [expanded, setExpanded] = useState(streaming);
  const id = useId();
  if (streaming || !isLong(text)) return <>{children}</>;
  return (
    <>
      <div id={id} className={expanded ? "longtext" : "longtext folded"}>
        {children}
      </div>
      <button type="button" className="linkish showmore" aria-expanded={expanded} aria-controls={id} onClick={() => setExpanded((v) => !v)}>
        {expanded ? T.showLess : T.showMore}
      </button>
    </>
  );
}
