// The interface language, picked on the sign-in page (the account's settings page has its own):
// each language is named in its own words, so someone who cannot read the current one finds theirs.
import { commonText } from "../i18n/common";
import { LANG_NAMES, LANGS, isLang } from "../i18n/language";
import { switchLanguage, useLanguage, useTexts } from "../i18n/texts";

export function LanguageMenu() {
  const T = useTexts(commonText);
  const lang = useLanguage();
  return (
    <label className="langmenu">
      <select
        aria-label={T.language}
        value={lang}
        onChange={(e) => {
          // Its tables could not be fetched (offline): the menu stays on the language still shown.
          if (isLang(e.target.value)) switchLanguage(e.target.value).catch(() => undefined);
        }}
      >
        {LANGS.map((l) => (
          <option key={l} value={l} lang={l}>
            {LANG_NAMES[l]}
          </option>
        ))}
      </select>
    </label>
  );
}
