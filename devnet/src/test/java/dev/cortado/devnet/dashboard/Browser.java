package dev.cortado.devnet.dashboard;

import dev.cortado.devnet.l1.ProjectPaths;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Headless Debian Chromium driven by Selenium through Debian's chromedriver. {@code devnet/scripts/install-chromium.sh}
 * installs both with apt-get when missing; when it cannot, the calling test is skipped with the script's reason.
 */
final class Browser implements AutoCloseable {
    private final ChromeDriver driver;

    private Browser(ChromeDriver driver) {
        this.driver = driver;
    }

    ChromeDriver driver() {
        return driver;
    }

    @Override
    public void close() {
        driver.quit(); // ends chromedriver and every Chromium process it started
    }

    static Browser open() throws Exception {
        Path script = ProjectPaths.root().resolve("devnet/scripts/install-chromium.sh");
        Path log = Files.createTempFile("install-chromium", ".log");
        try {
            Process p = new ProcessBuilder("sh", script.toString()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            boolean done = p.waitFor(10, TimeUnit.MINUTES);
            String output = Files.readString(log, StandardCharsets.UTF_8).strip();
            if (!done) p.destroyForcibly();
            Assumptions.assumeTrue(done && p.exitValue() == 0, () -> "headless Chromium is not available: "
                    + output.lines().reduce((a, b) -> b).orElse(done ? "exit " + p.exitValue() : "install timed out"));
        } finally {
            Files.deleteIfExists(log);
        }
        File driver = which("chromedriver");
        File chromium = which("chromium");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1400,2200", "--no-first-run", "--disable-extensions");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(driver).usingAnyFreePort().build();
        return new Browser(new ChromeDriver(service, options));
    }

    private static File which(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
            File f = new File(dir, name);
            if (f.canExecute()) return f;
        }
        throw new IllegalStateException(name + " is not on the PATH after install-chromium.sh succeeded");
    }
}
