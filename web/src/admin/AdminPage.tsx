// The admin console (/admin, staff only; App loads this module on demand so the chat's first load
// does not carry it). Its sections are tabs whose name is in the URL (/admin/runs) so reload and
// back work. One socket, like the chat's, brings the server's `training.progress` pushes.
import { useEffect, useRef, useState } from "react";
import { api } from "../api";
import { Connection } from "../components/Connection";
import type { ServerFrame, TrainingRunOut, UserOut } from "../contract";
import { activeLanguage, useTexts } from "../i18n/texts";
import { ChatSocket, socketUrl, type ConnectionState } from "../socket";
import { AuditTab } from "./AuditTab";
import { DataTab } from "./DataTab";
import { ADMIN_TEXT, adminText } from "./text";
import { ADMIN_PATH } from "./route";
import { RunsTab } from "./RunsTab";
import { useSampleAnswers } from "./useSampleAnswers";
import { UsersTab } from "./UsersTab";
import { VersionsTab } from "./VersionsTab";
import "./admin.css";

export type Tab = keyof typeof ADMIN_TEXT.tabs;
const TABS = Object.keys(ADMIN_TEXT.tabs) as Tab[];

/** The console's words in the active language, fetched before its first render (App's lazy import). */
export function loadAdminWords(): Promise<void> {
  return adminText.load(activeLanguage());
}

export function tabFromPath(path: string): Tab {
  const name = path.slice(ADMIN_PATH.length).replace(/^\/+|\/+$/g, "");
  return (TABS as string[]).includes(name) ? (name as Tab) : "data";
}

export default function AdminPage({
  user,
  onBack,
  onSignedOut,
}: {
  user: UserOut;
  /** Back to the chat. */
  onBack(): void;
  /** The session ended (the socket was closed with 4401 and the server no longer knows us). */
  onSignedOut(): void;
}) {
  useTexts(adminText); // the console renders again in another language
  const [tab, setTab] = useState<Tab>(() => tabFromPath(window.location.pathname));
  const [conn, setConn] = useState<ConnectionState>({ kind: "connecting", retry: false });
  const [pushed, setPushed] = useState<TrainingRunOut | null>(null);
  /** Bumped by each `models.changed`: another admin (or tab) activated or rolled back a version. */
  const [modelsChanged, setModelsChanged] = useState(0);
  /** The version to compare when the versions tab opens (from a run's "open the version"). */
  const [focusVersion, setFocusVersion] = useState<string | null>(null);
  const socket = useRef<ChatSocket | null>(null);
  const onSignedOutRef = useRef(onSignedOut);
  onSignedOutRef.current = onSignedOut;
  const answers = useSampleAnswers(socket);
  const onFrameRef = useRef(answers.onFrame);
  onFrameRef.current = answers.onFrame;

  useEffect(() => {
    const s = new ChatSocket(socketUrl(window.location), {
      onFrame: (frame: ServerFrame) => {
        if (frame.type === "training.progress") setPushed(frame.run);
        else if (frame.type === "models.changed") setModelsChanged((n) => n + 1);
        else onFrameRef.current(frame);
      },
      onState: setConn,
      onOpen: () => undefined,
      stillSignedIn: async () => (await api.me()) !== null,
      onSignedOut: () => onSignedOutRef.current(),
    });
    socket.current = s;
    s.start();
    return () => {
      s.stop();
      socket.current = null;
    };
  }, []);

  useEffect(() => {
    const onPop = () => setTab(tabFromPath(window.location.pathname));
    window.addEventListener("popstate", onPop);
    return () => window.removeEventListener("popstate", onPop);
  }, []);

  const open = (next: Tab) => {
    const path = `${ADMIN_PATH}/${next}`;
    if (window.location.pathname !== path) window.history.pushState(null, "", path);
    setTab(next);
  };

  return (
    <div className="admin">
      <header className="adminhead">
        <h1>{ADMIN_TEXT.title}</h1>
        <span className="spacer" />
        <span dir="auto" className="muted">
          {user.username}
        </span>
        <a
          href="/"
          onClick={(e) => {
            e.preventDefault();
            onBack();
          }}
        >
          {ADMIN_TEXT.backToChat}
        </a>
      </header>
      <nav className="admintabs" role="tablist" aria-label={ADMIN_TEXT.tabsLabel}>
        {TABS.map((t) => (
          <button key={t} type="button" role="tab" aria-selected={t === tab} className={t === tab ? "on" : ""} onClick={() => open(t)}>
            {ADMIN_TEXT.tabs[t]}
          </button>
        ))}
      </nav>
      <Connection state={conn} onRetry={() => socket.current?.retryNow()} />
      <div className="adminbody" role="tabpanel">
        {tab === "data" ? <DataTab /> : null}
        {tab === "runs" ? (
          <RunsTab
            pushed={pushed}
            onOpenVersion={(id) => {
              setFocusVersion(id);
              open("versions");
            }}
          />
        ) : null}
        {tab === "versions" ? <VersionsTab answers={answers} modelsChanged={modelsChanged} focus={focusVersion} /> : null}
        {tab === "audit" ? <AuditTab /> : null}
        {tab === "users" ? <UsersTab me={user} /> : null}
      </div>
    </div>
  );
}
