// The list of conversations: new, search (titles, on the server), rename in place, delete.
import { useState } from "react";
import { accountNavText } from "../i18n/accountLinks";
import { accountPath, type AccountPageName } from "../account/route";
import { ADMIN_PATH } from "../admin/route";
import type { ConversationOut, SearchHitOut, UserOut } from "../contract";
import { conversationTitle } from "../conversationTitle";
import { chatActionsText } from "../i18n/chatActions";
import { commonText } from "../i18n/common";
import { sidebarText } from "../i18n/sidebar";
import { useTexts } from "../i18n/texts";
import { ConversationMenu } from "./ConversationMenu";
import { ImportButton } from "./ImportButton";
import { SearchResults } from "./SearchResults";

function Item({
  conversation,
  active,
  onOpen,
  onRename,
  onDelete,
}: {
  conversation: ConversationOut;
  active: boolean;
  onOpen(): void;
  onRename(title: string): void;
  onDelete(): void;
}) {
  const T = useTexts(sidebarText);
  const [renaming, setRenaming] = useState(false);
  const [title, setTitle] = useState(conversation.title ?? "");
  const shown = conversationTitle(conversation);
  if (renaming) {
    const save = () => {
      setRenaming(false);
      if (title.trim() && title.trim() !== conversation.title) onRename(title.trim());
    };
    return (
      <li className="conv active">
        <input
          dir="auto"
          aria-label={T.titleLabel}
          value={title}
          autoFocus
          onChange={(e) => setTitle(e.target.value)}
          onBlur={save}
          onKeyDown={(e) => {
            if (e.key === "Enter") save();
            if (e.key === "Escape") {
              e.stopPropagation();
              setTitle(conversation.title ?? "");
              setRenaming(false);
            }
          }}
        />
      </li>
    );
  }
  return (
    <li className={`conv ${active ? "active" : ""}`} data-conversation-id={conversation.id}>
      <a
        href={`/c/${conversation.id}`}
        dir="auto"
        onClick={(e) => {
          e.preventDefault();
          onOpen();
        }}
      >
        {shown}
      </a>
      <ConversationMenu
        conversationId={conversation.id}
        title={shown}
        onRename={() => {
          setTitle(conversation.title ?? "");
          setRenaming(true);
        }}
        onDelete={onDelete}
      />
    </li>
  );
}

export function Sidebar({
  user,
  conversations,
  activeId,
  query,
  hits,
  searching,
  hasMore,
  open,
  onQuery,
  onOpenHit,
  onImported,
  onImportError,
  onMore,
  onNew,
  onOpen,
  onRename,
  onDelete,
  onAdmin,
  onOpenPage,
  onLogout,
}: {
  user: Pick<UserOut, "username">;
  conversations: ConversationOut[];
  activeId: string | null;
  /** What is typed in the search box; while it holds words the search results replace the list. */
  query: string;
  hits: SearchHitOut[] | null;
  searching: boolean;
  hasMore: boolean;
  open: boolean;
  onQuery(q: string): void;
  onOpenHit(hit: SearchHitOut): void;
  onImported(c: ConversationOut): void;
  onImportError(e: unknown): void;
  onMore(): void;
  onNew(): void;
  onOpen(id: string): void;
  onRename(id: string, title: string): void;
  onDelete(id: string): void;
  /** Open the admin console: given for staff only. */
  onAdmin?(): void;
  /** Open an account page (settings, API tokens). */
  onOpenPage?(page: AccountPageName): void;
  onLogout(): void;
}) {
  const N = useTexts(accountNavText);
  const T = useTexts(sidebarText);
  const A = useTexts(chatActionsText);
  const C = useTexts(commonText);
  return (
    <aside className={`sidebar ${open ? "open" : ""}`} aria-label={T.label}>
      <button type="button" className="primary newchat" onClick={onNew}>
        + {C.newChat}
      </button>
      <ImportButton onImported={onImported} onError={onImportError} />
      <input
        type="search"
        dir="auto"
        className="search"
        placeholder={A.searchPlaceholder}
        aria-label={T.search}
        value={query}
        onChange={(e) => onQuery(e.target.value)}
      />
      {query.trim() ? (
        <SearchResults query={query} hits={hits} searching={searching} onOpen={onOpenHit} />
      ) : (
        <>
          <ul className="convs">
            {conversations.map((c) => (
              <Item
                key={c.id}
                conversation={c}
                active={c.id === activeId}
                onOpen={() => onOpen(c.id)}
                onRename={(title) => onRename(c.id, title)}
                onDelete={() => onDelete(c.id)}
              />
            ))}
            {conversations.length === 0 ? <li className="empty">{T.none}</li> : null}
          </ul>
          {hasMore ? (
            <button type="button" className="more" onClick={onMore}>
              {T.loadMore}
            </button>
          ) : null}
        </>
      )}
      {onOpenPage ? (
        <nav className="me" aria-label={N.label}>
          {(["settings", "tokens"] as const).map((page) => (
            <a
              key={page}
              href={accountPath(page)}
              onClick={(e) => {
                e.preventDefault();
                onOpenPage(page);
              }}
            >
              {N[page]}
            </a>
          ))}
        </nav>
      ) : null}
      <div className="me">
        <span dir="auto">{user.username}</span>
        {onAdmin ? (
          <a
            href={ADMIN_PATH}
            className="adminlink"
            onClick={(e) => {
              e.preventDefault();
              onAdmin();
            }}
          >
            {C.admin.link}
          </a>
        ) : null}
        <button type="button" onClick={onLogout}>
          {T.logOut}
        </button>
      </div>
    </aside>
  );
}
