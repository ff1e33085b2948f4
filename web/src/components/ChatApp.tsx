// The signed-in app: the socket, the open conversation (driven by the pure reducer), the sidebar,
// and the actions. The URL (/c/<id>) names the open conversation so reload and back work.
import { useCallback, useEffect, useLayoutEffect, useReducer, useRef, useState } from "react";
import type { AccountPageName } from "../account/route";
import { api, ApiError } from "../api";
import type { ClientFrame, ConversationOut, MeOut, ModelsOut, SearchHitOut, ServerFrame, UserOut } from "../contract";
import { conversationTitle } from "../conversationTitle";
import type { ErrorContext } from "../errorText";
import { chatText } from "../i18n/chat";
import { commonText } from "../i18n/common";
import { useTexts } from "../i18n/texts";
import { modelLabel } from "../modelNames";
import { modelNoteText } from "../modelNotes";
import { errorNotice, modelsNotice, type Notice } from "../notices";
import { ChatSocket, socketUrl, type ConnectionState } from "../socket";
import { chatReducer, emptyChat, streamingMessage, type ChatMessage } from "../stream/reducer";
import { closeTopPanel, usePanel } from "../panels";
import { useConversationList } from "../useConversationList";
import { useSearch } from "../useSearch";
import { answerAnnouncement } from "./announce";
import { Composer } from "./Composer";
import { Connection } from "./Connection";
import { loadHighlighter } from "./lazyHighlight";
import { MessageView, type MessageActions } from "./MessageView";
import { Settings } from "./Settings";
import { ScrollToLatest } from "./ScrollToLatest";
import { Sidebar } from "./Sidebar";
import "../chatFeatures.css";

export function conversationIdFromPath(path: string): string | null {
  const m = /^\/c\/([^/]+)\/?$/.exec(path);
  return m ? decodeURIComponent(m[1]) : null;
}

function noticeFrom(e: unknown, context: ErrorContext): Notice {
  return errorNotice(e instanceof ApiError ? e : { code: "internal" }, context);
}

/** Where the person was when the session ended: given back after signing in again. */
export interface Place {
  conversationId: string | null;
  draft: string;
}

/** The banner for a send while the socket is down. */
function notConnected(): Notice {
  return { kind: "other", ...chatText.current().notConnected };
}

export function ChatApp({
  user,
  initialDraft = "",
  onLoggedOut,
  onSignedOut,
  onAdmin,
  onOpenPage,
}: {
  user: UserOut;
  /** The unsent text to start with (kept from before the session ended). */
  initialDraft?: string;
  /** The person logged out here. */
  onLoggedOut(): void;
  /** The session ended elsewhere (another tab logged out, password changed, token revoked). */
  onSignedOut(place: Place): void;
  /** Open the admin console (given for staff only). */
  onAdmin?(): void;
  /** Open an account page (settings, API tokens). */
  onOpenPage?(page: AccountPageName): void;
}) {
  const T = useTexts(chatText);
  const C = useTexts(commonText);
  const [chat, dispatch] = useReducer(chatReducer, emptyChat);
  const [routeId, setRouteId] = useState<string | null>(() => conversationIdFromPath(window.location.pathname));
  const [conn, setConn] = useState<ConnectionState>({ kind: "connecting", retry: false });
  const [notice, setNotice] = useState<Notice | null>(null);
  const [draft, setDraft] = useState(initialDraft);
  const [models, setModels] = useState<Pick<ModelsOut, "default_model" | "models">>({ default_model: "", models: [] });
  const [newChat, setNewChat] = useState({ model: "", system_prompt: "" });
  const [settingsOpen, setSettingsOpen] = useState(false);
  const [sidebarOpen, setSidebarOpen] = useState(false);
  const list = useConversationList((e) => fail(e, "load"));
  const search = useSearch((e) => fail(e, "load"));
  // What the screen reader's live region says: only when an answer is finished.
  const [announcement, setAnnouncement] = useState("");
  // Scrolled up from the newest text (the view does not follow the stream meanwhile).
  const [away, setAway] = useState(false);
  // A search hit's message: scrolled into view once on screen, then briefly highlighted.
  const [focusTarget, setFocusTarget] = useState<string | null>(null);
  const [highlight, setHighlight] = useState<string | null>(null);
  usePanel(settingsOpen, () => setSettingsOpen(false));
  usePanel(sidebarOpen, () => setSidebarOpen(false));

  const socket = useRef<ChatSocket | null>(null);
  const chatRef = useRef(chat);
  chatRef.current = chat;
  const routeRef = useRef(routeId);
  routeRef.current = routeId;
  const pendingSend = useRef<{ requestId: string; content: string; isNew: boolean } | null>(null);
  const openRequest = useRef<string | null>(null);
  const draftRef = useRef(draft);
  draftRef.current = draft;
  const onSignedOutRef = useRef(onSignedOut);
  onSignedOutRef.current = onSignedOut;
  /** False once this app has left the screen: a late reply must not sign out whoever comes next. */
  const alive = useRef(true);
  useEffect(() => {
    alive.current = true;
    return () => {
      alive.current = false;
    };
  }, []);

  /** The session has ended: hand over the open conversation and the unsent text (or the text of
   * a message that was on its way and got no answer) so they are there after signing in. */
  const signedOut = useCallback(() => {
    if (!alive.current) return;
    alive.current = false;
    onSignedOutRef.current({
      conversationId: routeRef.current,
      draft: draftRef.current || (pendingSend.current?.content ?? ""),
    });
  }, []);

  /** An HTTP call failed: a 401 means the session has ended; anything else is told in a banner. */
  const fail = (e: unknown, context: ErrorContext) => {
    if (e instanceof ApiError && e.status === 401) signedOut();
    else setNotice(noticeFrom(e, context));
  };

  const navigate = useCallback((id: string | null) => {
    const path = id ? `/c/${encodeURIComponent(id)}` : "/";
    if (window.location.pathname !== path) window.history.pushState(null, "", path);
    setRouteId(id);
    setSidebarOpen(false);
  }, []);

  /** Join the open conversation's stream: the server answers with a snapshot and, for an answer
   * still being written, a sync of its text so far. Used on open, reconnect and resync. */
  const openCurrent = useCallback(() => {
    const id = routeRef.current;
    if (!id || !socket.current) return false;
    openRequest.current = socket.current.send({ type: "conversation.open", conversation_id: id });
    return openRequest.current !== null;
  }, []);

  const onFrame = useCallback(
    (frame: ServerFrame) => {
      switch (frame.type) {
        case "conversation.created": {
          const c = frame.conversation;
          list.upsert(c);
          const pending = pendingSend.current;
          if (pending?.isNew && frame.request_id === pending.requestId) {
            dispatch({ type: "started", conversation: c });
            navigate(c.id);
          }
          break;
        }
        case "conversation.snapshot":
          // Unrequested (no request_id): the server resends what may have been missed; only the
          // conversation on screen is taken, a late one for a conversation just left is not.
          if (!frame.request_id && frame.conversation.id !== routeRef.current) break;
          dispatch({ type: "snapshot", conversation: frame.conversation, messages: frame.messages });
          break;
        case "message.created":
          dispatch({ type: "created", message: frame.message });
          if (frame.request_id && frame.request_id === pendingSend.current?.requestId) pendingSend.current = null;
          break;
        case "message.delta":
          dispatch({ type: "delta", message_id: frame.message_id, seq: frame.seq, text: frame.text });
          break;
        case "message.queued":
          dispatch({ type: "queued", message_id: frame.message_id, position: frame.position });
          break;
        case "message.sync":
          dispatch({ type: "sync", message_id: frame.message_id, seq: frame.seq, text: frame.text, status: frame.status });
          break;
        case "message.done":
          // A failed answer says why under itself (MessageView), in the words for its code.
          dispatch({ ...frame, type: "done" });
          if (frame.status === "complete" && chatRef.current.messages[frame.message_id]) {
            setAnnouncement(answerAnnouncement(frame.content));
          }
          break;
        case "conversation.updated":
          // A new title from the server or another tab: only for chats we list or show.
          list.patch(frame.conversation);
          dispatch({ type: "conversationPatch", patch: frame.conversation });
          break;
        case "conversation.deleted":
          // Deleted in another tab (or by a script): drop it here too.
          list.remove(frame.conversation_id);
          if (routeRef.current === frame.conversation_id) navigate(null);
          break;
        case "models.changed":
          setModels(frame);
          break;
        case "error": {
          // Not signed in, or signed out: the 4401 close that follows decides (sign-in screen or reconnect).
          if (frame.code === "unauthenticated" || frame.code === "signed_out") break;
          setNotice(errorNotice(frame, "chat"));
          const pending = pendingSend.current;
          if (pending && frame.request_id === pending.requestId) {
            setDraft((d) => d || pending.content); // give the text back: nothing typed is lost
            pendingSend.current = null;
          }
          if (frame.request_id && frame.request_id === openRequest.current && (frame.code === "not_found" || frame.code === "forbidden")) {
            navigate(null);
          }
          break;
        }
        default:
          break;
      }
    },
    [list.upsert, list.patch, list.remove, navigate],
  );

  // The socket lives as long as the signed-in app.
  const onFrameRef = useRef(onFrame);
  onFrameRef.current = onFrame;
  useEffect(() => {
    const s = new ChatSocket(socketUrl(window.location), {
      onFrame: (f) => onFrameRef.current(f),
      onState: setConn,
      onOpen: () => {
        openCurrent();
      },
      stillSignedIn: async () => (await api.me()) !== null,
      onSignedOut: signedOut,
    });
    socket.current = s;
    s.start();
    return () => {
      s.stop();
      socket.current = null;
    };
  }, [openCurrent, signedOut]);

  // Fetch the code highlighter while the reader is idle, so the first code block is already coloured.
  useEffect(() => {
    const t = setTimeout(() => void loadHighlighter(), 1500);
    return () => clearTimeout(t);
  }, []);

  // Say so up front when the model server is down, instead of after the first failed answer.
  useEffect(() => {
    api
      .models()
      .then((list) => {
        setModels(list);
        const down = modelsNotice(list);
        if (down) setNotice((current) => current ?? down);
      })
      .catch((e) => fail(e, "load"));
  }, []);

  useEffect(() => {
    const onPop = () => setRouteId(conversationIdFromPath(window.location.pathname));
    window.addEventListener("popstate", onPop);
    return () => window.removeEventListener("popstate", onPop);
  }, []);

  // Opening another conversation (or "New chat") starts from an empty view, and stops the stream
  // of the one left behind (its group would keep sending deltas nobody shows).
  useEffect(() => {
    const left = chatRef.current.conversationId;
    if (left && left !== routeId) socket.current?.send({ type: "conversation.close", conversation_id: left });
    if (routeId === null) {
      if (left) dispatch({ type: "reset", conversationId: null });
      return;
    }
    if (left === routeId) return;
    dispatch({ type: "reset", conversationId: routeId });
    openCurrent();
  }, [routeId, openCurrent]);

  // A gap in the stream (or text that may miss pieces): ask the server for the truth.
  useEffect(() => {
    if (chat.resync === "wanted" && openCurrent()) dispatch({ type: "resyncRequested" });
  }, [chat.resync, openCurrent, conn]);

  const streaming = streamingMessage(chat);

  const send = (frame: ClientFrame): string | null => {
    const id = socket.current?.send(frame) ?? null;
    if (!id) setNotice(notConnected());
    return id;
  };

  const stop = useCallback(() => {
    const m = streamingMessage(chatRef.current);
    if (m) socket.current?.send({ type: "chat.stop", message_id: m.id });
  }, []);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== "Escape" || e.defaultPrevented) return;
      // The topmost open panel (menu, note, correction, settings, phone sidebar) first; then the answer.
      if (closeTopPanel()) e.preventDefault();
      else if (streamingMessage(chatRef.current)) {
        e.preventDefault();
        stop();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [stop]);

  const sendDraft = () => {
    const content = draft.trim();
    if (!content || streaming) return;
    const open = chat.conversationId;
    const frame: ClientFrame = open
      ? { type: "chat.send", conversation_id: open, content, parent_id: chat.branch.at(-1) ?? null }
      : {
          type: "chat.send",
          conversation_id: null,
          content,
          ...(newChat.model ? { model: newChat.model } : {}),
          ...(newChat.system_prompt ? { system_prompt: newChat.system_prompt } : {}),
        };
    const requestId = send(frame);
    if (!requestId) return;
    pendingSend.current = { requestId, content, isNew: !open };
    setDraft("");
    setNotice(null);
  };

  const actions: MessageActions = {
    onEdit: (m: ChatMessage, content: string) => {
      send({ type: "chat.edit", message_id: m.id, content });
    },
    onRegenerate: (m: ChatMessage) => {
      setNotice(null);
      send({ type: "chat.regenerate", message_id: m.id });
    },
    onRate: (m: ChatMessage, feedback) => {
      api
        .feedback(m.id, feedback)
        .then((rated) => dispatch({ type: "feedback", message_id: m.id, feedback: rated.feedback }))
        .catch((e) => fail(e, "chat"));
    },
    onSwitchBranch: (_m: ChatMessage, siblingId: string) => {
      const open = chat.conversationId;
      if (!open) return;
      api
        .updateConversation(open, { active_leaf_id: siblingId })
        .then(() => openCurrent())
        .catch((e) => fail(e, "chat"));
    },
  };

  const saveSettings = (model: string, systemPrompt: string) => {
    setSettingsOpen(false);
    const open = chat.conversationId;
    if (!open) {
      setNewChat({ model, system_prompt: systemPrompt });
      return;
    }
    api
      .updateConversation(open, { ...(model ? { model } : {}), system_prompt: systemPrompt })
      .then((c: ConversationOut) => {
        dispatch({ type: "conversation", conversation: c });
        list.upsert(c);
      })
      .catch((e) => fail(e, "settings"));
  };

  const deleteConversation = (id: string) => {
    api
      .deleteConversation(id)
      .then(() => {
        list.remove(id);
        if (routeRef.current === id) navigate(null);
      })
      .catch((e) => fail(e, "chat"));
  };

  const renameConversation = (id: string, title: string) => {
    api
      .updateConversation(id, { title })
      .then((c) => {
        list.upsert(c);
        dispatch({ type: "conversation", conversation: c });
      })
      .catch((e) => fail(e, "rename"));
  };

  // Follow the answer as it grows, unless the reader has scrolled up to read something.
  const scroller = useRef<HTMLDivElement>(null);
  const stick = useRef(true);
  const lastId = chat.branch.at(-1);
  const lastText = lastId ? chat.messages[lastId]?.content : "";
  useLayoutEffect(() => {
    const el = scroller.current;
    if (el && stick.current) el.scrollTop = el.scrollHeight;
  }, [lastId, lastText]);

  const toLatest = () => {
    const el = scroller.current;
    stick.current = true;
    setAway(false);
    if (el) el.scrollTop = el.scrollHeight;
  };

  useEffect(() => {
    if (!focusTarget || !chat.branch.includes(focusTarget)) return;
    setFocusTarget(null);
    stick.current = false;
    const shown = [...(scroller.current?.querySelectorAll("article[data-message-id]") ?? [])];
    shown.find((el) => el.getAttribute("data-message-id") === focusTarget)?.scrollIntoView({ block: "center" });
    setHighlight(focusTarget);
  }, [chat.branch, focusTarget]);

  useEffect(() => {
    if (!highlight) return;
    const t = setTimeout(() => setHighlight(null), 2500);
    return () => clearTimeout(t);
  }, [highlight]);

  /** Open a search hit: its version (branch) first when it is not the active one, then the
   * conversation, and its message is brought into view. */
  const openHit = (hit: SearchHitOut) => {
    const id = hit.conversation.id;
    const show = () => {
      setFocusTarget(hit.message_id);
      if (routeRef.current === id && !hit.on_active_branch) openCurrent();
      navigate(id);
    };
    if (hit.message_id && !hit.on_active_branch) {
      api
        .updateConversation(id, { active_leaf_id: hit.message_id })
        .then(show)
        .catch((e) => fail(e, "load"));
    } else show();
  };

  const imported = (c: ConversationOut) => {
    setNotice(null); // an earlier file's refusal no longer applies
    list.upsert(c);
    navigate(c.id);
  };

  const open = chat.conversationId;
  const conv = chat.conversation;
  // A new chat starts with the account's defaults (/settings), else the server's model.
  const account = user as Partial<MeOut>;
  const model = (open ? conv?.model : newChat.model || account.default_model) || models.default_model;
  const listed = list.items.find((c) => c.id === open);
  // Until the snapshot comes, the sidebar's copy names the chat (or "…" while neither is here).
  const known = conv ?? listed;
  const title = open ? (known ? conversationTitle(known) : "…") : C.newChat;

  return (
    <div className="app">
      <Sidebar
        user={user}
        conversations={list.items}
        activeId={open}
        query={search.query}
        hits={search.hits}
        searching={search.searching}
        hasMore={list.hasMore}
        open={sidebarOpen}
        onQuery={search.setQuery}
        onOpenHit={openHit}
        onImported={imported}
        onImportError={(e) => fail(e, "import")}
        onMore={() => void list.more()}
        onNew={() => {
          navigate(null);
          setNewChat({ model: "", system_prompt: "" });
        }}
        onOpen={navigate}
        onRename={renameConversation}
        onDelete={deleteConversation}
        onAdmin={onAdmin}
        onOpenPage={onOpenPage}
        onLogout={() => {
          alive.current = false; // leaving on purpose: the socket's own close is not a "signed out"
          socket.current?.stop();
          api
            .logout()
            .catch(() => undefined)
            .finally(onLoggedOut);
        }}
      />
      {sidebarOpen ? <div className="scrim" onClick={() => setSidebarOpen(false)} /> : null}
      <main className="chat">
        <header className="chathead">
          <button type="button" className="icon menu" aria-label={T.conversations} onClick={() => setSidebarOpen(true)}>
            ☰
          </button>
          <h2 dir="auto">{title}</h2>
          <span className="modelchip" title={T.model}>
            {model ? modelLabel(model) : T.defaultModel}
          </span>
          <button
            type="button"
            className="icon"
            aria-label={T.settings}
            title={T.settingsHint}
            onClick={() => setSettingsOpen((v) => !v)}
          >
            ⚙
          </button>
        </header>
        <Connection state={conn} onRetry={() => socket.current?.retryNow()} />
        {open && conv?.model_note ? (
          // The server moved this chat off a model an admin retired: say so where the user reads.
          <p className="modelnote" role="status" dir="auto">
            {modelNoteText(conv.model_note)}
          </p>
        ) : null}
        {notice ? (
          <div className={`banner banner-${notice.kind}`} role="alert">
            <div>
              <strong>{notice.title}.</strong> {notice.advice}
            </div>
            <button type="button" className="icon" aria-label={T.dismiss} onClick={() => setNotice(null)}>
              ×
            </button>
          </div>
        ) : null}
        {settingsOpen ? (
          <Settings
            models={models.models}
            model={model}
            systemPrompt={(open ? conv?.system_prompt : newChat.system_prompt || account.default_system_prompt) ?? ""}
            onSave={saveSettings}
            onClose={() => setSettingsOpen(false)}
          />
        ) : null}
        <div
          className="messages"
          ref={scroller}
          onScroll={(e) => {
            const el = e.currentTarget;
            stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < 80;
            setAway(!stick.current);
          }}
        >
          {chat.branch.length === 0 && !open ? (
            <div className="welcome">
              <h1>{T.welcome}</h1>
              <p>{T.welcomeHint}</p>
            </div>
          ) : null}
          {chat.branch.map((id) => {
            const m = chat.messages[id];
            return m ? (
              <MessageView key={id} message={m} busy={streaming !== null} actions={actions} highlighted={id === highlight} />
            ) : null;
          })}
        </div>
        {away ? <ScrollToLatest onClick={toLatest} /> : null}
        <div className="sr-only announcer" aria-live="polite">
          {announcement}
        </div>
        <Composer
          value={draft}
          onChange={setDraft}
          onSend={sendDraft}
          onStop={stop}
          streaming={streaming !== null}
          disabled={conn.kind !== "open"}
          placeholder={T.composer.placeholder}
        />
      </main>
    </div>
  );
}
