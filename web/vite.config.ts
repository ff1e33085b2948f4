/// <reference types="vitest/config" />
// Vite builds the static app that Django serves at "/" (assets under /assets/);
// `vite dev` proxies the API and the chat socket to a local server so the UI can be
// developed against the real backend without a second origin.
import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

const backend = process.env.HADRA_BACKEND ?? "http://127.0.0.1:8000";

export default defineConfig({
  base: "/",
  plugins: [react()],
  build: { outDir: "dist", assetsDir: "assets", sourcemap: false },
  server: {
    proxy: {
      "/api": { target: backend, changeOrigin: false },
      "/healthz": { target: backend },
      "/ws": { target: backend.replace(/^http/, "ws"), ws: true },
    },
  },
  test: {
    environment: "jsdom",
    include: ["src/**/*.test.{ts,tsx}"],
    // A bound, not a speed check: the first render of a component loads its modules, which can
    // take seconds on a busy two-core machine.
    testTimeout: 30_000,
  },
});
