package dev.egopose.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * {@code egopose demo --view} end to end in a real browser: the demo (embedded broker, processor with
 * the bundled model, a synthetic take replayed at 5 fps) opens the view and prints the take's
 * address; headless Chromium (Debian's chromium and chromium-driver; Selenium never downloads one)
 * opens it while the take plays and must show at least {@value #FRAMES} frames as they come, the
 * picture with skeletons in the hands' colours, both hands in 3D (redrawn when dragged) and the
 * latency sparkline. The screenshot lands in {@code target/view-screenshot.png}. Without Chromium
 * the demo still runs and the view is checked over HTTP, then the test is skipped.
 */
@Timeout(300)
class ViewBrowserTest {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path DRIVER = Path.of("/usr/bin/chromedriver");
    static final int FRAMES = 12;
    static final Pattern ADDRESS = Pattern.compile("live view of take (\\S+) at (http://[^/\\s]+)(/take/\\S+)");
    static final String BACKGROUND = "16,20,24";

    @TempDir
    Path tmp;

    @Test
    void theDemosTakeIsDrawnLiveInChromium() throws Exception {
        boolean browser = Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER);
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream original = System.out;
        System.setOut(new PrintStream(new Tee(original, printed), true, StandardCharsets.UTF_8));
        ExecutorService runner = Executors.newSingleThreadExecutor();
        WebDriver driver = browser ? chromium() : null; // started first: on 2 busy cores it takes seconds
        try {
            Future<Integer> demo = runner.submit(() -> Main.commandLine().execute("demo", "--out", tmp.resolve("demo").toString(),
                    "--frames", "40", "--fps", "5", "--pictures", "0", "--view", "--view-port", "0", "--view-linger", "120"));
            Matcher address = await(printed, ADDRESS, demo);
            String base = address.group(2);
            if (browser) {
                inChromium(driver, base, address.group(3), address.group(1));
            } else {
                overHttp(base + "/api/takes/" + address.group(3).substring("/take/".length()));
            }
            await(printed, Pattern.compile("the live view stays open at " + Pattern.quote(base)), demo);
            demo.cancel(true); // ends the linger: the demo itself is done
        } finally {
            if (driver != null) {
                driver.quit();
            }
            runner.shutdownNow();
            System.setOut(original);
        }
        assumeTrue(browser, "no Chromium at " + CHROMIUM + " with its driver at " + DRIVER + " (apt-get install chromium chromium-driver)");
    }

    /** Debian's Chromium through its own driver: with the driver's path given, Selenium Manager never runs (nor downloads). */
    private WebDriver chromium() throws Exception {
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile()).usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run",
                "--user-data-dir=" + Files.createDirectories(tmp.resolve("chromium-profile")), "--window-size=1100,900");
        return new ChromeDriver(service, options);
    }

    private static void inChromium(WebDriver driver, String base, String takePath, String takeName) throws Exception {
        driver.get(base + takePath);
        JavascriptExecutor js = (JavascriptExecutor) driver;
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(120), Duration.ofMillis(100));
        long opened = System.nanoTime();
        wait.until(d -> shown(d) >= 1);
        int first = shown(driver);
        long firstAt = System.nanoTime();
        wait.until(d -> shown(d) >= FRAMES && js.executeScript("return document.getElementById('picture').textContent").toString()
                .startsWith("picture of frame"));
        double seconds = (System.nanoTime() - firstAt) / 1e9;
        System.out.printf("view: first pose drawn %.1f s after the page opened; then %d more in %.1f s (%.1f frames/s); view delay %s ms%n",
                (firstAt - opened) / 1e9, shown(driver) - first, seconds, (shown(driver) - first) / seconds,
                driver.findElement(By.id("delay")).getText());
        assertTrue(first < FRAMES, "the page saw poses arrive one by one, not all at once (first " + first + ")");
        Thread.sleep(300); // the next animation frame has drawn the newest pose

        long skeleton = ((Number) js.executeScript(COUNT_PIXELS, "frame", "skeleton")).longValue();
        long picture = ((Number) js.executeScript(COUNT_PIXELS, "frame", "other")).longValue();
        long hands = ((Number) js.executeScript(COUNT_PIXELS, "hands3d", "other")).longValue();
        long spark = ((Number) js.executeScript(COUNT_PIXELS, "spark", "other")).longValue();
        assertTrue(skeleton > 2 * 21 * 9, "both skeletons in magenta and cyan on the frame: " + skeleton + " pixels");
        assertTrue(picture > 50_000, "the undistorted picture under them: " + picture + " pixels");
        assertEquals("42", driver.findElement(By.id("frame")).getDomAttribute("data-points"), "21 joints of each hand on the frame");
        assertEquals("42", driver.findElement(By.id("hands3d")).getDomAttribute("data-points"), "21 joints of each hand in 3D");
        assertTrue(hands > 1500, "the 3D view drawn: " + hands + " pixels");
        assertTrue(spark > 100, "the sparkline drawn: " + spark + " pixels");
        assertEquals(takeName, driver.findElement(By.id("take-name")).getText());
        long pictureOf = Long.parseLong(driver.findElement(By.id("picture")).getText().replace("picture of frame ", ""));
        assertTrue(pictureOf <= Long.parseLong(driver.findElement(By.id("frame-number")).getText()), "never a later frame's picture");

        Path screenshot = Path.of("target", "view-screenshot.png");
        Files.write(screenshot, ((org.openqa.selenium.TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
        System.out.println("view: screenshot " + screenshot.toAbsolutePath());

        WebElement canvas = driver.findElement(By.id("hands3d"));
        String before = js.executeScript(HASH, "hands3d").toString();
        new Actions(driver).moveToElement(canvas).clickAndHold().moveByOffset(90, 30).release().perform();
        wait.until(d -> !js.executeScript(HASH, "hands3d").toString().equals(before));
        assertNotEquals(before, js.executeScript(HASH, "hands3d").toString(), "dragging turns the 3D view");

        driver.get(base + "/");
        wait.until(d -> d.findElement(By.id("takes")).getText().contains(takeName));
    }

    private static void overHttp(String takeApi) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(takeApi)).build(), HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() == 200 && answer.body().split("\"frameNumber\"").length > FRAMES) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the view never had " + FRAMES + " poses at " + takeApi);
    }

    private static int shown(WebDriver driver) {
        return Integer.parseInt(driver.findElement(By.id("shown")).getText());
    }

    /** Waits for a line the demo prints; fails early if the demo ends first. */
    private static Matcher await(ByteArrayOutputStream printed, Pattern line, Future<Integer> demo) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(200).toNanos();
        while (System.nanoTime() < deadline) {
            Matcher m = line.matcher(printed.toString(StandardCharsets.UTF_8));
            if (m.find()) {
                return m;
            }
            if (demo.isDone()) {
                throw new AssertionError("the demo ended (exit " + demo.get() + ") without printing /" + line + "/");
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the demo never printed /" + line + "/");
    }

    /** Pixels of a canvas: "skeleton" counts the hands' pure magenta and cyan, "other" everything but the background. */
    private static final String COUNT_PIXELS = """
            const c = document.getElementById(arguments[0]);
            const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
            let n = 0;
            for (let i = 0; i < d.length; i += 4) {
              const r = d[i], g = d[i + 1], b = d[i + 2];
              const skeleton = (r === 255 && g === 0 && b === 255) || (r === 0 && g === 255 && b === 255);
              const background = r + ',' + g + ',' + b === '%s';
              if (arguments[1] === 'skeleton' ? skeleton : !background && !skeleton) n++;
            }
            return n;
            """.formatted(BACKGROUND);

    private static final String HASH = """
            const c = document.getElementById(arguments[0]);
            const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
            let h = 0;
            for (let i = 0; i < d.length; i++) h = (h * 31 + d[i]) | 0;
            return String(h);
            """;

    /** Writes to both streams: the demo's lines stay visible in the build log and can be searched. */
    private static final class Tee extends OutputStream {
        private final OutputStream a;
        private final ByteArrayOutputStream b;

        Tee(OutputStream a, ByteArrayOutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public synchronized void write(int c) {
            b.write(c);
            try {
                a.write(c);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        @Override
        public synchronized void write(byte[] bytes, int off, int len) {
            b.write(bytes, off, len);
            try {
                a.write(bytes, off, len);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }
}
