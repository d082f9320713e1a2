package dev.vigil.driver;

import dev.vigil.config.ServiceConfig;
import dev.vigil.config.VigilConfig;
import java.util.List;
import java.util.stream.Collectors;

/** A name on the command line that the configuration does not define. */
public final class UnknownServiceException extends Exception {
    private static final long serialVersionUID = 1L;

    public UnknownServiceException(List<String> names, VigilConfig config) {
        super(message(names, config));
    }

    /** A name that is not a service in another way (an unknown group); {@code message} says what exists. */
    public UnknownServiceException(String message) {
        super(message);
    }

    private static String message(List<String> names, VigilConfig config) {
        String known = config.services().stream().map(ServiceConfig::name).collect(Collectors.joining(", "));
        return (names.size() == 1 ? "no service named \"" + names.getFirst() + "\"" : "no services named " + names)
                + " in " + config.source()
                + (known.isEmpty() ? " (it defines no services)" : " (services: " + known + ")")
                + "; check the name with 'vigil list'";
    }
}
