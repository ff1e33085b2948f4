import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { backoffMs, ChatSocket, socketUrl, type ConnectionState, type SocketEvents } from "./socket";
import { FakeSocket } from "./testing/fakeSocket";

describe("backoffMs", () => {
  it("doubles from half a second, caps at 15 s, and jitters ±25 %", () => {
    const mid = () => 0.5;
    expect([1, 2, 3, 4, 5, 6, 7, 10].map((n) => backoffMs(n, mid))).toEqual([
      500, 1000, 2000, 4000, 8000, 15000, 15000, 15000,
    ]);
    expect(backoffMs(1, () => 0)).toBe(375);
    expect(backoffMs(1, () => 1)).toBe(625);
  });
});

describe("socketUrl", () => {
  it("follows the page's scheme and host", () => {
    expect(socketUrl({ protocol: "https:", host: "chat.example:8443" })).toBe("wss://chat.example:8443/ws/chat/");
    expect(socketUrl({ protocol: "http:", host: "127.0.0.1:8000" })).toBe("ws://127.0.0.1:8000/ws/chat/");
  });
});

/** Events with nothing to say, and a session that is still signed in, unless a test says otherwise. */
function events(overrides: Partial<SocketEvents> = {}): SocketEvents {
  return {
    onFrame: vi.fn(),
    onState: vi.fn(),
    onOpen: vi.fn(),
    stillSignedIn: vi.fn(async () => true),
    onSignedOut: vi.fn(),
    ...overrides,
  };
}

describe("ChatSocket", () => {
  beforeEach(() => {
    FakeSocket.all = [];
    vi.useFakeTimers();
    vi.stubGlobal("WebSocket", FakeSocket);
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it("reconnects with growing delays and calls onOpen each time it is back", () => {
    const states: ConnectionState[] = [];
    const onOpen = vi.fn();
    const s = new ChatSocket("ws://x/ws/chat/", events({ onState: (st) => states.push(st), onOpen }));
    s.start();
    FakeSocket.all[0].open();
    expect(onOpen).toHaveBeenCalledTimes(1);
    FakeSocket.all[0].close(1006);
    expect(states.at(-1)?.kind).toBe("waiting");
    expect(s.send({ type: "ping" })).toBeNull(); // nothing is sent into a dead socket
    vi.advanceTimersByTime(700); // first retry within 0.375–0.625 s
    expect(FakeSocket.all).toHaveLength(2);
    FakeSocket.all[1].close(1006); // the server is still down
    vi.advanceTimersByTime(700);
    expect(FakeSocket.all).toHaveLength(2); // second wait is 0.75–1.25 s
    vi.advanceTimersByTime(600);
    expect(FakeSocket.all).toHaveLength(3);
    FakeSocket.all[2].open();
    expect(onOpen).toHaveBeenCalledTimes(2);
    expect(states.at(-1)).toEqual({ kind: "open" });
    s.stop();
  });

  it("retries at once when asked, and stops for good on a refused close", () => {
    const states: ConnectionState[] = [];
    const s = new ChatSocket("ws://x/ws/chat/", events({ onState: (st) => states.push(st) }));
    s.start();
    FakeSocket.all[0].close(1006);
    s.retryNow();
    expect(FakeSocket.all).toHaveLength(2);
    FakeSocket.all[1].close(4403);
    expect(states.at(-1)?.kind).toBe("closed");
    vi.advanceTimersByTime(60_000);
    expect(FakeSocket.all).toHaveLength(2);
  });

  it("on a signed-out close (4401) asks the server, and stays closed when the session has ended", async () => {
    const ev = events({ stillSignedIn: vi.fn(async () => false) });
    const s = new ChatSocket("ws://x/ws/chat/", ev);
    s.start();
    FakeSocket.all[0].open();
    FakeSocket.all[0].close(4401);
    expect(ev.stillSignedIn).toHaveBeenCalledTimes(1);
    s.retryNow(); // the network coming back does not knock while the answer is awaited
    expect(FakeSocket.all).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(ev.onSignedOut).toHaveBeenCalledTimes(1);
    expect(FakeSocket.all).toHaveLength(1); // no reconnect
    s.retryNow();
    expect(FakeSocket.all).toHaveLength(1);
  });

  it("reconnects after a signed-out close when this browser is still signed in (its cookie was renewed)", async () => {
    const ev = events();
    const s = new ChatSocket("ws://x/ws/chat/", ev);
    s.start();
    FakeSocket.all[0].open();
    FakeSocket.all[0].close(4401);
    await vi.advanceTimersByTimeAsync(1000);
    expect(FakeSocket.all).toHaveLength(2);
    FakeSocket.all[1].open();
    expect(ev.onOpen).toHaveBeenCalledTimes(2);
    expect(ev.onSignedOut).not.toHaveBeenCalled();
    s.stop();
  });

  it("reconnects with backoff when it cannot tell whether the session still stands", async () => {
    const ev = events({ stillSignedIn: vi.fn(async () => Promise.reject(new Error("offline"))) });
    const states: ConnectionState[] = [];
    const s = new ChatSocket("ws://x/ws/chat/", { ...ev, onState: (st) => states.push(st) });
    s.start();
    FakeSocket.all[0].close(4401);
    await vi.advanceTimersByTimeAsync(0);
    expect(states.at(-1)?.kind).toBe("waiting");
    await vi.advanceTimersByTimeAsync(1000);
    expect(FakeSocket.all).toHaveLength(2);
    expect(ev.onSignedOut).not.toHaveBeenCalled();
    s.stop();
  });

  it("passes frames on and tags what it sends with a request_id", () => {
    const onFrame = vi.fn();
    const s = new ChatSocket("ws://x/ws/chat/", events({ onFrame }));
    s.start();
    const ws = FakeSocket.all[0];
    ws.open();
    ws.onmessage?.({ data: '{"type":"message.delta","message_id":"m","seq":1,"text":"hi"}' });
    ws.onmessage?.({ data: "not json" });
    expect(onFrame).toHaveBeenCalledTimes(1);
    const id = s.send({ type: "chat.stop", message_id: "m" });
    expect(JSON.parse(ws.sent[0])).toEqual({ type: "chat.stop", message_id: "m", request_id: id });
    s.stop();
  });
});
