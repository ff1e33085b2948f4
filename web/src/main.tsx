import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./App";
import { browserLanguage, storedLanguage } from "./i18n/language";
import { switchLanguage } from "./i18n/texts";
import { applyTheme, storedTheme } from "./theme";
import "./styles.css";
import "./theme.css";

// The colours this browser last used, before the first paint (the account's theme follows sign-in).
applyTheme(storedTheme());

// The language picked earlier in this browser, else the browser's own: its tables are fetched before
// the first render, so even the sign-in page is in the person's language (the account's follows).
void switchLanguage(storedLanguage() ?? browserLanguage(), false)
  .catch(() => undefined) // a table that cannot be fetched: English stands in
  .then(() =>
    createRoot(document.getElementById("root")!).render(
      <StrictMode>
        <App />
      </StrictMode>,
    ),
  );
