// Language and theme: both take effect at once in this browser and are saved on the account, so
// another browser signed in to it follows.
import { useId } from "react";
import { errorSentence } from "../errorText";
import { LANG_NAMES, LANGS, type Lang } from "../i18n/language";
import { switchLanguage, useLanguage, useTexts } from "../i18n/texts";
import { applyTheme, THEMES, type Theme } from "../theme";
import type { Account, AccountPatch } from "./accountApi";
import { accountText } from "./text";
import { SaveResult, type Saving } from "./useSaving";

export function InterfaceSection({
  account,
  saving,
  onSave,
}: {
  account: Account;
  saving: Saving;
  onSave(patch: AccountPatch): void;
}) {
  const A = useTexts(accountText);
  const T = A.settings.interface;
  const lang = useLanguage();
  const help = useId();
  return (
    <section className="accountsection" aria-labelledby="interface-heading">
      <h2 id="interface-heading">{T.heading}</h2>
      <label>
        {T.language}
        <select
          value={lang}
          aria-describedby={help}
          onChange={(e) => {
            const next = e.target.value as Lang;
            switchLanguage(next).then(
              () => onSave({ language: next }),
              () => saving.fail(errorSentence("network", "account")), // its words could not be fetched
            );
          }}
        >
          {LANGS.map((l) => (
            <option key={l} value={l} lang={l}>
              {LANG_NAMES[l]}
            </option>
          ))}
        </select>
      </label>
      <p id={help} className="detail">
        {T.languageHelp}
      </p>
      <fieldset className="choices">
        <legend>{T.theme}</legend>
        {THEMES.map((t: Theme) => (
          <label key={t}>
            <input
              type="radio"
              name="theme"
              value={t}
              checked={account.theme === t}
              onChange={() => {
                applyTheme(t);
                onSave({ theme: t });
              }}
            />
            {T.themes[t]}
          </label>
        ))}
      </fieldset>
      <SaveResult saving={saving} />
    </section>
  );
}
