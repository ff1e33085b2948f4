// The "⋯" menu of one conversation in the sidebar: rename, delete, export as Markdown or JSON.
// Always in the tab order (not shown only on hover), opened by Enter/Space or a click, moved
// through with the arrow keys; Esc (the page's panel stack) or a click elsewhere closes it.
import { useEffect, useRef, useState, type KeyboardEvent } from "react";
import { chatActionsText } from "../i18n/chatActions";
import { sidebarText } from "../i18n/sidebar";
import { useTexts } from "../i18n/texts";
import { usePanel } from "../panels";

/** Where a conversation's export downloads from (the server names the file). */
export function exportUrl(conversationId: string, format: "md" | "json"): string {
  return `/api/conversations/${encodeURIComponent(conversationId)}/export?format=${format}`;
}

export function ConversationMenu({
  conversationId,
  title,
  onRename,
  onDelete,
}: {
  conversationId: string;
  title: string;
  onRename(): void;
  onDelete(): void;
}) {
  const A = useTexts(chatActionsText);
  const S = useTexts(sidebarText);
  const [open, setOpen] = useState(false);
  const trigger = useRef<HTMLButtonElement>(null);
  const menu = useRef<HTMLDivElement>(null);

  const close = (refocus = true) => {
    setOpen(false);
    if (refocus) trigger.current?.focus();
  };
  usePanel(open, () => close());

  useEffect(() => {
    if (!open) return;
    menu.current?.querySelector<HTMLElement>("[role=menuitem]")?.focus();
    const outside = (e: MouseEvent) => {
      const target = e.target as Node;
      if (!menu.current?.contains(target) && !trigger.current?.contains(target)) setOpen(false);
    };
    document.addEventListener("mousedown", outside);
    return () => document.removeEventListener("mousedown", outside);
  }, [open]);

  const keys = (e: KeyboardEvent<HTMLDivElement>) => {
    const items = [...(menu.current?.querySelectorAll<HTMLElement>("[role=menuitem]") ?? [])];
    const at = items.indexOf(document.activeElement as HTMLElement);
    const go = (i: number) => items[(i + items.length) % items.length]?.focus();
    if (e.key === "ArrowDown") go(at + 1);
    else if (e.key === "ArrowUp") go(at - 1);
    else if (e.key === "Home") go(0);
    else if (e.key === "End") go(items.length - 1);
    else if (e.key === "Tab") setOpen(false);
    else return;
    if (e.key !== "Tab") e.preventDefault();
  };

  return (
    <span className="convmenu">
      <button
        ref={trigger}
        type="button"
        className="icon menubutton"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-label={A.menuFor(title)}
        title={A.menuFor(title)}
        onClick={() => setOpen((v) => !v)}
      >
        ⋯
      </button>
      {open ? (
        <div ref={menu} className="popmenu" role="menu" aria-label={A.menuFor(title)} onKeyDown={keys}>
          <button
            type="button"
            role="menuitem"
            onClick={() => {
              close(false);
              onRename();
            }}
          >
            ✎ {S.rename}
          </button>
          <a role="menuitem" href={exportUrl(conversationId, "md")} download onClick={() => close()}>
            ⤓ {A.exportMarkdown}
          </a>
          <a role="menuitem" href={exportUrl(conversationId, "json")} download onClick={() => close()}>
            ⤓ {A.exportJson}
          </a>
          <button
            type="button"
            role="menuitem"
            className="danger"
            onClick={() => {
              close();
              if (window.confirm(S.confirmDelete(title))) onDelete();
            }}
          >
            🗑 {S.delete}
          </button>
        </div>
      ) : null}
    </span>
  );
}
