package dev.egopose.view;

/**
 * How much the view keeps in memory; everything else is dropped, oldest first.
 *
 * @param takes         takes kept; a new one beyond this evicts the take updated longest ago
 * @param framesPerTake poses kept per take (the page's history, sparkline and fps)
 * @param picturesPerTake pictures (512 JPEGs) kept per take
 * @param uidMaxChars   longest take uid accepted; longer ones are bad records (names are cut to this)
 */
public record ViewLimits(int takes, int framesPerTake, int picturesPerTake, int uidMaxChars) {
    /**
     * 16 takes, 300 poses (30 s at 10 fps) and 64 pictures each: a take's poses come out up to seconds
     * after its frames, and a pose can only be drawn on its own picture while that is still kept. Some
     * 25 KB a picture of a synthetic take: about 25 MB of pictures at most.
     */
    public static final ViewLimits DEFAULTS = new ViewLimits(16, 300, 64, 256);

    public ViewLimits {
        if (takes < 1 || framesPerTake < 1 || picturesPerTake < 1 || uidMaxChars < 1) {
            throw new IllegalArgumentException("view limits must be positive, got " + takes + " takes, " + framesPerTake
                    + " frames and " + picturesPerTake + " pictures per take, uids of " + uidMaxChars + " characters");
        }
    }
}
