package dev.vigil.supervise;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.driver.ActionResult;
import dev.vigil.driver.ServiceState;
import dev.vigil.driver.ServiceStatus;
import dev.vigil.store.DesiredState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The restart policy on a fake clock: no process, no sleep, every path. */
class ServiceMachineTest {
    private final FakeClock clock = new FakeClock();

    private static RestartPolicy policy(int confirmations, int maxRestarts, Set<Integer> successCodes) {
        return new RestartPolicy(
                true,
                true,
                confirmations,
                Duration.ofSeconds(1),
                Duration.ZERO,
                2.0,
                Duration.ofSeconds(30),
                Duration.ofMinutes(1),
                maxRestarts,
                Duration.ofMinutes(10),
                Optional.of(Duration.ofMinutes(30)),
                successCodes);
    }

    private static ServiceStatus running(long pid) {
        return new ServiceStatus("web", ServiceState.RUNNING, Optional.of(pid), Optional.empty(), "web", "exec", "ok");
    }

    private static ServiceStatus down() {
        return new ServiceStatus("web", ServiceState.FAILED, Optional.empty(), Optional.empty(), "web", "exec", "gone");
    }

    private static ActionResult startedOk(long pid) {
        return new ActionResult(true, "web: started, pid " + pid, running(pid));
    }

    private static ActionResult startFailed() {
        return new ActionResult(false, "web: exited with status 1 after 0.1s", down());
    }

    private static List<EventKind> kinds(List<Action> actions) {
        return actions.stream()
                .filter(a -> a instanceof Action.Emit)
                .map(a -> ((Action.Emit) a).kind())
                .toList();
    }

    private static boolean starts(List<Action> actions) {
        return actions.stream().anyMatch(a -> a instanceof Action.Start);
    }

    private ServiceMachine upMachine(RestartPolicy policy) {
        ServiceMachine machine = new ServiceMachine("web", policy, DesiredState.RUNNING, clock);
        assertThat(kinds(machine.on(new Input.Observed(running(100))))).containsExactly(EventKind.ADOPTED);
        assertThat(machine.phase()).isEqualTo(Phase.UP);
        return machine;
    }

    @Test
    void exitSeenByPidfd_restartsAtOnce() {
        ServiceMachine machine = upMachine(policy(5, 0, Set.of()));

        List<Action> actions = machine.on(new Input.Exited(100, Optional.empty()));

        assertThat(kinds(actions)).containsExactly(EventKind.DIED);
        assertThat(starts(actions)).isTrue();
        assertThat(machine.phase()).isEqualTo(Phase.STARTING);
        assertThat(kinds(machine.on(new Input.StartFinished(startedOk(101))))).containsExactly(EventKind.RESTARTED);
        assertThat(machine.snapshot().pid()).contains(101L);
    }

    @Test
    void downSeenBySweep_isConfirmedBeforeActing() {
        ServiceMachine machine = upMachine(policy(3, 0, Set.of()));

        assertThat(machine.on(new Input.Observed(down()))).isEmpty();
        assertThat(machine.phase()).isEqualTo(Phase.CONFIRMING);
        assertThat(machine.wakeAt()).contains(clock.instant().plusSeconds(1));
        clock.advance(Duration.ofSeconds(1));
        assertThat(machine.on(new Input.Tick())).containsExactly(new Action.Observe());
        assertThat(machine.on(new Input.Observed(down()))).isEmpty();
        clock.advance(Duration.ofSeconds(1));
        machine.on(new Input.Tick());
        List<Action> third = machine.on(new Input.Observed(down()));

        assertThat(kinds(third)).containsExactly(EventKind.DIED);
        assertThat(starts(third)).isTrue();
    }

    @Test
    void downThatRecoversDuringConfirmation_isNotRestarted() {
        ServiceMachine machine = upMachine(policy(5, 0, Set.of()));
        machine.on(new Input.Observed(down()));
        clock.advance(Duration.ofSeconds(1));
        machine.on(new Input.Tick());

        List<Action> actions = machine.on(new Input.Observed(running(100)));

        assertThat(kinds(actions)).containsExactly(EventKind.RECOVERED);
        assertThat(starts(actions)).isFalse();
        assertThat(machine.phase()).isEqualTo(Phase.UP);
    }

    @Test
    void flappingService_backsOff_givesUp_retriesAfterCoolDown_andSaysSoEachStep() {
        ServiceMachine machine = upMachine(policy(1, 4, Set.of()));
        long pid = 100;
        List<Duration> delays = new java.util.ArrayList<>();
        // crash 1: immediate restart (restart_delay 0)
        assertThat(starts(machine.on(new Input.Exited(pid, Optional.empty())))).isTrue();
        machine.on(new Input.StartFinished(startedOk(++pid)));
        // crashes 2-4: back-off 1s, 2s, 4s
        for (int crash = 2; crash <= 4; crash++) {
            List<Action> died = machine.on(new Input.Exited(pid, Optional.empty()));
            assertThat(kinds(died)).containsExactly(EventKind.DIED, EventKind.BACKING_OFF);
            assertThat(machine.phase()).isEqualTo(Phase.BACKOFF);
            Instant wake = machine.wakeAt().orElseThrow();
            delays.add(Duration.between(clock.instant(), wake));
            clock.advance(Duration.between(clock.instant(), wake).minusMillis(1));
            assertThat(starts(machine.on(new Input.Tick())))
                    .as("not before the back-off ends")
                    .isFalse();
            clock.advance(Duration.ofMillis(1));
            assertThat(starts(machine.on(new Input.Tick()))).isTrue();
            machine.on(new Input.StartFinished(startedOk(++pid)));
        }
        assertThat(delays).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4));

        // crash 5: 4 restarts within 10 minutes: give up for 30 minutes
        List<Action> gaveUp = machine.on(new Input.Exited(pid, Optional.empty()));
        assertThat(kinds(gaveUp)).containsExactly(EventKind.DIED, EventKind.GAVE_UP);
        assertThat(((Action.Emit) gaveUp.get(1)).message())
                .isEqualTo("restart limit reached (4 in 10m); giving up until 2026-12-01T10:30:07Z. Run 'vigil reset"
                        + " web' to retry now");
        assertThat(machine.phase()).isEqualTo(Phase.GIVEN_UP);
        clock.advance(Duration.ofMinutes(29));
        assertThat(machine.on(new Input.Tick())).isEmpty();

        clock.advance(Duration.ofMinutes(1));
        List<Action> retry = machine.on(new Input.Tick());
        assertThat(kinds(retry)).containsExactly(EventKind.RETRYING);
        assertThat(starts(retry)).isTrue();
        assertThat(machine.snapshot().restartsInWindow()).isEqualTo(1);
    }

    @Test
    void backOff_startsOverOnceTheServiceWasStable() {
        ServiceMachine machine = upMachine(policy(1, 0, Set.of()));
        machine.on(new Input.Exited(100, Optional.empty()));
        machine.on(new Input.StartFinished(startedOk(101)));
        machine.on(new Input.Exited(101, Optional.empty()));
        assertThat(machine.phase()).isEqualTo(Phase.BACKOFF);
        clock.advance(Duration.ofSeconds(1));
        machine.on(new Input.Tick());
        machine.on(new Input.StartFinished(startedOk(102)));

        clock.advance(Duration.ofMinutes(2));
        machine.on(new Input.Observed(running(102)));
        List<Action> actions = machine.on(new Input.Exited(102, Optional.empty()));

        assertThat(starts(actions))
                .as("stable for longer than stable_after: restart at once")
                .isTrue();
    }

    @Test
    void failedStarts_backOffAndCountTowardsGivingUp() {
        ServiceMachine machine = upMachine(policy(1, 3, Set.of()));
        machine.on(new Input.Exited(100, Optional.empty()));
        List<Action> first = machine.on(new Input.StartFinished(startFailed()));
        assertThat(kinds(first)).containsExactly(EventKind.RESTART_FAILED, EventKind.BACKING_OFF);
        clock.advance(Duration.ofSeconds(1));
        machine.on(new Input.Tick());
        machine.on(new Input.StartFinished(startFailed()));
        clock.advance(Duration.ofSeconds(2));
        machine.on(new Input.Tick());
        List<Action> third = machine.on(new Input.StartFinished(startFailed()));

        assertThat(kinds(third)).containsExactly(EventKind.RESTART_FAILED, EventKind.GAVE_UP);
        assertThat(machine.snapshot().consecutiveFailures()).isEqualTo(3);
    }

    @Test
    void successExitCode_isNotRestarted() {
        ServiceMachine machine = upMachine(policy(1, 0, Set.of(11)));

        List<Action> actions = machine.on(new Input.Exited(100, Optional.of(11)));

        assertThat(kinds(actions)).containsExactly(EventKind.EXITED_SUCCESS);
        assertThat(starts(actions)).isFalse();
        assertThat(machine.phase()).isEqualTo(Phase.DOWN);
        assertThat(starts(machine.on(new Input.Observed(down())))).isFalse();
    }

    @Test
    void personStop_isRemembered_andNeverRepaired() {
        ServiceMachine machine = upMachine(policy(1, 0, Set.of()));
        List<Action> stop = machine.on(new Input.Person(Input.Request.STOP, "cli:alice"));
        assertThat(stop).contains(new Action.Stop("stop asked by cli:alice"));
        assertThat(machine.on(new Input.Exited(100, Optional.empty()))).isEmpty();
        machine.on(new Input.StopFinished(new ActionResult(true, "web: stopped", down())));

        assertThat(machine.phase()).isEqualTo(Phase.DOWN);
        assertThat(starts(machine.on(new Input.Observed(down())))).isFalse();
        clock.advance(Duration.ofHours(2));
        assertThat(starts(machine.on(new Input.Tick()))).isFalse();

        // a new daemon with the remembered desired state does not autostart it either
        ServiceMachine next = new ServiceMachine("web", policy(1, 0, Set.of()), DesiredState.RUNNING, clock);
        next.restore(machine.memory());
        assertThat(starts(next.on(new Input.Observed(down())))).isFalse();
        assertThat(next.desired()).isEqualTo(DesiredState.STOPPED);

        List<Action> start = next.on(new Input.Person(Input.Request.START, "cli:alice"));
        assertThat(start).contains(new Action.Observe());
        assertThat(starts(next.on(new Input.Observed(down())))).isTrue();
    }

    @Test
    void restoredMemory_continuesBackOffAndGiveUpWindows() {
        ServiceMachine machine = upMachine(policy(1, 2, Set.of()));
        machine.on(new Input.Exited(100, Optional.empty()));
        machine.on(new Input.StartFinished(startedOk(101)));
        machine.on(new Input.Exited(101, Optional.empty()));
        clock.advance(Duration.ofSeconds(1));
        machine.on(new Input.Tick());
        machine.on(new Input.StartFinished(startedOk(102)));
        machine.on(new Input.Exited(102, Optional.empty()));
        assertThat(machine.phase()).isEqualTo(Phase.GIVEN_UP);

        ServiceMachine resumed = new ServiceMachine("web", policy(1, 2, Set.of()), DesiredState.RUNNING, clock);
        resumed.restore(machine.memory());

        assertThat(resumed.phase()).isEqualTo(Phase.GIVEN_UP);
        assertThat(starts(resumed.on(new Input.Observed(down()))))
                .as("no restart while given up")
                .isFalse();
        clock.advance(Duration.ofMinutes(30));
        assertThat(starts(resumed.on(new Input.Tick()))).isTrue();
    }

    @Test
    void reset_clearsGiveUp_andStartsAgain() {
        ServiceMachine machine = upMachine(policy(1, 1, Set.of()));
        machine.on(new Input.Exited(100, Optional.empty()));
        machine.on(new Input.StartFinished(startedOk(101)));
        machine.on(new Input.Exited(101, Optional.empty()));
        assertThat(machine.phase()).isEqualTo(Phase.GIVEN_UP);

        assertThat(machine.on(new Input.Person(Input.Request.RESET, "cli:bob"))).containsExactly(new Action.Observe());
        assertThat(starts(machine.on(new Input.Observed(down())))).isTrue();
    }

    @Test
    void neverGivesUpForGood_unlessConfigured() {
        RestartPolicy forever = new RestartPolicy(
                true,
                true,
                1,
                Duration.ofSeconds(1),
                Duration.ZERO,
                2.0,
                Duration.ofSeconds(30),
                Duration.ofMinutes(1),
                1,
                Duration.ofMinutes(10),
                Optional.empty(),
                Set.of());
        ServiceMachine machine = upMachine(forever);
        machine.on(new Input.Exited(100, Optional.empty()));
        machine.on(new Input.StartFinished(startedOk(101)));
        List<Action> gaveUp = machine.on(new Input.Exited(101, Optional.empty()));

        assertThat(((Action.Emit) gaveUp.get(1)).message()).contains("giving up until a person acts");
        assertThat(machine.wakeAt()).isEmpty();
    }

    @Test
    void autostartOff_leavesAServiceFoundDownAlone() {
        RestartPolicy noAutostart = new RestartPolicy(
                false,
                true,
                1,
                Duration.ofSeconds(1),
                Duration.ZERO,
                2.0,
                Duration.ofSeconds(30),
                Duration.ofMinutes(1),
                0,
                Duration.ofMinutes(10),
                Optional.of(Duration.ofMinutes(30)),
                Set.of());
        ServiceMachine machine = new ServiceMachine("web", noAutostart, DesiredState.RUNNING, clock);

        List<Action> actions = machine.on(new Input.Observed(down()));

        assertThat(kinds(actions)).containsExactly(EventKind.LEFT_DOWN);
        assertThat(machine.phase()).isEqualTo(Phase.DOWN);
    }

    @Test
    void healthCheckRestart_goesThroughTheSamePolicy() {
        ServiceMachine machine = upMachine(policy(1, 0, Set.of()));

        List<Action> actions = machine.on(new Input.CheckFailed("rss", "rss 300 MiB over 200 MiB", true));

        assertThat(kinds(actions)).containsExactly(EventKind.CHECK_FAILED);
        assertThat(actions).contains(new Action.Start("check rss failed", true));
    }
}
