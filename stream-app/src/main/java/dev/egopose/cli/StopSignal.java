package dev.egopose.cli;

import java.util.concurrent.CountDownLatch;
import sun.misc.Signal;

/**
 * SIGTERM and SIGINT (Ctrl-C) ask a long-running command to stop: it finishes the frames in
 * flight, commits and returns normally, so the process exits 0. (The JVM's own handling would run
 * shutdown hooks concurrently with the command and exit 143.) A second signal exits at once.
 */
final class StopSignal {
    private final CountDownLatch requested = new CountDownLatch(1);

    private StopSignal() {}

    /** Takes over SIGTERM and SIGINT for this process. */
    static StopSignal install() {
        StopSignal stop = new StopSignal();
        for (String name : new String[] {"TERM", "INT"}) {
            Signal.handle(new Signal(name), stop::onSignal);
        }
        return stop;
    }

    private void onSignal(Signal signal) {
        if (requested.getCount() == 0) {
            System.err.println("egopose: second SIG" + signal.getName() + "; exiting without finishing");
            Runtime.getRuntime().halt(128 + signal.getNumber());
        }
        System.out.println("egopose: SIG" + signal.getName() + " received; finishing the frames in flight and committing (again to force)");
        requested.countDown();
    }

    /** Counted down once a stop is requested. */
    CountDownLatch latch() {
        return requested;
    }
}
