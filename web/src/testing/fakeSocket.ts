// A stand-in for the browser WebSocket in component tests (jsdom has no server to talk to).
import { cleanup } from "@testing-library/react";
import { afterEach, beforeEach, vi } from "vitest";

/** Just enough of a browser WebSocket to drive ChatSocket's reconnect logic. */
export class FakeSocket {
  static all: FakeSocket[] = [];
  static OPEN = 1;
  static CONNECTING = 0;
  readyState = 0;
  sent: string[] = [];
  onopen: (() => void) | null = null;
  onclose: ((e: { code: number }) => void) | null = null;
  onmessage: ((e: { data: string }) => void) | null = null;
  constructor(readonly url: string) {
    FakeSocket.all.push(this);
  }
  /** The socket the page opened last (the one a reconnect replaced the others with). */
  static last(): FakeSocket {
    return FakeSocket.all[FakeSocket.all.length - 1];
  }
  send(data: string) {
    this.sent.push(data);
  }
  close(code = 1000) {
    this.readyState = 3;
    this.onclose?.({ code });
  }
  open() {
    this.readyState = 1;
    this.onopen?.();
  }
  /** What the server would send. */
  receive(frame: object) {
    this.onmessage?.({ data: JSON.stringify(frame) });
  }
  /** Frames the client sent, parsed. */
  frames(): Array<Record<string, unknown>> {
    return this.sent.map((s) => JSON.parse(s) as Record<string, unknown>);
  }
}


/**
 * Makes every test of the calling file start with no sockets and FakeSocket as the browser
 * WebSocket, and end unmounted with the real globals and spied methods back, so one test's page,
 * stubbed fetch or confirm() never leaks into the next.
 */
export function installFakeSocket(): void {
  beforeEach(() => {
    FakeSocket.all = [];
    vi.stubGlobal("WebSocket", FakeSocket);
  });
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
    vi.restoreAllMocks();
  });
}
