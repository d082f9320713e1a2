package dev.vigil.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class FanoutTest {
    @Test
    void neverRunsMoreThanTheBound_andKeepsTheOrder() {
        AtomicInteger running = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        List<Integer> items = IntStream.range(0, 40).boxed().toList();

        List<Integer> results = Fanout.map(items, 4, i -> {
            int now = running.incrementAndGet();
            most.accumulateAndGet(now, Math::max);
            Thread.yield();
            running.decrementAndGet();
            return i * 2;
        });

        assertThat(results).isEqualTo(items.stream().map(i -> i * 2).toList());
        assertThat(most.get()).isBetween(1, 4);
    }

    @Test
    void aSlowItem_holdsOnlyItsOwnPermit() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch othersDone = new CountDownLatch(9);
        Thread runner = Thread.ofVirtual()
                .start(() -> Fanout.map(IntStream.range(0, 10).boxed().toList(), 2, i -> {
                    if (i == 0) {
                        await(release);
                    } else {
                        othersDone.countDown();
                    }
                    return i;
                }));

        // All nine others finish while item 0 still blocks: it held one of the two permits, not both.
        assertThat(othersDone.await(10, TimeUnit.SECONDS)).isTrue();
        release.countDown();
        runner.join(10_000);
        assertThat(runner.isAlive()).isFalse();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
