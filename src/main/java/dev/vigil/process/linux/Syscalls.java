package dev.vigil.process.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The few Linux system calls Vigil needs, through the FFM API. Each call returns the raw result and, when it failed,
 * errno (captured right after the call, before the JVM can overwrite it).
 */
final class Syscalls {
    // pidfd_open and pidfd_send_signal have the same numbers on every architecture (added after the tables merged).
    private static final long SYS_PIDFD_SEND_SIGNAL = 424;
    private static final long SYS_PIDFD_OPEN = 434;
    private static final int SC_CLK_TCK = 2;
    static final int ESRCH = 3;
    static final int EINTR = 4;
    static final short POLLIN = 1;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option ERRNO_OPTION = Linker.Option.captureCallState("errno");

    // syscall(2) is variadic; every argument is passed as a long so the kernel sees clean 64-bit registers.
    private static final MethodHandle SYSCALL2 = downcall(
            "syscall",
            FunctionDescriptor.of(
                    ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG),
            ERRNO_OPTION,
            Linker.Option.firstVariadicArg(1));
    private static final MethodHandle SYSCALL4 = downcall(
            "syscall",
            FunctionDescriptor.of(
                    ValueLayout.JAVA_LONG,
                    ValueLayout.JAVA_LONG,
                    ValueLayout.JAVA_LONG,
                    ValueLayout.JAVA_LONG,
                    ValueLayout.JAVA_LONG,
                    ValueLayout.JAVA_LONG),
            ERRNO_OPTION,
            Linker.Option.firstVariadicArg(1));
    private static final MethodHandle POLL = downcall(
            "poll",
            FunctionDescriptor.of(
                    ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT),
            ERRNO_OPTION);
    private static final MethodHandle CLOSE =
            downcall("close", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    private static final MethodHandle KILL = downcall(
            "kill",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT),
            ERRNO_OPTION);
    private static final MethodHandle EVENTFD = downcall(
            "eventfd",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT),
            ERRNO_OPTION);
    private static final MethodHandle READ = downcall(
            "read",
            FunctionDescriptor.of(
                    ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG),
            ERRNO_OPTION);
    private static final MethodHandle WRITE = downcall(
            "write",
            FunctionDescriptor.of(
                    ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG),
            ERRNO_OPTION);
    private static final MethodHandle SYSCONF =
            downcall("sysconf", FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));

    /** A result: {@code value} as the call returned it, {@code errno} meaningful only when value is negative. */
    record Result(long value, int errno) {
        boolean failed() {
            return value < 0;
        }
    }

    private Syscalls() {}

    @SuppressWarnings("restricted") // the one place native code is bound; the launcher enables native access
    private static MethodHandle downcall(String name, FunctionDescriptor descriptor, Linker.Option... options) {
        MemorySegment symbol = LIBC.find(name).orElseThrow(() -> new UnsatisfiedLinkError("libc has no " + name));
        return LINKER.downcallHandle(symbol, descriptor, options);
    }

    static Result pidfdOpen(long pid) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            long fd = (long) SYSCALL2.invokeExact(state, SYS_PIDFD_OPEN, pid, 0L);
            return new Result(fd, errno(state));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static Result pidfdSendSignal(int pidfd, int signal) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            long rc = (long) SYSCALL4.invokeExact(state, SYS_PIDFD_SEND_SIGNAL, (long) pidfd, (long) signal, 0L, 0L);
            return new Result(rc, errno(state));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** poll(2) for readability on one fd; value is 1 when readable, 0 on timeout. */
    static Result pollIn(int fd, int timeoutMillis) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            MemorySegment pollfd = arena.allocate(8, 4);
            pollfd.set(ValueLayout.JAVA_INT, 0, fd);
            pollfd.set(ValueLayout.JAVA_SHORT, 4, POLLIN);
            pollfd.set(ValueLayout.JAVA_SHORT, 6, (short) 0);
            int rc = (int) POLL.invokeExact(state, pollfd, 1L, timeoutMillis);
            return new Result(rc, errno(state));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** poll(2) over {@code count} pollfd structs in {@code fds}; value is how many have events. */
    static Result poll(MemorySegment fds, int count, int timeoutMillis) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            int rc = (int) POLL.invokeExact(state, fds, (long) count, timeoutMillis);
            return new Result(rc, errno(state));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static final int EFD_NONBLOCK = 04000;
    static final int EFD_CLOEXEC = 02000000;

    static Result eventfd() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            int fd = (int) EVENTFD.invokeExact(state, 0, EFD_NONBLOCK | EFD_CLOEXEC);
            return new Result(fd, errno(state));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Adds 1 to an eventfd's counter: wakes whoever polls it. */
    static void eventfdSignal(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            MemorySegment one = arena.allocate(ValueLayout.JAVA_LONG);
            one.set(ValueLayout.JAVA_LONG, 0, 1L);
            long _ = (long) WRITE.invokeExact(state, fd, one, 8L);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Resets an eventfd's counter (non-blocking read). */
    static void eventfdDrain(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            MemorySegment buffer = arena.allocate(ValueLayout.JAVA_LONG);
            long _ = (long) READ.invokeExact(state, fd, buffer, 8L);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static Result kill(int pid, int signal) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            int rc = (int) KILL.invokeExact(state, pid, signal);
            return new Result(rc, errno(state));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static void close(int fd) {
        try {
            int _ = (int) CLOSE.invokeExact(fd);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static long clockTicksPerSecond() {
        try {
            long ticks = (long) SYSCONF.invokeExact(SC_CLK_TCK);
            return ticks > 0 ? ticks : 100;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static int errno(MemorySegment state) {
        return (int) ERRNO.get(state, 0L);
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException runtime) {
            return runtime;
        }
        if (t instanceof Error error) {
            throw error;
        }
        return new IllegalStateException("native call failed", t);
    }
}
