package dev.vigil.control;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Handles SIGHUP, SIGUSR1, SIGTERM and SIGINT in the JVM. The JDK's only way is {@code sun.misc.Signal}
 * (module jdk.unsupported, present in every JDK); it is reached reflectively because javac warns on every direct use
 * and the build treats warnings as errors.
 */
final class Signals {
    private static final Logger LOG = LoggerFactory.getLogger(Signals.class);

    private Signals() {}

    /** Runs {@code action} (on a JVM signal thread) whenever {@code name} ("HUP", "USR1", "TERM", ...) arrives. */
    static void on(String name, Runnable action) {
        try {
            Class<?> signalClass = Class.forName("sun.misc.Signal");
            Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
            Object signal = signalClass.getConstructor(String.class).newInstance(name);
            InvocationHandler invocation = (proxy, method, args) -> {
                if (method.getName().equals("handle")) {
                    action.run();
                    return null;
                }
                return switch (method.getName()) {
                    case "toString" -> "vigil handler for SIG" + name;
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> null;
                };
            };
            Object handler =
                    Proxy.newProxyInstance(Signals.class.getClassLoader(), new Class<?>[] {handlerClass}, invocation);
            signalClass.getMethod("handle", signalClass, handlerClass).invoke(null, signal, handler);
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.warn("cannot handle SIG{} ({}); use 'vigil reload' instead", name, e.toString());
        }
    }
}
