/**
 * Why a preference change was refused, worded in the reader's language:
 * shared by the chat's menus and /filter (commands/) and the settings Mini
 * App (src/webapp/). Plain text, one line; the caller escapes or clips it.
 */
import type { Translate } from "../i18n/translator.js";
import type { FilterProblem } from "./keywords.js";
import type { SettingsProblem } from "./settings.js";

const KEEP_ONE = { sources: "set-err-keep-one-source", langs: "set-err-keep-one-lang" } as const;
const KEEP_ONE_OR_ALL = { sources: "set-err-keep-one-or-all-source", langs: "set-err-keep-one-or-all-lang" } as const;
const TOO_MANY = { sources: "set-err-too-many-sources", langs: "set-err-too-many-langs" } as const;

/** Why a change was refused, one line of plain text in the reader's language. */
export function settingsProblemText(t: Translate, p: SettingsProblem): string {
  switch (p.kind) {
    case "keep-one":
      return t(KEEP_ONE[p.what]);
    case "keep-one-or-all":
      return t(KEEP_ONE_OR_ALL[p.what]);
    case "too-many":
      return t(TOO_MANY[p.what], { count: p.count, max: p.max });
    case "bad-zone":
      return t("set-err-zone", { zone: p.zone });
    case "bad-quiet":
      return t("set-err-quiet-format");
    case "quiet-same":
      return t("set-err-quiet-same");
    case "bad-hours":
      return t("set-err-hours", { hours: p.offered.join(", ") });
    case "bad-time":
      return t("set-err-time");
    case "bad-mode":
      return t("set-err-mode");
  }
}

/** Why a rule typed after /filter was not added, one plain line in the reader's language, naming it as typed. */
export function filterProblemText(t: Translate, p: FilterProblem): string {
  switch (p.kind) {
    case "empty-rule":
      return t("set-err-rule-empty", { text: p.text });
    case "too-long":
      return t("set-err-rule-long", { max: p.max, text: p.text });
    case "no-letters":
      return t("set-err-rule-no-letters", { text: p.text });
    case "too-many-words":
      return t("set-err-rule-words", { max: p.max, text: p.text });
    case "unclosed-quote":
      return t("set-err-unclosed", { text: p.text });
    case "empty-phrase":
      return t("set-err-empty-phrase", { text: p.text });
    case "nothing-after":
      return t("set-err-nothing-after", { sign: p.sign });
    case "repeat":
      return t("set-err-repeat", { text: p.text });
    case "rule-limit":
      return t("set-err-rule-limit", { max: p.max, text: p.text });
  }
}
