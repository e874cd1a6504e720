package dev.egopose.view;

import dev.egopose.schema.HandPoses;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the view knows, in memory and bounded by {@link ViewLimits}: per take the newest poses and
 * pictures and its counts, and who is watching which take. Fed by one {@link ViewFeed}, read by the
 * server's threads; every method is thread-safe.
 */
public final class TakeBoard {
    private final ViewLimits limits;
    /** In update order: the eldest is the take updated longest ago. */
    private final LinkedHashMap<String, Take> takes;
    private final Map<String, Set<Watcher>> watchers = new ConcurrentHashMap<>();
    private long deadLetters;
    private long badRecords;

    public TakeBoard(ViewLimits limits) {
        this.limits = limits;
        this.takes = new LinkedHashMap<>() {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Take> eldest) {
                return size() > limits.takes();
            }
        };
    }

    public ViewLimits limits() {
        return limits;
    }

    /**
     * One pose and the take's counts after it, as pushed to a page.
     *
     * @param replayed whether it is one of the poses sent again to a page that just connected (not live)
     */
    public record Update(PoseFrame pose, TakeSummary take, boolean replayed) {}

    /** The board's own counts. */
    public record Totals(int takes, long deadLetters, long badRecords) {}

    /** Recent poses of one take. */
    public record Snapshot(TakeSummary take, List<PoseFrame> frames) {}

    /** A page watching one take: updates queue here, the oldest dropped when the page falls behind. */
    public final class Watcher implements AutoCloseable {
        private final String uid;
        private final BlockingQueue<Update> queue;

        private Watcher(String uid, int capacity) {
            this.uid = uid;
            this.queue = new ArrayBlockingQueue<>(capacity);
        }

        public BlockingQueue<Update> updates() {
            return queue;
        }

        private void offer(Update update) {
            while (!queue.offer(update)) {
                queue.poll();
            }
        }

        @Override
        public void close() {
            watchers.computeIfPresent(uid, (k, set) -> {
                set.remove(this);
                return set.isEmpty() ? null : set;
            });
        }
    }

    /** Starts collecting updates of take {@code uid} (known or not yet). */
    public Watcher watch(String uid, int capacity) {
        Watcher watcher = new Watcher(uid, capacity);
        watchers.computeIfAbsent(uid, k -> ConcurrentHashMap.newKeySet()).add(watcher);
        return watcher;
    }

    /**
     * Takes one pose record in.
     *
     * @throws IllegalArgumentException for a record the view cannot show; the board is unchanged
     */
    public void pose(HandPoses poses) {
        Update update;
        synchronized (this) {
            String uid = checkedUid(poses.getTakeUid());
            Take take = takes.get(uid);
            long picture = take == null ? -1 : take.pictureFor(poses.getFrameNumber());
            PoseFrame frame;
            try {
                frame = PoseFrame.from(poses, picture);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("take " + uid + " frame " + poses.getFrameNumber() + ": " + e.getMessage(), e);
            }
            take = take(uid, poses.getTakeName());
            take.add(frame);
            update = new Update(frame, take.summary(), false);
        }
        Set<Watcher> set = watchers.get(update.take().uid());
        if (set != null) {
            set.forEach(w -> w.offer(update));
        }
    }

    /** Keeps a frame's picture (a JPEG of the 512 view). @throws IllegalArgumentException for a bad uid */
    public synchronized void picture(String uid, String name, long frameNumber, byte[] jpeg) {
        take(checkedUid(uid), name).pictures.put(frameNumber, jpeg);
    }

    /** Counts a dead letter; its take when the record's key names one the view can show. */
    public synchronized void deadLetter(String uid) {
        deadLetters++;
        if (uid != null && !uid.isEmpty() && uid.length() <= limits.uidMaxChars()) {
            take(uid, "").deadLetters++;
        }
    }

    /** Counts a record the view could not show (undecodable, or refused by {@link #pose} or {@link #picture}). */
    public synchronized void bad() {
        badRecords++;
    }

    /** Every take, the most recently updated first. */
    public synchronized List<TakeSummary> summaries() {
        List<TakeSummary> list = new ArrayList<>(takes.size());
        takes.values().forEach(t -> list.add(0, t.summary()));
        return list;
    }

    public synchronized Totals totals() {
        return new Totals(takes.size(), deadLetters, badRecords);
    }

    /** The take's newest poses (at most {@code limit}), oldest first; empty for an unknown take. */
    public synchronized Optional<Snapshot> snapshot(String uid, int limit) {
        Take take = takes.get(uid);
        if (take == null) {
            return Optional.empty();
        }
        List<PoseFrame> frames = new ArrayList<>(take.frames);
        return Optional.of(new Snapshot(take.summary(), List.copyOf(frames.subList(Math.max(0, frames.size() - limit), frames.size()))));
    }

    /** A kept picture. */
    public synchronized Optional<byte[]> picture(String uid, long frameNumber) {
        Take take = takes.get(uid);
        return take == null ? Optional.empty() : Optional.ofNullable(take.pictures.get(frameNumber));
    }

    private String checkedUid(String uid) {
        if (uid == null || uid.isEmpty()) {
            throw new IllegalArgumentException("record without a take uid");
        }
        if (uid.length() > limits.uidMaxChars()) {
            throw new IllegalArgumentException("take uid of " + uid.length() + " characters, more than " + limits.uidMaxChars());
        }
        return uid;
    }

    private Take take(String uid, String name) {
        Take take = takes.remove(uid); // re-inserted: now the most recently updated
        take = take != null ? take : new Take(uid);
        takes.put(uid, take);
        if (name != null && !name.isEmpty()) {
            take.name = name.length() > limits.uidMaxChars() ? name.substring(0, limits.uidMaxChars()) : name;
        }
        return take;
    }

    /** One take's kept state; guarded by the board. */
    private final class Take {
        private final String uid;
        private String name = "";
        private final ArrayDeque<PoseFrame> frames = new ArrayDeque<>();
        private final LinkedHashMap<Long, byte[]> pictures = new LinkedHashMap<>() {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, byte[]> eldest) {
                return size() > limits.picturesPerTake();
            }
        };
        private long poses;
        private long deadLetters;

        private Take(String uid) {
            this.uid = uid;
        }

        void add(PoseFrame frame) {
            poses++;
            frames.addLast(frame);
            if (frames.size() > limits.framesPerTake()) {
                frames.removeFirst();
            }
        }

        /** This frame's picture if kept, else the newest kept one before it (never a later frame's), else -1. */
        long pictureFor(long frameNumber) {
            return pictures.keySet().stream().filter(n -> n <= frameNumber).max(Comparator.naturalOrder()).orElse(-1L);
        }

        TakeSummary summary() {
            if (frames.isEmpty()) {
                return new TakeSummary(uid, name, poses, 0, 0, 0, deadLetters, -1);
            }
            double[] latencies = frames.stream().mapToDouble(PoseFrame::latencyMs).sorted().toArray();
            PoseFrame last = frames.peekLast();
            List<PoseFrame> recent = new ArrayList<>(frames).subList(Math.max(0, frames.size() - 30), frames.size());
            double spanMs = recent.get(recent.size() - 1).emittedAtMs() - recent.get(0).emittedAtMs();
            double fps = spanMs > 0 ? (recent.size() - 1) * 1000.0 / spanMs : 0;
            return new TakeSummary(uid, name, poses, fps, latencies[latencies.length / 2], last.latencyMs(), deadLetters, last.frameNumber());
        }
    }
}
