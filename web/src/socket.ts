// One WebSocket to /ws/chat/ that keeps itself connected. The server is the source of truth, so
// after any reconnect the app simply re-opens its conversation (snapshot + sync) instead of
// replaying anything: a lost socket costs a few hundred milliseconds, never text.
import type { ClientFrame, ServerFrame } from "./contract";

export type ConnectionState =
  | { kind: "connecting"; retry: boolean }
  | { kind: "open" }
  | { kind: "waiting"; attempt: number; retryAt: number }
  /** Refused for good (the page is told to reload, in its language). */
  | { kind: "closed" };

/** Delay before reconnect attempt `attempt` (1-based): doubling from 0.5 s, capped, with jitter
 * so that many tabs behind one restarted server do not all knock at once. */
export function backoffMs(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(15_000, 500 * 2 ** Math.max(0, attempt - 1));
  return Math.round(base * (0.75 + 0.5 * random()));
}

/** The server closes with this when the socket has no signed-in user, or when the credential it
 * was opened with ends (logout anywhere, token revoked, password changed). */
export const CLOSE_SIGNED_OUT = 4401;
/** Close codes after which retrying cannot help. */
const FINAL_CLOSE_CODES = new Set([4403]);

export interface SocketEvents {
  onFrame(frame: ServerFrame): void;
  onState(state: ConnectionState): void;
  /** Called each time the socket (re)opens: the place to re-open the current conversation. */
  onOpen(): void;
  /** After a signed-out close: is this browser still signed in? (A password changed in this tab
   * ends the old session but the cookie already carries the new one.) Rejects when it cannot tell. */
  stillSignedIn(): Promise<boolean>;
  /** The session has ended: the socket stays closed; the app shows the sign-in screen. */
  onSignedOut(): void;
}

export function socketUrl(location: Pick<Location, "protocol" | "host">): string {
  return `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/ws/chat/`;
}

export class ChatSocket {
  private ws: WebSocket | null = null;
  /** Closes since the last successful open: drives the backoff. */
  private failures = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private heartbeat: ReturnType<typeof setInterval> | null = null;
  private stopped = false;
  /** Waiting for stillSignedIn(): no reconnect until it answers. */
  private checking = false;
  private counter = 0;

  constructor(
    private readonly url: string,
    private readonly events: SocketEvents,
  ) {}

  start(): void {
    this.stopped = false;
    window.addEventListener("online", this.retryNow);
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    window.removeEventListener("online", this.retryNow);
    this.clearTimers();
    this.ws?.close(1000);
    this.ws = null;
  }

  get isOpen(): boolean {
    return this.ws?.readyState === WebSocket.OPEN;
  }

  /** Sends a frame with a fresh request_id and returns that id; null when not connected
   * (the caller keeps the user's text and the UI shows the reconnect indicator). */
  send(frame: ClientFrame): string | null {
    if (!this.ws || this.ws.readyState !== WebSocket.OPEN) return null;
    const requestId = `r${Date.now().toString(36)}${(this.counter++).toString(36)}`;
    this.ws.send(JSON.stringify({ ...frame, request_id: requestId }));
    return requestId;
  }

  /** Skip the rest of the backoff wait (the network came back, or the user asked). */
  retryNow = (): void => {
    if (this.stopped || this.checking || this.isOpen || this.ws?.readyState === WebSocket.CONNECTING) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.connect();
  };

  private clearTimers(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.timer = null;
    this.heartbeat = null;
  }

  private connect(): void {
    this.events.onState({ kind: "connecting", retry: this.failures > 0 });
    const ws = new WebSocket(this.url);
    this.ws = ws;
    ws.onopen = () => {
      this.failures = 0;
      this.events.onState({ kind: "open" });
      // A ping now and then lets a half-dead connection (sleeping laptop, NAT timeout) fail
      // fast and reconnect instead of silently missing deltas.
      this.heartbeat = setInterval(() => this.send({ type: "ping" }), 25_000);
      this.events.onOpen();
    };
    ws.onmessage = (event) => {
      let frame: ServerFrame;
      try {
        frame = JSON.parse(String(event.data)) as ServerFrame;
      } catch {
        return; // not JSON: nothing the protocol defines, nothing to show
      }
      this.events.onFrame(frame);
    };
    ws.onclose = (event) => {
      if (this.ws !== ws) return;
      this.clearTimers();
      this.ws = null;
      if (this.stopped) return;
      if (FINAL_CLOSE_CODES.has(event.code)) {
        this.events.onState({ kind: "closed" });
        return;
      }
      if (event.code === CLOSE_SIGNED_OUT) {
        this.checkSession();
        return;
      }
      this.retryLater();
    };
  }

  private retryLater(): void {
    this.failures += 1;
    const delay = backoffMs(this.failures);
    this.events.onState({ kind: "waiting", attempt: this.failures, retryAt: Date.now() + delay });
    this.timer = setTimeout(() => this.connect(), delay);
  }

  /** Signed out for good, or only this socket's old credential? Asks once; when the answer is
   * "still signed in" (or cannot be had) it reconnects, after the usual backoff, so a server
   * that keeps refusing is not hammered. */
  private checkSession(): void {
    this.checking = true;
    this.events.onState({ kind: "connecting", retry: true });
    this.events.stillSignedIn().then(
      (signedIn) => {
        this.checking = false;
        if (this.stopped) return;
        if (signedIn) this.retryLater();
        else {
          this.stop();
          this.events.onSignedOut();
        }
      },
      () => {
        this.checking = false;
        if (!this.stopped) this.retryLater();
      },
    );
  }
}
