// The reconnect indicator: silent while connected, a countdown and a "retry now" while waiting.
import { useEffect, useState } from "react";
import { commonText } from "../i18n/common";
import { useTexts } from "../i18n/texts";
import type { ConnectionState } from "../socket";

export function Connection({ state, onRetry }: { state: ConnectionState; onRetry(): void }) {
  const T = useTexts(commonText);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (state.kind !== "waiting") return;
    const t = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(t);
  }, [state]);

  if (state.kind === "open") return null;
  if (state.kind === "closed") {
    return (
      <div className="conn closed" role="status">
        {T.connection.refused}{" "}
        <button type="button" onClick={() => window.location.reload()}>
          {T.reload}
        </button>
      </div>
    );
  }
  if (state.kind === "connecting") {
    return (
      <div className="conn" role="status">
        {state.retry ? T.connection.reconnecting : T.connection.connecting}
      </div>
    );
  }
  const seconds = Math.max(0, Math.ceil((state.retryAt - now) / 1000));
  return (
    <div className="conn waiting" role="status">
      {T.connection.lost(seconds)}{" "}
      <button type="button" onClick={onRetry}>
        {T.connection.retryNow}
      </button>
    </div>
  );
}
