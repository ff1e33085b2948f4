// The person's consent to training (on unless they turn it off; the dataset builder honours it)
// and "download all my data": the account and every conversation, in the export format.
import { useId } from "react";
import { useTexts } from "../i18n/texts";
import { EXPORT_PATH, type Account, type AccountPatch } from "./accountApi";
import { accountText } from "./text";
import { SaveResult, type Saving } from "./useSaving";

export function PrivacySection({ account, saving, onSave }: { account: Account; saving: Saving; onSave(patch: AccountPatch): void }) {
  const T = useTexts(accountText).settings.privacy;
  const help = useId();
  return (
    <section className="accountsection" aria-labelledby="privacy-heading">
      <h2 id="privacy-heading">{T.heading}</h2>
      <label className="consent">
        <input
          type="checkbox"
          checked={!account.exclude_from_training}
          disabled={saving.busy}
          aria-describedby={help}
          onChange={(e) => onSave({ exclude_from_training: !e.target.checked })}
        />
        {T.training}
      </label>
      <p id={help} className="detail">
        {T.trainingHelp}
      </p>
      <SaveResult saving={saving} />
      <h3>{T.exportHeading}</h3>
      <p className="muted">{T.exportHelp}</p>
      <a className="button" href={EXPORT_PATH} download>
        {T.export}
      </a>
    </section>
  );
}
