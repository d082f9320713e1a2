package dev.vigil.control;

/** What this build of Vigil is, from the jar's manifest ("dev" when run from classes, as in tests). */
public final class Build {
    private Build() {}

    public static String version() {
        String version = Build.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }
}
