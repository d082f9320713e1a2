package dev.vigil.config.imports;

/**
 * What became of one option of the imported file.
 *
 * @param option the option's name as the file spells it (or the README, when the file does not set it)
 * @param line 1-based line in the file; 0 when the file does not set it and XRootDRestart's default was used
 * @param value the value used (the default when {@code line} is 0)
 * @param verdict same behaviour, changed meaning, not needed, or not an XRootDRestart option
 * @param vigil the Vigil key(s) it became, such as {@code rollout.xrootd.period}; empty when none
 * @param note what a person should know; empty when nothing
 */
public record Mapping(String option, int line, String value, Verdict verdict, String vigil, String note) {

    public enum Verdict {
        /** Vigil does the same with it. */
        SAME("same"),
        /** Imported, but Vigil's setting means something different: the note says how. */
        CHANGED("changed meaning"),
        /** Nothing in Vigil's configuration corresponds: the note says what to do instead. */
        NOT_NEEDED("not needed"),
        /** Not an option XRootDRestart knows: not imported. */
        UNKNOWN("unknown");

        /** How docs and messages say it. */
        public final String text;

        Verdict(String text) {
            this.text = text;
        }
    }

    /** The line as shown in messages: "line 7", or "not set" for a default. */
    public String where() {
        return line > 0 ? "line " + line : "not set, default " + TomlText.string(value);
    }
}
