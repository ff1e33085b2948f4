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
  build: {
    outDir: "dist",
    assetsDir: "assets",
    sourcemap: false,
    rolldownOptions: {
      output: {
        codeSplitting: {
          // The first load's French and Arabic words (every area but the account pages' and the
          // admin console's, in their */text/ folders, which load with those pages) come as one
          // chunk per language, so switching is one request.
          // Only the tables themselves: what they import (texts.ts, React) stays in the first load.
          includeDependenciesRecursively: false,
          groups: [
            {
              name: (id: string) =>
                /[\\/]text[\\/](fr|ar)\.ts$/.test(id) ? null : (/[\\/]src[\\/].*[\\/](fr|ar)\.ts$/.exec(id)?.[1] ?? null),
            },
          ],
        },
      },
    },
  },
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
