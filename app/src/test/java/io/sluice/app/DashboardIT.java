package io.sluice.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sluice.testkit.TestReceiver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real headless Chromium (Debian's, installed by {@code .ci/run}), against
 * the application on real Kafka and PostgreSQL: sign in with an API key, watch the numbers move
 * as jobs are delivered, pause and resume a queue, retry a dead-lettered job, read a job's
 * timeline, and use it on a phone-sized screen. Screenshots go to {@code target/screenshots}.
 */
class DashboardIT extends SluiceIntegrationTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");

    private final TestReceiver receiver = TestReceiver.start();
    private final AtomicBoolean badIsDown = new AtomicBoolean(true);
    private ChromeDriver browser;
    private WebDriverWait wait;

    @BeforeEach
    void openBrowser() throws IOException {
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "Chromium and chromedriver are not installed (.ci/run installs them from Debian's packages)");
        Files.createDirectories(SCREENSHOTS);
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toString()).addArguments("--headless=new",
                "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + Files.createTempDirectory("sluice-chromium"), "--window-size=1280,900");
        browser = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .build(), options);
        wait = new WebDriverWait(browser, Duration.ofSeconds(30));
        receiver.answering(delivery -> delivery.path().startsWith("/bad") && badIsDown.get() ? 500 : 200);
    }

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
        receiver.close();
    }

    @Test
    void anOperatorWatchesQueuesMoveRetriesADeadJobAndReadsItsTimeline() throws Exception {
        SluiceClient.Tenant tenant = client.newOrganization(unique("dashboard"));
        SluiceClient.Receiver ok = client.newEndpoint(tenant, receiver.url("/ok"));
        SluiceClient.Receiver bad = client.newEndpoint(tenant, receiver.url("/bad"));

        // signs in with an API key: a wrong one is refused on the page
        browser.get("http://127.0.0.1:" + port + "/");
        type("#api-key", "sk_live_not_a_key");
        browser.findElement(By.id("login-button")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-error")));
        type("#api-key", tenant.apiKey());
        browser.findElement(By.id("login-button")).click();
        wait.until(ExpectedConditions.textToBe(By.id("live-text"), "live"));

        // watches the numbers move while jobs flow
        for (int i = 0; i < 5; i++) {
            enqueue(tenant, ok, "dash-orders", 0);
        }
        wait.until(ExpectedConditions.textToBe(By.id("kpi-completed"), "5"));
        screenshot("1-overview");

        // pauses and resumes the queue
        browser.findElement(By.cssSelector("a[data-tab=queues]")).click();
        WebElement row = wait.until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#queue-table tr[data-queue='dash-orders']")));
        assertThat(row.findElements(By.cssSelector("td")).get(4).getText()).isEqualTo("5");
        // the server's flow figures: a rate over the last minute, and the p99 latency of the five
        wait.until(page -> row.findElements(By.cssSelector("td")).get(7).getText().equals("0.1"));
        assertThat(row.findElements(By.cssSelector("td")).get(8).getText()).matches("\\d+(\\.\\d)? m?s");
        row.findElement(By.cssSelector("button[data-toggle]")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(
                By.cssSelector("#queue-table tr[data-queue='dash-orders']"), "paused"));
        assertThat(client.get(tenant.apiKey(), "/api/v1/queues/dash-orders").body().get("paused").asBoolean()).isTrue();
        screenshot("2-queues-paused");
        browser.findElement(By.cssSelector("#queue-table tr[data-queue='dash-orders'] button[data-toggle]")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(
                By.cssSelector("#queue-table tr[data-queue='dash-orders']"), "running"));

        // retries a dead-lettered job once its receiver is back
        String dead = enqueue(tenant, bad, "dash-invoices", 0);
        awaitStatus(tenant, dead, "deadletter");
        wait.until(ExpectedConditions.attributeToBe(By.id("kpi-deadletter"), "textContent", "1"));
        browser.findElement(By.cssSelector("a[data-tab=dlq]")).click();
        WebElement deadRow = wait.until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#dlq-table tr[data-dead='" + dead + "']")));
        assertThat(deadRow.getText()).contains("dash-invoices").contains("HTTP 500");
        screenshot("3-dead-letters");
        badIsDown.set(false);
        deadRow.findElement(By.cssSelector("button[data-retry]")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("toast"), "1 job sent again"));
        awaitStatus(tenant, dead, "completed");

        // reads the job's timeline: the failed attempt, then the one after the retry
        browser.findElement(By.cssSelector("a[data-tab=jobs]")).click();
        type("#job-id", dead);
        browser.findElement(By.cssSelector("#job-search button[type=submit]")).click();
        wait.until(ExpectedConditions.textToBe(By.id("detail-status"), "completed"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("timeline"), "HTTP 200"));
        assertThat(browser.findElement(By.id("timeline")).getText()).contains("Created").contains("HTTP 500");
        screenshot("4-job-timeline");

        // sees how each endpoint's attempts went over the last hour
        browser.findElement(By.cssSelector("a[data-tab=endpoints]")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(
                By.cssSelector("#endpoint-table tr[data-endpoint='" + ok.id() + "']"), "100.0 %"));
        assertThat(browser.findElement(By.cssSelector("#endpoint-table tr[data-endpoint='" + bad.id() + "']"))
                .getText()).as("one attempt failed; the one after the retry may not be counted yet")
                .containsPattern("(0\\.0|50\\.0) %");
        screenshot("5-endpoints");

        // and on a phone: nothing runs off the side of the screen
        browser.manage().window().setSize(new Dimension(390, 844));
        browser.findElement(By.cssSelector("a[data-tab=overview]")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("kpi-completed")));
        Object overflow = ((JavascriptExecutor) browser).executeScript(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth;");
        assertThat(((Number) overflow).intValue()).as("horizontal overflow in px").isLessThanOrEqualTo(0);
        screenshot("5-phone-overview");
    }

    private void type(String selector, String text) {
        WebElement input = browser.findElement(By.cssSelector(selector));
        input.clear();
        input.sendKeys(text);
    }

    private void screenshot(String name) throws IOException {
        Files.write(SCREENSHOTS.resolve(name + ".png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }

    private String enqueue(SluiceClient.Tenant tenant, SluiceClient.Receiver endpoint, String queue, int maxRetries) {
        SluiceClient.Answer created = client.post(tenant.apiKey(), "/api/v1/jobs", "{\"queue_name\":\"" + queue
                + "\",\"endpoint_id\":\"" + endpoint.id() + "\",\"payload\":{},\"max_retries\":" + maxRetries + "}");
        assertThat(created.status()).isEqualTo(201);
        return created.body().get("id").asString();
    }
}
