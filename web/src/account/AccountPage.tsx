// The account pages, /settings and /tokens (App loads this module on demand, so the chat's first
// load carries none of it): a header to go between them and back to the chat, then the page.
import { useMemo, useRef } from "react";
import type { MeOut, UserOut } from "../contract";
import { useTexts } from "../i18n/texts";
import { failureOf } from "./failure";
import { accountNavText } from "../i18n/accountLinks";
import { accountPath, type AccountPageName } from "./route";
import { SettingsPage } from "./SettingsPage";
import { accountText } from "./text";
import { TokensPage } from "./TokensPage";
import "./account.css";

const PAGES: readonly AccountPageName[] = ["settings", "tokens"];

export default function AccountPage({
  page,
  user,
  onOpen,
  onBack,
  onSignedOut,
  onLeft,
  onAccount,
}: {
  page: AccountPageName;
  user: UserOut;
  /** Go to the other account page. */
  onOpen(page: AccountPageName): void;
  /** Back to the chat. */
  onBack(): void;
  /** The session ended elsewhere (a call came back unauthenticated). */
  onSignedOut(): void;
  /** Signed out on purpose (everywhere) or the account was deleted: `farewell` is said at sign-in. */
  onLeft(farewell: string | null): void;
  /** The account as the server last sent it (its defaults for new chats, which the chat reads). */
  onAccount(account: MeOut): void;
}) {
  const A = useTexts(accountText);
  const nav = useTexts(accountNavText);
  const signedOut = useRef(onSignedOut);
  signedOut.current = onSignedOut;
  const accountRef = useRef(onAccount);
  accountRef.current = onAccount;
  const account = useMemo(() => (me: MeOut) => accountRef.current(me), []);
  // One failure handler for the page's life: the pages load again only when it changes.
  const failure = useMemo(() => failureOf(() => signedOut.current()), []);
  return (
    <div className="accountpage">
      <header className="accounthead">
        <a
          href="/"
          onClick={(e) => {
            e.preventDefault();
            onBack();
          }}
        >
          {A.backToChat}
        </a>
        <nav aria-label={A.pagesLabel}>
          {PAGES.map((p) => (
            <a
              key={p}
              href={accountPath(p)}
              aria-current={p === page ? "page" : undefined}
              onClick={(e) => {
                e.preventDefault();
                onOpen(p);
              }}
            >
              {nav[p]}
            </a>
          ))}
        </nav>
        <span className="spacer" />
        <span dir="auto" className="muted">
          {user.username}
        </span>
      </header>
      <main>
        {page === "settings" ? (
          <SettingsPage failure={failure} onAccount={account} onSignedOutEverywhere={() => onLeft(null)} onDeleted={() => onLeft(A.accountGone)} />
        ) : (
          <TokensPage failure={failure} />
        )}
      </main>
    </div>
  );
}
