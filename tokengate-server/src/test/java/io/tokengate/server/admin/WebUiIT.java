package io.tokengate.server.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokengate.core.token.CreatedToken;
import io.tokengate.core.token.Expiry;
import io.tokengate.core.token.Token;
import io.tokengate.core.token.TokenSpec;
import io.tokengate.demo.DemoJira;
import io.tokengate.demo.Identity;
import io.tokengate.server.GatewayFixture;
import io.tokengate.store.UserRole;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.Alert;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web UI in Debian's headless Chromium, against a running gateway: what an administrator does
 * in it must hold at the gateway, and nothing it shows may run as code.
 */
class WebUiIT {
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final String HOSTILE_NAME = "<img src=x onerror=\"window.pwned=1\">nightly";
    /** An ISO-8601 time as the API writes it: 2026-12-01T02:03:27Z. */
    private static final String ISO_TIME = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}";
    /** What the web UI sends for days it cannot read, for the gateway to refuse: never shown. */
    private static final String UNREADABLE_SENT = "\"not a number\"";

    @TempDir
    static Path home;

    static GatewayFixture gw;
    WebDriver browser;
    WebDriverWait wait;

    @BeforeAll
    static void start() {
        gw = GatewayFixture.start(home);
        gw.server.localUsers().add("root", null, null, UserRole.ADMIN, "root-password".toCharArray());
        gw.server.localUsers().add("alice", "alice@example.com", null, UserRole.USER, "alice-password".toCharArray());
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    @BeforeEach
    void openBrowser() {
        assumeTrue(
                Files.isExecutable(CHROMEDRIVER) && Files.isExecutable(CHROMIUM),
                "needs Debian's chromium and chromium-driver (.ci/setup installs them)");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1000");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        browser = new ChromeDriver(service, options);
        wait = new WebDriverWait(browser, Duration.ofSeconds(15));
        wait.ignoring(StaleElementReferenceException.class); // pages are drawn again after each change
    }

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void anAdminCreatesAScopedTokenThatTheGatewayEnforcesAndRevokesIt() throws Exception {
        signIn("root", "root-password");
        openNewTokenForm();
        type(By.name("name"), HOSTILE_NAME);
        type(By.name("user"), "admin");
        type(By.name("limits"), "[get].*/rest/api/2/issue/.*");
        type(By.name("rate-limit"), "100 / min");

        type(By.name("sample-url"), "https://gw.example.com/rest/api/2/issue/AAA-1");
        click(By.id("check"));
        assertThat(waitForText(By.id("check-result"), "Allowed")).contains("Allowed");
        browser.findElement(By.cssSelector("select[name=sample-method] option[value=POST]"))
                .click();
        click(By.id("check"));
        assertThat(waitForText(By.id("check-result"), "Denied"))
                .contains("Denied — no rule matches")
                .doesNotContain("DENIED");

        click(By.id("create"));
        String secret = createdSecret();
        assertThat(secret).startsWith("tgk_");
        click(By.id("close-dialog"));

        String auth = GatewayFixture.basic("admin", secret);
        assertThat(gw.get("/rest/api/2/issue/AAA-1", auth).statusCode()).isEqualTo(200);
        HttpResponse<String> post = gw.send(HttpRequest.newBuilder(gw.url("/rest/api/2/issue"))
                .header("Authorization", auth)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                .build());
        assertThat(post.statusCode()).as("the restrictions made in the UI hold").isEqualTo(403);

        browser.navigate().refresh();
        // The page draws a heading of its own first, and the token's once it is read.
        assertThat(waitForText(By.cssSelector("main h1"), HOSTILE_NAME))
                .as("a name is shown as text")
                .isEqualTo(HOSTILE_NAME);
        assertThat(waitForText(By.id("token"), "Rate limit")).contains("Rate limit 100/min");
        assertThat(browser.findElements(By.cssSelector("main img"))).isEmpty();
        assertThat(((JavascriptExecutor) browser).executeScript("return window.pwned === undefined"))
                .isEqualTo(true);

        click(By.xpath("//button[text()='Revoke']"));
        wait.until(ExpectedConditions.alertIsPresent()).accept();
        assertThat(waitForText(By.id("token"), "revoked")).contains("revoked");
        String id = browser.getCurrentUrl().substring(browser.getCurrentUrl().lastIndexOf('/') + 1);
        assertThat(browser.findElement(By.id("token-notice")).getText())
                .as("revoked by this click: said in a line, with the token's id and name")
                .isEqualTo("Revoked " + id + " (" + HOSTILE_NAME + "): every call with it is refused.");
        assertThat(gw.get("/rest/api/2/issue/AAA-1", auth).statusCode()).isEqualTo(401);

        AdminClient root = AdminClient.basic(gw, new OpenApiContract(), "root", "root-password");
        AdminApiIT.awaitEvents(root, "/audit?token=" + id + "&kind=REQUEST", 3); // written off the request path
        click(By.linkText("Audit records"));
        String audit = waitForText(By.id("audit"), "/rest/api/2/issue/AAA-1");
        assertThat(audit)
                .contains("ALLOW")
                .contains("DENY")
                .contains("TOKEN_REVOKE")
                .contains("root for admin")
                .as("where each call came from")
                .contains("127.0.0.1");
        assertThat(browser.findElement(By.cssSelector("svg.chart")).getAttribute("aria-label"))
                .as("the usage chart counts the requests shown")
                .isEqualTo("Requests per hour: 3 shown");
        List<WebElement> hours = browser.findElements(By.cssSelector("svg.chart text.hour"));
        assertThat(hours)
                .as("the time axis names every third of its 24 hours")
                .hasSize(8)
                .allSatisfy(hour -> assertThat(hour.getText()).isNotBlank());
        assertThat(
                        ((JavascriptExecutor) browser)
                                .executeScript(
                                        """
                                const bars = document.querySelectorAll('svg.chart g rect.allow');
                                const last = bars[bars.length - 1];
                                const tick = [...document.querySelectorAll('svg.chart text.hour')].pop();
                                const x = Number(tick.getAttribute('x'));
                                return x > Number(last.getAttribute('x'))
                                    && x <= Number(last.getAttribute('x')) + Number(last.getAttribute('width')) + 2;
                                """))
                .as("the newest hour is labelled, under its bar")
                .isEqualTo(true);
    }

    /**
     * A form with several wrong fields says what is wrong with each at once, by the form's labels
     * rather than the API's field names, and marks each field; corrected, the token is made.
     */
    @Test
    void aTokenFormWithSeveralWrongFieldsMarksEachByItsLabel() {
        signIn("root", "root-password");
        openNewTokenForm();
        type(By.name("name"), "n".repeat(201));
        type(By.name("user"), "admin");
        type(By.name("days"), "40000");
        type(By.name("rate-limit"), "lots");
        type(By.name("limits"), "[get].*/rest/(");
        click(By.id("create"));
        String shown = waitForText(By.id("create-result"), "fields need a change");
        assertThat(shown)
                .startsWith("4 fields need a change:")
                .contains("Name: is 201 characters long (at most 200)")
                .contains("Expires after days: must be from 1 to 36500, got 40000")
                .contains("Rate limit: ")
                .contains("Restrictions: line 1, column ")
                .doesNotContain("daysUntilExpiry")
                .doesNotContain("rateLimit");
        assertMarkedWithWhatIsWrong("name", "days", "rate-limit", "limits");
        WebElement days = browser.findElement(By.name("days"));
        assertThat(browser.findElement(By.id(days.getAttribute("aria-describedby")))
                        .getText())
                .isEqualTo("must be from 1 to 36500, got 40000");
        for (String right : List.of("user", "allowed-ips")) {
            assertThat(browser.findElement(By.name(right)).getAttribute("aria-invalid"))
                    .as(right)
                    .isNull();
        }

        type(By.name("name"), "corrected");
        type(By.name("days"), "30");
        type(By.name("rate-limit"), "10/min");
        type(By.name("limits"), "[get].*/rest/.*");
        waitForText(By.id("check-result"), "Allowed"); // the live check of the wrong limits is gone
        click(By.id("create"));
        assertThat(createdSecret()).startsWith("tgk_");
        assertThat(browser.findElements(By.cssSelector("[aria-invalid]"))).isEmpty();
    }

    /**
     * What only the browser knows is wrong (days it cannot read as a number, a name left empty) is
     * marked beside what the gateway finds wrong, all at once and in the page's words, rather than
     * one browser bubble at a time; and days the browser cannot read never make a token, least of
     * all one that never expires.
     */
    @Test
    void aTokenFormMarksWhatTheBrowserCannotReadBesideTheGatewaysMarksAndCreatesNothing() {
        AdminClient root = AdminClient.basic(gw, new OpenApiContract(), "root", "root-password");
        long before = tokenCount(root);
        signIn("root", "root-password");
        openNewTokenForm();
        type(By.name("user"), "admin");
        type(By.name("days"), "1e");
        type(By.name("rate-limit"), "lots");
        type(By.name("limits"), "[get].*/rest/(");
        click(By.id("create"));
        String shown = waitForText(By.id("create-result"), "fields need a change");
        assertThat(shown)
                .startsWith("4 fields need a change:")
                .contains("Name: is required")
                .contains("Expires after days: is not a number: type a whole number, like 30")
                .contains("Rate limit: ")
                .contains("Restrictions: line 1, column ")
                .doesNotContain(UNREADABLE_SENT);
        assertMarkedWithWhatIsWrong("name", "days", "rate-limit", "limits");
        WebElement days = browser.findElement(By.name("days"));
        assertThat(browser.findElement(By.id(days.getAttribute("aria-describedby")))
                        .getText())
                .isEqualTo("is not a number: type a whole number, like 30");
        assertThat(tokenCount(root)).as("nothing created").isEqualTo(before);

        type(By.name("name"), "unreadable days");
        type(By.name("rate-limit"), "10/min");
        type(By.name("limits"), "[get].*/rest/.*");
        waitForText(By.id("check-result"), "Allowed");
        click(By.id("create"));
        String answer = wait.until(driver -> {
            if (!driver.findElements(By.id("secret")).isEmpty()) {
                return "created a token: left out, the days made one that never expires";
            }
            String text = driver.findElement(By.id("create-result")).getText();
            return text.isEmpty() ? null : text;
        });
        assertThat(answer).isEqualTo("Expires after days: is not a number: type a whole number, like 30");
        assertThat(tokenCount(root)).as("nothing created").isEqualTo(before);

        type(By.name("days"), "30");
        click(By.id("create"));
        assertThat(createdSecret()).startsWith("tgk_");
        assertThat(tokenCount(root)).isEqualTo(before + 1);
    }

    /**
     * The edit form, too, marks days the browser cannot read beside what the gateway refuses, and
     * saves nothing while they are there: empty days keep the expiry, unreadable ones do not.
     */
    @Test
    void theEditFormMarksDaysTheBrowserCannotReadAndSavesNothingWhileTheyAreThere() {
        CreatedToken token = gw.createToken(TokenSpec.bound("kept as it was", "admin", "root"));
        signIn("root", "root-password");
        browser.get(gw.server.adminUri() + "/#/tokens/" + token.token().id().value());
        type(By.name("name"), "n".repeat(201));
        type(By.name("days"), "--2");
        type(By.name("rate-limit"), "lots");
        click(By.id("save"));
        String shown = waitForText(By.id("edit-result"), "fields need a change");
        assertThat(shown)
                .startsWith("3 fields need a change:")
                .contains("Name: is 201 characters long (at most 200)")
                .contains("Expire after days from now: is not a number: type a whole number, like 30")
                .contains("Rate limit: ")
                .doesNotContain(UNREADABLE_SENT);
        for (String wrong : List.of("name", "days", "rate-limit")) {
            assertThat(browser.findElement(By.name(wrong)).getAttribute("aria-invalid"))
                    .as(wrong)
                    .isEqualTo("true");
        }

        type(By.name("name"), "renamed");
        type(By.name("rate-limit"), "5/min");
        click(By.id("save")); // empties the answer beneath the form until the next one comes
        String answer = wait.until(driver -> {
            String text = driver.findElement(By.id("edit-result")).getText();
            return text.isEmpty() ? null : text;
        });
        assertThat(answer)
                .as("left out, the days would keep the expiry while the page says Saved")
                .isEqualTo("Expire after days from now: is not a number: type a whole number, like 30");
        Token kept = gw.server.store().tokens().show(token.token().id()).orElseThrow();
        assertThat(kept.name()).isEqualTo("kept as it was");
        assertThat(kept.rateLimit()).as("nothing saved").isEmpty();
        assertThat(kept.expiresAt()).isNull();
    }

    /**
     * Times read as the reader's locale writes them, on token pages and inside the audit log's
     * reasons alike, with the exact ISO time in a tooltip.
     */
    @Test
    void timesReadAsTheLocaleWritesThemWithTheExactTimeInATooltip() {
        AdminClient root = AdminClient.basic(gw, new OpenApiContract(), "root", "root-password");
        JsonNode created = root.post("/tokens", Map.of("name", "dated", "user", "root", "daysUntilExpiry", 30))
                .json();
        String id = created.get("id").asText();
        String expiresAt = created.get("expiresAt").asText();
        AdminApiIT.awaitEvents(root, "/audit?kind=TOKEN_CREATE&token=" + id, 1); // written off the request path
        signIn("root", "root-password");
        browser.get(gw.server.adminUri() + "/#/tokens/" + id);
        WebElement expires =
                wait.until(ExpectedConditions.visibilityOfElementLocated(By.xpath("//tr[th='Expires']/td/time")));
        assertThat(expires.getAttribute("title")).isEqualTo(expiresAt);
        assertThat(expires.getText()).isNotBlank().doesNotContainPattern(ISO_TIME);
        assertThat(browser.findElement(By.id("token")).getText()).doesNotContainPattern(ISO_TIME);

        browser.get(gw.server.adminUri() + "/#/audit?kind=TOKEN_CREATE&token=" + id);
        String audit = waitForText(By.id("audit"), "created token bound to root; expires ");
        assertThat(audit).doesNotContainPattern(ISO_TIME);
        WebElement inReason = browser.findElement(By.xpath("//table[@id='audit']//td[last()]/time"));
        assertThat(inReason.getAttribute("title")).startsWith(expiresAt.substring(0, 16));
    }

    /**
     * A time someone sent (a query parameter's value, quoted in the reason) is not the gateway's
     * own: the audit log shows it exactly as sent, not as a local time that would read as when
     * something happened.
     */
    @Test
    void aTimeSentInARequestIsShownAsSentInTheAuditLog() throws Exception {
        CreatedToken token = gw.createToken(TokenSpec.bound("dated search", "admin", "root")
                .withLimits("[get].*/rest/api/2/search[QueryParam::updatedSince==2027-.*]"));
        String sent = "2026-12-01T02:03:27Z";
        HttpResponse<String> refused = gw.get(
                "/rest/api/2/search?updatedSince=" + sent,
                GatewayFixture.basic("admin", token.secret().reveal()));
        assertThat(refused.statusCode()).isEqualTo(403);
        String id = token.token().id().value();
        AdminClient root = AdminClient.basic(gw, new OpenApiContract(), "root", "root-password");
        AdminApiIT.awaitEvents(root, "/audit?decision=DENY&token=" + id, 1); // written off the request path
        signIn("root", "root-password");
        browser.get(gw.server.adminUri() + "/#/audit?decision=DENY&token=" + id);
        assertThat(waitForText(By.id("audit"), "updatedSince")).contains("'" + sent + "'");
        assertThat(browser.findElements(By.xpath("//table[@id='audit']//td[last()]/time")))
                .as("no time drawn from the sent value")
                .isEmpty();
    }

    /**
     * The account page offers to store an upstream credential only where the gateway uses one
     * (upstream.identity = user-credential, below); here it forwards as the user by a header.
     */
    @Test
    void theAccountPageSaysHowCallsReachJiraWhereNoCredentialOfTheUsersIsUsed() {
        AdminClient alice = AdminClient.basic(gw, new OpenApiContract(), "alice", "alice-password");
        assertThat(alice.get("/me").json().get("upstreamIdentity").asText()).isEqualTo("header");
        signIn("alice", "alice-password");
        click(By.id("account"));
        assertThat(waitForText(By.id("upstream-identity"), "header"))
                .contains("The gateway forwards each call as you, naming you in a header")
                .contains("No credential of yours is needed.");
        assertThat(browser.findElements(By.id("upstream-credential"))).isEmpty();
        assertThat(browser.findElements(By.name("upstream-credential"))).isEmpty();
    }

    /**
     * An admin makes an unbound token only on purpose; its page shows no stray text; its snippets
     * carry a body and a user, and say whether the token's restrictions allow the call; the sample
     * URL is the gateway's, which restrictions match, not the admin page's.
     */
    @Test
    void anUnboundTokenIsMadeOnPurposeAndItsSnippetsSayWhetherTheCallIsAllowed() {
        String gatewayUrl = AdminClient.basic(gw, new OpenApiContract(), "root", "root-password")
                .get("/me")
                .json()
                .get("gatewayUrl")
                .asText();
        signIn("root", "root-password");
        openNewTokenForm();
        assertThat(browser.findElement(By.name("sample-url")).getAttribute("value"))
                .isEqualTo(gatewayUrl + "/rest/api/2/myself");
        type(By.name("name"), "comments for any user");
        type(By.name("limits"), "[post].*/rest/api/2/issue/KANBAN-100/comment");
        click(By.id("create"));
        assertThat(waitForText(By.cssSelector("#new-token .error"), "Unbound"))
                .contains("Name the user the token is for");
        assertThat(browser.findElements(By.id("secret"))).as("nothing created").isEmpty();

        click(By.id("unbound"));
        click(By.id("create"));
        assertThat(createdSecret()).startsWith("tgk_");
        click(By.id("close-dialog"));
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("show-snippet")));
        assertThat(browser.findElement(By.tagName("main")).getText()).doesNotContain("null");
        assertThat(browser.findElement(By.id("token")).getText())
                .as("in the command line's words")
                .contains("Expires never")
                .contains("Last used never")
                .doesNotContain("Revoked");

        browser.findElement(By.cssSelector("select[name=snippet-method] option[value=POST]"))
                .click();
        type(By.name("snippet-path"), "/rest/api/2/issue/KANBAN-100/comment");
        type(By.name("snippet-body"), "{\"body\":\"Comment text\"}");
        type(By.name("snippet-user"), "ansible");
        click(By.id("show-snippet"));
        assertThat(waitForText(By.id("snippet"), "Comment text"))
                .contains("ansible:")
                .contains("application/json")
                .contains("-X POST");
        assertThat(waitForText(By.id("snippet-check"), "Allowed")).contains("by the token's restrictions");

        browser.findElement(By.cssSelector("select[name=snippet-method] option[value=GET]"))
                .click();
        click(By.id("show-snippet"));
        assertThat(waitForText(By.id("snippet-check"), "Denied"))
                .contains("Denied by the token's restrictions: no rule matches")
                .doesNotContain("DENIED");
    }

    /**
     * The token list from a hand-edited address: a filter that is no number of days is no filter
     * (not a page left as it was), and a list that comes back empty says why.
     */
    @Test
    void aTokenListFilteredByHandSaysWhatItFound() {
        signIn("root", "root-password");
        click(By.linkText("Settings"));
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("settings")));
        ((JavascriptExecutor) browser).executeScript("location.hash = '#/tokens?unusedFor=abc&expiresWithin=1e12'");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("tokens")));
        ((JavascriptExecutor) browser).executeScript("location.hash = '#/tokens?name=no-token-is-named-like-this'");
        assertThat(waitForText(By.cssSelector("main"), "No tokens")).contains("No tokens match these filters.");
    }

    /**
     * A page whose data is still on its way (a slow server) must not replace the page the user
     * has since gone to: the token read arrives after a click on "New token", and the form stays.
     */
    @Test
    void aSlowAnswerDoesNotReplaceThePageTheUserWentOnTo() {
        CreatedToken token = gw.createToken(TokenSpec.bound("slow to read", "admin", "root"));
        signIn("root", "root-password");
        ((JavascriptExecutor) browser)
                .executeScript(
                        """
                        const real = window.fetch;
                        window.fetch = async (url, init) => {
                          if (!String(url).startsWith('/api/v1/tokens/') || init.method !== 'GET') return real(url, init);
                          await new Promise((wake) => setTimeout(wake, 1500));
                          const answer = await real(url, init);
                          const body = await answer.text();
                          setTimeout(() => { window.slowAnswered = true; }, 300);
                          return new Response(body, { status: answer.status, headers: answer.headers });
                        };
                        location.hash = '#/tokens/' + arguments[0];
                        """,
                        token.token().id().value());
        openNewTokenForm();
        type(By.name("name"), "typed while the token was read");
        wait.until(driver -> ((JavascriptExecutor) driver).executeScript("return window.slowAnswered === true"));
        assertThat(browser.findElements(By.id("new-token")))
                .as("the form is still shown")
                .hasSize(1);
        assertThat(browser.findElement(By.name("name")).getAttribute("value"))
                .isEqualTo("typed while the token was read");
    }

    /**
     * The live check answers a change of method too (Selenium's choice of an option sends only a
     * change event), names the rule that allows once, and keeps a denial's lines apart: one per
     * rule, as on the command line, rather than run together into "no rule matches rule 1".
     */
    @Test
    void theLiveCheckFollowsTheMethodAndExplainsADenialRuleByRule() {
        signIn("root", "root-password");
        openNewTokenForm();
        type(By.name("limits"), "[get].*/rest/api/2/issue/JRA.*\n.*/rest/api/2/filter");
        type(By.name("sample-url"), "https://gw.example.com/rest/api/2/issue/JRA-1");
        String allowed = waitForText(By.id("check-result"), "Allowed");
        assertThat(allowed.split("issue/JRA\\.\\*", -1))
                .as("the rule named once: %s", allowed)
                .hasSize(2);

        new Select(browser.findElement(By.name("sample-method"))).selectByValue("POST");
        String denied = waitForText(By.id("check-result"), "Denied");
        assertThat(denied)
                .startsWith("Denied — no rule matches\n")
                .contains("\n  rule 1 (line 1): [GET].*/rest/api/2/issue/JRA.*\n")
                .contains("\n    failed at [GET]: method POST is not GET\n")
                .contains("\n  rule 2 (line 2): ");
    }

    /**
     * The sample's headers reach the check: a form body under a rule that judges query parameters
     * is refused as the gateway refuses it, and a line that is not a header is named.
     */
    @Test
    void theLiveCheckTakesTheSamplesHeaders() {
        signIn("root", "root-password");
        openNewTokenForm();
        type(By.name("limits"), ".*/rest/extender/1.0/filter/user/.*[QueryParam::permissions==true]");
        new Select(browser.findElement(By.name("sample-method"))).selectByValue("POST");
        type(By.name("sample-url"), "https://gw.example.com/rest/extender/1.0/filter/user/admin?permissions=true");
        type(By.name("sample-body"), "{\"name\":\"Bugs\",\"permissions\":true}");
        waitForText(By.id("check-result"), "Allowed");

        type(By.name("sample-headers"), "Accept: application/json\nContent-Type: application/x-www-form-urlencoded");
        assertThat(waitForText(By.id("check-result"), "Denied"))
                .contains("Jira reads the parameters of a form body (application/x-www-form-urlencoded)");

        type(By.name("sample-headers"), "not a header");
        assertThat(waitForText(By.cssSelector("#check-result .error"), "a header is written"))
                .contains("a header is written 'Name: value', got 'not a header'");
    }

    /**
     * A snippet the server refuses to make takes away what was shown for the call asked before:
     * its verdict and its code would otherwise read as the answer to this one.
     */
    @Test
    void aSnippetThatCannotBeMadeLeavesNoVerdictOrCodeOfTheCallBefore() {
        CreatedToken token = gw.createToken(TokenSpec.bound("snippet errors", "root", "root"));
        signIn("root", "root-password");
        browser.get(gw.server.adminUri() + "/#/tokens/" + token.token().id().value());
        click(By.id("show-snippet"));
        waitForText(By.id("snippet-check"), "Allowed");
        waitForText(By.id("snippet"), "curl");

        type(By.name("snippet-path"), "rest/api/2/myself");
        click(By.id("show-snippet"));
        assertThat(waitForText(By.xpath("//div[h2='Code snippets']//div[@class='error']"), "must start with '/'"))
                .as("the field named once, by its label")
                .isEqualTo("Path and query: 'rest/api/2/myself' must start with '/', e.g. /rest/api/2/issue/AAA-1");
        assertThat(browser.findElement(By.name("snippet-path")).getAttribute("aria-invalid"))
                .isEqualTo("true");
        assertThat(browser.findElement(By.id("snippet-check")).getText()).isEmpty();
        assertThat(browser.findElement(By.id("snippet")).isDisplayed()).isFalse();
        assertThat(browser.findElements(By.cssSelector(".tabs button"))).isEmpty();
    }

    /**
     * A record whose reason holds a long regex (a token's limits) or URL does not widen the audit
     * table past the page, and a chart with no requests to count says so rather than stay blank.
     */
    @Test
    void theAuditLogFitsThePageAndItsChartSaysWhenThereIsNothingToCount() {
        String longRegex = ".*/rest/api/2/issue/(" + "ABCDEFGHIJ|".repeat(20) + "Z)-[0-9]+/comment/properties/.*";
        AdminClient root = AdminClient.basic(gw, new OpenApiContract(), "root", "root-password");
        String id = root.post("/tokens", Map.of("name", "long limits", "user", "root", "limits", longRegex))
                .json()
                .get("id")
                .asText();
        AdminApiIT.awaitEvents(root, "/audit?kind=TOKEN_CREATE&token=" + id, 1); // written off the request path
        signIn("root", "root-password");
        browser.get(gw.server.adminUri() + "/#/audit?kind=TOKEN_CREATE");
        waitForText(By.id("audit"), "ABCDEFGHIJ");
        assertThat(((JavascriptExecutor) browser)
                        .executeScript("return document.getElementById('audit').offsetWidth"
                                + " <= document.getElementById('main').clientWidth"))
                .as("no sideways scrolling at 1280 pixels")
                .isEqualTo(true);
        assertThat(browser.findElement(By.cssSelector("svg.chart")).getText())
                .startsWith("No requests through the gateway among the");
    }

    /**
     * A token revoked by someone else while its page was open: revoking it there again changes
     * nothing, and the page says so, with when, rather than let the user think they revoked it.
     */
    @Test
    void revokingATokenRevokedMeanwhileSaysItWasAlreadyRevoked() {
        CreatedToken token = gw.createToken(TokenSpec.bound("revoked meanwhile", "admin", "root"));
        signIn("root", "root-password");
        browser.get(gw.server.adminUri() + "/#/tokens/" + token.token().id().value());
        waitForText(By.id("token"), "active");
        java.time.Instant revokedAt = gw.server
                .store()
                .tokens()
                .revoke(token.token().id())
                .orElseThrow()
                .token()
                .revokedAt();

        click(By.xpath("//button[text()='Revoke']"));
        wait.until(ExpectedConditions.alertIsPresent()).accept();
        assertThat(waitForText(By.id("token-notice"), "Already revoked"))
                .startsWith("Already revoked, at ")
                .endsWith(", before you asked: nothing changed.");
        assertThat(browser.findElement(By.cssSelector("#token-notice time")).getAttribute("datetime"))
                .as("the time of the first revoke")
                .isEqualTo(revokedAt.toString());
    }

    @Test
    void editingTheRestrictionsChecksThemLiveAndChangesWhatTheGatewayAllows() throws Exception {
        CreatedToken token =
                gw.createToken(TokenSpec.bound("editable", "admin", "root").withLimits("[get].*/rest/api/2/issue/.*"));
        String auth = GatewayFixture.basic("admin", token.secret().reveal());
        signIn("root", "root-password");
        browser.get(gw.server.adminUri() + "/#/tokens/" + token.token().id().value());

        type(By.name("limits"), "[get].*/rest/api/2/issue/(AAA");
        String refused = waitForText(By.cssSelector("#check-result .error"), "");
        assertThat(refused).as("checked without a click").isNotBlank();
        assertThat(refused.split("missing closing \\)", -1))
                .as("each problem said once: %s", refused)
                .hasSize(2);
        click(By.id("save"));
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#edit-result .error")));
        assertThat(limitsOf(token))
                .as("a text that does not parse is not saved")
                .isEqualTo("[get].*/rest/api/2/issue/.*");

        type(By.name("limits"), "[get].*/rest/api/2/myself");
        saveAndAwaitThePageShowingTheChange();
        assertThat(browser.findElement(By.id("edit-result")).getText())
                .as("the form looks as before the click: the page says the change was made")
                .isEqualTo("Saved.");
        assertThat(limitsOf(token)).isEqualTo("[get].*/rest/api/2/myself");
        assertThat(gw.get("/rest/api/2/myself", auth).statusCode()).isEqualTo(200);
        assertThat(gw.get("/rest/api/2/issue/AAA-1", auth).statusCode()).isEqualTo(403);

        type(By.name("rate-limit"), "1/h");
        saveAndAwaitThePageShowingTheChange();
        assertThat(browser.findElement(By.id("token")).getText()).contains("1/h");
        assertThat(gw.get("/rest/api/2/myself", auth).statusCode()).isEqualTo(200);
        assertThat(gw.get("/rest/api/2/myself", auth).statusCode())
                .as("the rate limit set in the UI holds")
                .isEqualTo(429);
    }

    @Test
    void rotatingInTheUiShowsTheNewSecretOnceAndTheOldOneStopsWorking() throws Exception {
        CreatedToken token = gw.createToken(TokenSpec.bound("rotated", "admin", "root"));
        String before = GatewayFixture.basic("admin", token.secret().reveal());
        signIn("root", "root-password");
        browser.get(gw.server.adminUri() + "/#/tokens/" + token.token().id().value());

        click(By.xpath("//button[text()='Show']"));
        String curl = waitForText(By.id("snippet"), "curl");
        assertThat(curl)
                .contains(token.secret().reveal())
                .contains(gw.server.dataUri().toString());

        click(By.xpath("//button[text()='Rotate secret']"));
        wait.until(ExpectedConditions.alertIsPresent()).accept();
        String after = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("secret")))
                .getAttribute("value");
        for (int i = 0; i < 6; i++) {
            new Actions(browser).sendKeys(Keys.TAB).perform();
            assertThat(((JavascriptExecutor) browser)
                            .executeScript("const e = document.activeElement;"
                                    + " return e === document.body || e.closest('.dialog') !== null"))
                    .as("Tab stays in the dialog, out of the page behind it")
                    .isEqualTo(true);
        }
        click(By.id("close-dialog"));
        assertThat(browser.findElements(By.id("secret")))
                .as("the dialog is gone with its secret")
                .isEmpty();

        assertThat(after).startsWith("tgk_").isNotEqualTo(token.secret().reveal());
        assertThat(gw.get("/rest/api/2/myself", before).statusCode()).isEqualTo(401);
        assertThat(gw.get("/rest/api/2/myself", GatewayFixture.basic("admin", after))
                        .statusCode())
                .isEqualTo(200);
    }

    @Test
    void inSecureModeTheSecretIsShownOnceAndThePagesOfferNoWayToSeeItAgain(@TempDir Path secureHome) throws Exception {
        try (GatewayFixture secure =
                GatewayFixture.start(secureHome, Map.of("token.secure.mode", "true"), DemoJira.Options.defaults())) {
            secure.server.localUsers().add("root", null, null, UserRole.ADMIN, "root-password".toCharArray());
            signIn(secure, "root", "root-password");
            openNewTokenForm();
            type(By.name("name"), "once");
            type(By.name("user"), "admin");
            click(By.id("create"));
            WebElement dialog = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".dialog")));
            assertThat(dialog.getText()).contains("only this once");
            String secret = browser.findElement(By.id("secret")).getAttribute("value");
            click(By.id("close-dialog"));

            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("token")));
            assertThat(browser.findElements(By.xpath("//button[text()='Show secret']")))
                    .isEmpty();
            assertThat(browser.findElements(By.id("snippet")))
                    .as("snippets show the secret")
                    .isEmpty();
            assertThat(browser.findElement(By.tagName("main")).getText()).doesNotContain(secret);
            assertThat(browser.findElements(By.id("edit-token")))
                    .as("secure mode refuses edits")
                    .isEmpty();
            assertThat(browser.findElement(By.id("secure-notice")).getText())
                    .as("the page says why")
                    .startsWith("Secure mode: the secret of this token cannot be shown again, nor code snippets");
            assertThat(secure.get("/rest/api/2/myself", GatewayFixture.basic("admin", secret))
                            .statusCode())
                    .isEqualTo(200);
        }
    }

    @Test
    void anAdminAddsEditsAndRemovesALocalUser() {
        signIn("root", "root-password");
        click(By.linkText("Users"));
        type(By.name("new-user"), "carol");
        type(By.name("new-password"), "short");
        browser.findElement(By.name("new-password")).sendKeys("-but-long-enough");
        type(By.name("new-groups"), "jira-runas, ci");
        click(By.id("add"));
        assertThat(waitForText(By.id("users"), "carol")).contains("carol");
        assertThat(browser.findElement(By.xpath("//tr[td[text()='carol']]")).getText())
                .contains("ci, jira-runas");
        AdminClient carol = AdminClient.basic(gw, new OpenApiContract(), "carol", "short-but-long-enough");
        assertThat(carol.get("/me").status()).isEqualTo(200);

        click(By.xpath("//tr[td[text()='carol']]//button[text()='Groups…']"));
        Alert groups = wait.until(ExpectedConditions.alertIsPresent());
        assertThat(groups.getText()).contains("Groups of carol");
        groups.sendKeys("deploy");
        groups.accept();
        wait.until(driver -> driver.findElement(By.xpath("//tr[td[text()='carol']]"))
                .getText()
                .contains("deploy"));
        click(By.xpath("//tr[td[text()='carol']]//button[text()='Make admin']"));
        wait.until(ExpectedConditions.alertIsPresent()).accept();
        wait.until(driver -> driver.findElements(By.xpath("//tr[td[text()='carol']]//button[text()='Make user']"))
                        .size()
                == 1);
        assertThat(carol.get("/me").json().get("role").asText()).isEqualTo("admin");
        assertThat(browser.findElements(By.xpath("//tr[td[text()='root']]//button[starts-with(text(), 'Make')]")))
                .as("no way to change your own role")
                .isEmpty();

        click(By.xpath("//tr[td[text()='carol']]//button[text()='Remove']"));
        wait.until(ExpectedConditions.alertIsPresent()).accept();
        wait.until(driver -> !driver.findElement(By.id("users")).getText().contains("carol"));
        assertThat(carol.get("/me").status()).isEqualTo(401);
        assertThat(browser.findElements(By.xpath("//tr[td[text()='root']]//button[text()='Remove']")))
                .as("no way to remove yourself")
                .isEmpty();
    }

    @Test
    void aUserChangesTheirOwnPasswordOnTheirAccountPage() {
        gw.server.localUsers().add("mia", null, null, UserRole.USER, "mia-password-1".toCharArray());
        signIn("mia", "mia-password-1");
        click(By.id("account"));
        type(By.name("current-password"), "not-mias-password");
        type(By.name("new-password"), "mia-password-2");
        click(By.id("change-password-button"));
        assertThat(waitForText(By.id("change-password"), "not your current password"))
                .contains("currentPassword");

        type(By.name("current-password"), "mia-password-1");
        type(By.name("new-password"), "mia-password-2");
        click(By.id("change-password-button"));
        waitForText(By.id("change-password"), "Changed. Your other sessions have ended.");
        assertThat(browser.findElement(By.name("new-password")).getAttribute("value"))
                .isEmpty();
        OpenApiContract contract = new OpenApiContract();
        assertThat(AdminClient.basic(gw, contract, "mia", "mia-password-1")
                        .get("/me")
                        .status())
                .isEqualTo(401);
        assertThat(AdminClient.basic(gw, contract, "mia", "mia-password-2")
                        .get("/me")
                        .status())
                .isEqualTo(200);
        click(By.linkText("Tokens"));
        assertThat(wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("tokens")))
                        .isDisplayed())
                .as("still signed in here")
                .isTrue();
    }

    @Test
    void anAdminSetsAUsersPasswordAndRemovesThemWithTheirTokens() {
        gw.server.localUsers().add("nina", null, null, UserRole.USER, "nina-password-1".toCharArray());
        CreatedToken ninas = gw.createToken(TokenSpec.bound("nina's", "nina", "root"));
        signIn("root", "root-password");
        click(By.linkText("Users"));
        waitForText(By.id("users"), "nina");
        new Select(browser.findElement(By.name("password-user"))).selectByVisibleText("nina");
        type(By.name("set-password"), "nina-password-2");
        click(By.id("set-password-button"));
        waitForText(By.id("set-password"), "Password of nina set");
        OpenApiContract contract = new OpenApiContract();
        assertThat(AdminClient.basic(gw, contract, "nina", "nina-password-2")
                        .get("/me")
                        .status())
                .isEqualTo(200);

        click(By.xpath("//tr[td[text()='nina']]//button[text()='Remove']"));
        wait.until(ExpectedConditions.alertIsPresent()).accept();
        Alert tokens = wait.until(ExpectedConditions.alertIsPresent());
        assertThat(tokens.getText()).startsWith("nina has 1 active token. Revoke it too?");
        tokens.accept();
        assertThat(waitForText(By.tagName("main"), "Removed nina"))
                .contains("Removed nina and ended their sessions; revoked the 1 active token bound to them");
        assertThat(browser.findElement(By.id("users")).getText()).doesNotContain("nina");
        assertThat(gw.server
                        .store()
                        .tokens()
                        .show(ninas.token().id())
                        .orElseThrow()
                        .revokedAt())
                .isNotNull();
    }

    @Test
    void aUserStoresTheirOwnUpstreamCredentialAndTheirTokensCallJiraWithIt(@TempDir Path credentialHome)
            throws Exception {
        String pat = "pat-dora-0123456789";
        DemoJira.Options upstream = DemoJira.Options.defaults().identity(Identity.userCredentials(Map.of(pat, "dora")));
        try (GatewayFixture perUser =
                GatewayFixture.start(credentialHome, Map.of("upstream.identity", "user-credential"), upstream)) {
            perUser.server.localUsers().add("dora", null, null, UserRole.USER, "dora-password".toCharArray());
            String auth = GatewayFixture.basic(
                    "dora",
                    perUser.createToken(TokenSpec.bound("dora's", "dora", "dora"))
                            .secret()
                            .reveal());
            assertThat(perUser.get("/rest/api/2/myself", auth).statusCode())
                    .as("no credential stored yet")
                    .isEqualTo(403);

            signIn(perUser, "dora", "dora-password");
            click(By.id("account"));
            type(By.name("upstream-credential"), pat);
            click(By.id("store-credential"));
            waitForText(By.id("upstream-credential"), "Stored.");
            assertThat(browser.findElement(By.name("upstream-credential")).getAttribute("value"))
                    .isEmpty();

            HttpResponse<String> myself = perUser.get("/rest/api/2/myself", auth);
            assertThat(myself.statusCode()).isEqualTo(200);
            assertThat(myself.body()).contains("\"name\":\"dora\"");

            click(By.id("forget-credential"));
            waitForText(By.id("upstream-credential"), "Forgotten.");
            assertThat(perUser.get("/rest/api/2/myself", auth).statusCode()).isEqualTo(403);
        }
    }

    /**
     * {@code identity.source = jira}, {@code user-credential}: a user whose stored Jira token Jira
     * no longer takes signs in with their Jira password and lands on their account page, which
     * says why, whatever page they asked for; once they store a token Jira takes, the rest is back.
     */
    @Test
    void aUserWhoseJiraTokenExpiredSignsInToTheAccountPageAndReplacesIt(@TempDir Path jiraHome) {
        DemoJira.Options upstream =
                DemoJira.Options.defaults().identity(Identity.userCredentials(Map.of("pat-bob-new", "bob")));
        try (GatewayFixture jira = GatewayFixture.start(
                jiraHome, Map.of("identity.source", "jira", "upstream.identity", "user-credential"), upstream)) {
            jira.server.localUsers().add("bob", null, null, UserRole.USER, "unused-password-1".toCharArray());
            jira.server.store().upstreamCredentials().set("bob", "pat-bob-expired".toCharArray());

            signIn(jira, "bob", "bob");
            String notice = waitForText(By.id("confined"), "Jira refuses the upstream credential stored for bob");
            assertThat(notice).contains("Store a current one on your account page");
            browser.get(jira.server.adminUri() + "/#/tokens");
            browser.navigate().refresh();
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("confined")));
            assertThat(browser.findElement(By.cssSelector("main h1")).getText())
                    .as("the account page, not the token list asked for")
                    .isEqualTo("bob");

            type(By.name("upstream-credential"), "pat-bob-new");
            click(By.id("store-credential"));
            wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("confined")));
            click(By.id("account"));
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("upstream-credential")));
            assertThat(browser.findElements(By.id("confined"))).isEmpty();
        }
    }

    /**
     * {@code identity.source = jira}: a token whose user Jira deactivated, as the gateway learnt it
     * after Jira refused one of its calls, is flagged in the token list under its user, with the
     * remedy; a token nothing was learnt of is not.
     */
    @Test
    void aTokenWhoseUserJiraDeactivatedIsFlaggedInTheList(@TempDir Path jiraHome) throws Exception {
        DemoJira.Options upstream = DemoJira.Options.defaults().identity(Identity.serviceAccount("svc", "svc-pw-1"));
        try (GatewayFixture jira = GatewayFixture.start(
                jiraHome,
                Map.of(
                        "identity.source", "jira",
                        "upstream.identity", "service-account",
                        "upstream.service.user", "svc",
                        "upstream.service.password", "svc-pw-1"),
                upstream)) {
            CreatedToken bobs = jira.createToken(TokenSpec.bound("bob's nightly", "bob", "admin"));
            jira.createToken(TokenSpec.bound("alice's nightly", "alice", "admin"));
            jira.jira.deactivateUser("bob");
            assertThat(jira.get(
                                    "/rest/api/2/myself",
                                    GatewayFixture.basic("bob", bobs.secret().reveal()))
                            .statusCode())
                    .isEqualTo(401);
            AdminClient admin = AdminClient.basic(jira, new OpenApiContract(), "admin", "admin");
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (!admin.get("/tokens").body().contains("userGone") && System.nanoTime() < deadline) {
                LockSupport.parkNanos(Duration.ofMillis(50).toNanos()); // the gateway learns it in the background
            }

            signIn(jira, "admin", "admin");
            browser.get(jira.server.adminUri() + "/#/tokens");
            String flag = waitForText(By.cssSelector("#tokens .user-gone"), "Jira has deactivated bob");
            assertThat(flag).contains("tokengate user revoke-tokens bob");
            assertThat(browser.findElements(By.cssSelector("#tokens .user-gone")))
                    .as("alice's token: nothing learnt, nothing shown")
                    .hasSize(1);
        }
    }

    @Test
    void anAdminSeesTheSettingsInForce() {
        signIn("root", "root-password");
        click(By.linkText("Settings"));
        String settings = waitForText(By.id("settings"), "upstream.url");
        assertThat(settings).contains("upstream.url").contains(gw.jira.baseUri().toString());

        click(By.id("backup"));
        String outcome = waitForText(By.id("backup-outcome"), "Backup written");
        assertThat(outcome)
                .contains(home.resolve("backups").toAbsolutePath().toString())
                .contains("tokengate.key");
    }

    /**
     * A CI runner's address is throttled by one job's dead token: the admin finds it on the
     * settings page and lifts it, and the other jobs' tokens work again from there. Its own
     * gateway, as it throttles an address (trusting 127.0.0.1 as a load balancer).
     */
    @Test
    void anAdminSeesAThrottledAddressAndLiftsItOnTheSettingsPage(@TempDir Path throttleHome) throws Exception {
        try (GatewayFixture throttled = GatewayFixture.start(
                throttleHome,
                Map.of("gateway.trusted.proxies", "127.0.0.1/32", "login.max.failures", "3"),
                DemoJira.Options.defaults())) {
            throttled.server.localUsers().add("root", null, null, UserRole.ADMIN, "root-password".toCharArray());
            String runner = "198.51.100.7";
            String dead = GatewayFixture.basic("admin", "tgk_not-a-token-at-all");
            for (int i = 0; i < 3; i++) {
                assertThat(fromRunner(throttled, runner, dead).statusCode()).isEqualTo(401);
            }
            String working = GatewayFixture.basic(
                    "admin",
                    throttled
                            .createToken(TokenSpec.bound("nightly", "admin", "root"))
                            .secret()
                            .reveal());
            assertThat(fromRunner(throttled, runner, working).statusCode()).isEqualTo(429);

            signIn(throttled, "root", "root-password");
            click(By.linkText("Settings"));
            String listed = waitForText(By.id("throttles"), runner);
            assertThat(listed)
                    .contains("data (tokens)")
                    .containsPattern(runner + " 3 yes, \\d+ s left")
                    .doesNotContain("null");

            click(By.xpath("//div[@id='throttles']//tr[td[text()='" + runner + "']]//button[text()='Lift']"));
            wait.until(ExpectedConditions.alertIsPresent()).accept();
            assertThat(waitForText(By.id("throttle-outcome"), "Lifted")).startsWith("Lifted " + runner);
            assertThat(waitForText(By.id("throttles"), "No failed logins")).doesNotContain(runner);
            assertThat(fromRunner(throttled, runner, working).statusCode())
                    .as("the other jobs' calls")
                    .isEqualTo(200);
        }
    }

    private static HttpResponse<String> fromRunner(GatewayFixture at, String runner, String authorization)
            throws Exception {
        return at.send(HttpRequest.newBuilder(at.url("/rest/api/2/myself"))
                .header("Authorization", authorization)
                .header("X-Forwarded-For", runner)
                .build());
    }

    @Test
    void theTokenListShowsFiftyAtATimeAndMoreOnRequest() {
        gw.server.localUsers().add("erin", null, null, UserRole.USER, "erin-password".toCharArray());
        for (int i = 0; i < 51; i++) {
            gw.createToken(TokenSpec.bound("erin's " + i, "erin", "root"));
        }
        signIn("erin", "erin-password");
        waitForText(By.id("tokens"), "erin's 50");
        assertThat(browser.findElements(By.cssSelector("#tokens tbody tr"))).hasSize(50);

        click(By.xpath("//button[text()='More']"));
        assertThat(waitForText(By.id("tokens"), "erin's 0")).contains("erin's 0");
        assertThat(browser.findElements(By.cssSelector("#tokens tbody tr"))).hasSize(51);
        assertThat(browser.findElement(By.xpath("//button[text()='More']")).isDisplayed())
                .as("no page after the last")
                .isFalse();
    }

    /** A snippet's verdict names the token's terms the restrictions do not: where from, how often. */
    @Test
    void aSnippetsVerdictNamesTheAddressesAndRateTheTokenIsHeldTo() {
        CreatedToken token = gw.createToken(TokenSpec.bound("runner only", "root", "root")
                .withAllowedIps("10.0.0.0/8")
                .withRateLimit("100/min"));
        signIn("root", "root-password");
        browser.get(gw.server.adminUri() + "/#/tokens/" + token.token().id().value());
        click(By.id("show-snippet"));
        assertThat(waitForText(By.id("snippet-check"), "Allowed"))
                .contains("Allowed by the token's restrictions.")
                .contains("Only from 10.0.0.0/8.")
                .contains("At most 100/min.");
    }

    @Test
    void theTokenListFindsTheTokensAboutToExpire() {
        gw.createToken(TokenSpec.bound("fay's nightly", "fay", "root").withExpiry(Expiry.inDays(3)));
        gw.createToken(TokenSpec.bound("fay's release", "fay", "root").withExpiry(Expiry.inDays(60)));
        signIn("root", "root-password");
        browser.get(gw.server.adminUri() + "/#/tokens?user=fay");
        waitForText(By.id("tokens"), "fay's release");

        type(By.name("expiresWithin"), "7");
        click(By.xpath("//button[text()='Filter']"));
        wait.until(driver -> !driver.findElement(By.id("tokens")).getText().contains("fay's release"));
        assertThat(waitForText(By.id("tokens"), "fay's nightly")).doesNotContain("fay's release");
        assertThat(browser.getCurrentUrl()).contains("expiresWithin=7");
        assertThat(browser.findElement(By.name("status")).getAttribute("value"))
                .as("about active tokens, unless a status is chosen, as on the command line")
                .isEqualTo("active");
    }

    @Test
    void aUserSeesOnlyTheirOwnTokensAndNoSettings() {
        gw.createToken(TokenSpec.bound("alice's sync", "alice", "root"));
        gw.createToken(TokenSpec.bound("someone else's", "admin", "root"));

        signIn("alice", "alice-password");

        String tokens = waitForText(By.id("tokens"), "alice's sync");
        assertThat(tokens).contains("alice's sync").doesNotContain("someone else's");
        assertThat(browser.findElement(By.id("nav-settings")).isDisplayed()).isFalse();
        openNewTokenForm();
        WebElement bound = browser.findElement(By.name("user"));
        assertThat(bound.getAttribute("value")).isEqualTo("alice");
        assertThat(bound.getAttribute("readonly")).isNotNull();
        assertThat(bound.getCssValue("background-color"))
                .as("the read-only field does not look like one to type in")
                .isNotEqualTo(browser.findElement(By.name("name")).getCssValue("background-color"));
        assertThat(browser.findElement(By.id(bound.getAttribute("aria-describedby")))
                        .getText())
                .isEqualTo("Your tokens are bound to you; an admin makes tokens for other users.");

        for (String adminPage : List.of("#/users", "#/settings")) {
            browser.get(gw.server.adminUri() + "/" + adminPage);
            assertThat(waitForText(By.tagName("main"), "admins only"))
                    .contains("This page is for admins only; you are signed in as alice, a user.");
            assertThat(browser.findElements(By.cssSelector("main form")))
                    .as("no form on %s that the API would refuse", adminPage)
                    .isEmpty();
        }
    }

    @Test
    void aWrongPasswordIsRefusedOnThePageAndSigningOutEndsTheSession() {
        browser.get(gw.server.adminUri() + "/");
        type(By.name("user"), "root");
        type(By.name("password"), "not-the-password");
        click(By.cssSelector("#sign-in button[type=submit]"));
        assertThat(waitForText(By.cssSelector("#sign-in .error"), "")).isNotBlank();

        signIn("root", "root-password");
        click(By.id("sign-out"));
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("sign-in")));
        browser.navigate().refresh();
        assertThat(wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("sign-in")))
                        .isDisplayed())
                .as("the session cookie no longer signs in")
                .isTrue();
    }

    @Test
    void thePagesComeWithAPolicyThatRunsOnlyTheirOwnFiles() throws Exception {
        for (String path : List.of("/", "/ui/app.js", "/ui/app.css")) {
            HttpResponse<String> page = gw.send(HttpRequest.newBuilder(URI.create(gw.server.adminUri() + path))
                    .GET()
                    .build());
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow())
                    .contains("default-src 'none'")
                    .contains("script-src 'self'")
                    .contains("frame-ancestors 'none'");
            assertThat(page.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
        }
        HttpResponse<String> post = gw.send(HttpRequest.newBuilder(URI.create(gw.server.adminUri() + "/"))
                .POST(HttpRequest.BodyPublishers.ofString("x"))
                .build());
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("Allow")).contains("GET, HEAD");
        assertThat(Map.of(
                        "content-type",
                        post.headers().firstValue("Content-Type").orElse("")))
                .containsValue("application/json;charset=utf-8");
    }

    /**
     * A token's name may be 200 characters without a space (a generated one, a pasted URL): the
     * list and the token's page break it rather than grow wider than the window.
     */
    @Test
    void aLongNameWithoutSpacesBreaksRatherThanWidenThePage() {
        String name = "build-" + "x".repeat(194);
        CreatedToken token = gw.createToken(TokenSpec.bound(name, "admin", "root"));
        signIn("root", "root-password");
        browser.get(gw.server.adminUri() + "/#/tokens?name=" + name);
        waitForText(By.id("tokens"), name);
        assertThat(overflow()).as("the token list").isZero();

        browser.get(gw.server.adminUri() + "/#/tokens/" + token.token().id().value());
        waitForText(By.cssSelector("main h1"), name);
        assertThat(overflow()).as("the token's page").isZero();
    }

    /**
     * A time typed in another form is refused beneath the filter, by its label, with an example of
     * the form it takes shown as the gateway wrote it: the page writes other times in messages as
     * the locale does.
     */
    @Test
    void aTimeFilterInTheWrongFormIsAnsweredWithAnExampleOfTheRightOne() {
        signIn("root", "root-password");
        browser.get(gw.server.adminUri() + "/#/audit");
        type(By.name("from"), "yesterday");
        click(By.cssSelector("main form button[type=submit]"));
        assertThat(waitForText(By.cssSelector("main .error"), "yesterday"))
                .isEqualTo(
                        "From: 'yesterday' is not an ISO-8601 date and time with offset, like '2027-01-31T12:00:00Z'");
        WebElement from = browser.findElement(By.name("from"));
        assertThat(from.getAttribute("aria-invalid"))
                .as("marked where it was typed")
                .isEqualTo("true");
        String[] describedBy = from.getAttribute("aria-describedby").split(" ");
        assertThat(browser.findElement(By.id(describedBy[describedBy.length - 1]))
                        .getText())
                .as("the field's hint first, then what is wrong")
                .startsWith("'yesterday' is not an ISO-8601 date");
    }

    /**
     * Limits with several problems, refused with another field: each problem is said once in the
     * form's answer, and beneath the restrictions each on a line of its own.
     */
    @Test
    void eachProblemOfTheRestrictionsIsSaidOnceWhenOtherFieldsAreWrongToo() {
        signIn("root", "root-password");
        openNewTokenForm();
        type(By.name("name"), "n".repeat(201));
        type(By.name("user"), "admin");
        type(By.name("limits"), "[get].*/rest/(\n[QueryParam::x==y]");
        click(By.id("create"));
        String shown = waitForText(By.id("create-result"), "fields need a change");
        assertThat(shown).contains("Restrictions: 2 problems");
        assertThat(shown.split("missing closing \\)", -1))
                .as("said once: %s", shown)
                .hasSize(2);
        assertThat(shown.split("missing URL regex", -1))
                .as("said once: %s", shown)
                .hasSize(2);
        WebElement limits = browser.findElement(By.name("limits"));
        WebElement beneath = browser.findElement(By.id(limits.getAttribute("aria-describedby")));
        assertThat(beneath.getText()).startsWith("2 problems");
        assertThat(beneath.findElements(By.tagName("li")))
                .as("beneath the restrictions, a line for each problem")
                .extracting(WebElement::getText)
                .satisfiesExactly(
                        first -> assertThat(first).startsWith("line 1, column 6: invalid regex: missing closing )"),
                        second -> assertThat(second).startsWith("line 2, column 1: missing URL regex"));
    }

    /**
     * A gateway that stops answering (stopped, restarting, out of reach) is said to, in words,
     * where the browser alone would say "Failed to fetch".
     */
    @Test
    void aGatewayThatDoesNotAnswerIsSaidSo(@TempDir Path stoppingHome) {
        GatewayFixture stopping = GatewayFixture.start(stoppingHome);
        try {
            stopping.server.localUsers().add("root", null, null, UserRole.ADMIN, "root-password".toCharArray());
            signIn(stopping, "root", "root-password");
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("tokens")));
        } finally {
            stopping.close();
        }
        click(By.cssSelector("main form button[type=submit]"));
        assertThat(waitForText(By.cssSelector("main .error"), "did not answer"))
                .startsWith("The gateway did not answer: it may be stopped or restarting")
                .doesNotContain("Failed to fetch");
    }

    /**
     * Signing in needs no mouse: the user field has the focus, Enter sends the form, and the page
     * it opens is marked in the menu; the secret's dialog is named by its title and its field.
     */
    @Test
    void signingInNeedsNoMouseAndTheSecretsDialogIsNamed() {
        browser.get(gw.server.adminUri() + "/");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("sign-in")));
        browser.switchTo().activeElement().sendKeys("root", Keys.TAB, "root-password", Keys.ENTER);
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("tokens")));
        assertThat(browser.findElement(By.cssSelector("#nav a.active")).getText())
                .as("the page opened first is the tokens' page")
                .isEqualTo("Tokens");

        openNewTokenForm();
        type(By.name("name"), "named dialog");
        type(By.name("user"), "admin");
        click(By.id("create"));
        WebElement dialog = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[role=dialog]")));
        assertThat(browser.findElement(By.id(dialog.getAttribute("aria-labelledby")))
                        .getText())
                .isEqualTo("Token created");
        assertThat(browser.findElement(By.id("secret")).getAttribute("aria-label"))
                .isEqualTo("Secret");
    }

    /** An audit log with nothing to show says so, and whether its filters are why. */
    @Test
    void anAuditLogFilteredToNothingSaysSo() {
        signIn("root", "root-password");
        browser.get(gw.server.adminUri() + "/#/audit?user=nobody-at-all");
        assertThat(wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("audit-none")))
                        .getText())
                .isEqualTo("No records match these filters.");

        browser.get(gw.server.adminUri() + "/#/audit");
        waitForText(By.id("audit"), "LOGIN");
        assertThat(browser.findElement(By.id("audit-none")).isDisplayed())
                .as("records shown")
                .isFalse();
    }

    /**
     * A form with no user, no "Unbound" and other wrong fields says what is wrong with each at
     * once, the missing user in the form's words, and makes no token.
     */
    @Test
    void aTokenFormWithoutAUserSaysWhatElseIsWrongAtOnce() {
        signIn("root", "root-password");
        openNewTokenForm();
        type(By.name("name"), "n".repeat(201));
        type(By.name("days"), "40000");
        click(By.id("create"));
        assertThat(waitForText(By.id("create-result"), "fields need a change"))
                .startsWith("3 fields need a change:")
                .contains("Name: is 201 characters long (at most 200)")
                .contains(
                        "Bound user: Name the user the token is for, or tick \"Unbound\" if it is meant to run as any user.")
                .contains("Expires after days: must be from 1 to 36500, got 40000");
        for (String wrong : List.of("name", "user", "days")) {
            assertThat(browser.findElement(By.name(wrong)).getAttribute("aria-invalid"))
                    .as(wrong)
                    .isEqualTo("true");
        }
        assertThat(browser.switchTo().activeElement().getAttribute("name"))
                .as("the keyboard at the user field, at the top of the form")
                .isEqualTo("user");
        assertThat(browser.findElements(By.id("secret"))).as("nothing created").isEmpty();
    }

    /**
     * From and To take a date, or a date and time, as a person types them, read in the browser's
     * time zone (Berlin here) and said how; a date alone in To is the end of that day. A local time
     * a daylight-saving change makes ambiguous is refused rather than guessed.
     */
    @Test
    void auditTimesTypedAsPeopleWriteThemAreReadInTheBrowsersTimeZone() {
        signIn("root", "root-password");
        ((ChromeDriver) browser)
                .executeCdpCommand("Emulation.setTimezoneOverride", Map.of("timezoneId", "Europe/Berlin"));
        browser.get(gw.server.adminUri() + "/#/audit");
        assertThat(waitForText(By.id("audit-time-hint"), "Europe/Berlin"))
                .contains("a date (2026-01-31) or a date and time (2026-01-31 08:00) in your time zone, Europe/Berlin")
                .contains("To is not included; a date alone in To stands for the end of that day.");
        assertThat(browser.findElement(By.name("to")).getAttribute("placeholder"))
                .isNotBlank();

        type(By.name("from"), "2026-10-25 02:30");
        type(By.name("to"), "2026-03-29T02:30");
        click(By.cssSelector("main form button[type=submit]"));
        assertThat(waitForText(By.cssSelector("main .error"), "2 fields"))
                .contains("From: '2026-10-25 02:30' is twice on the clock in your time zone, Europe/Berlin")
                .contains("To: '2026-03-29T02:30' is never on the clock in your time zone, Europe/Berlin");
        assertThat(browser.getCurrentUrl()).as("nothing asked").doesNotContain("from=");

        String today =
                java.time.LocalDate.now(java.time.ZoneId.of("Europe/Berlin")).toString();
        String offset = java.time.ZoneId.of("Europe/Berlin")
                .getRules()
                .getOffset(java.time.Instant.now())
                .getId();
        type(By.name("from"), today);
        type(By.name("to"), today);
        click(By.cssSelector("main form button[type=submit]"));
        assertThat(waitForText(By.id("audit"), "LOGIN"))
                .as("today's sign-in, to the end of today")
                .contains("LOGIN");
        String tomorrow = java.time.LocalDate.parse(today).plusDays(1).toString();
        assertThat(waitForText(By.id("from-read-as"), today))
                .isEqualTo("Read " + today + " as " + today + "T00:00:00" + offset
                        + ", the start of that day in your time zone, Europe/Berlin.");
        assertThat(browser.findElement(By.id("to-read-as")).getText())
                .isEqualTo("Read " + today + " as " + tomorrow + "T00:00:00" + offset
                        + ", the end of that day in your time zone, Europe/Berlin.");
        assertThat(browser.findElement(By.name("from")).getAttribute("value"))
                .as("the exact time, in the field and the address")
                .isEqualTo(today + "T00:00:00" + offset);
        assertThat(browser.findElement(By.name("to")).getAttribute("aria-describedby"))
                .as("the note is the field's to a screen reader too")
                .isEqualTo("audit-time-hint to-read-as");

        type(By.name("from"), "2026-12-01 10:30");
        type(By.name("to"), "");
        click(By.cssSelector("main form button[type=submit]"));
        assertThat(waitForText(By.id("from-read-as"), "10:30"))
                .isEqualTo("Read 2026-12-01 10:30 as 2026-12-01T10:30:00+01:00 in your time zone, Europe/Berlin.");
        assertThat(browser.findElements(By.cssSelector("main .error"))).isEmpty();
    }

    /**
     * The secret's dialog, closed, gives the keyboard back to the button that opened it, or, for
     * a new token, to its page's heading: not to the top of the document.
     */
    @Test
    void closingTheSecretsDialogGivesTheKeyboardBackToWhatOpenedIt() {
        signIn("root", "root-password");
        openNewTokenForm();
        type(By.name("name"), "focus returns");
        type(By.name("user"), "admin");
        click(By.id("create"));
        createdSecret();
        waitForText(By.cssSelector("main h1"), "focus returns");
        click(By.id("close-dialog"));
        assertThat(browser.switchTo().activeElement().getText()).isEqualTo("focus returns");

        click(By.id("show-secret"));
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("secret")));
        click(By.id("close-dialog"));
        assertThat(browser.switchTo().activeElement().getAttribute("id")).isEqualTo("show-secret");

        click(By.id("rotate"));
        wait.until(ExpectedConditions.alertIsPresent()).accept();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("secret")));
        click(By.id("close-dialog"));
        assertThat(browser.switchTo().activeElement().getAttribute("id")).isEqualTo("rotate");
    }

    /**
     * An unbound token's snippet runs as the user name it sends: the API's default, the signed-in
     * user, is said beside the field and in the verdict, as is a name typed in.
     */
    @Test
    void anUnboundTokensSnippetSaysWhoItRunsAs() {
        CreatedToken token = gw.createToken(TokenSpec.unbound("runs as whom", "root"));
        signIn("root", "root-password");
        browser.get(gw.server.adminUri() + "/#/tokens/" + token.token().id().value());
        assertThat(waitForText(By.id("snippet-user-hint"), "root")).isEqualTo("Empty: you, root.");
        type(By.name("snippet-user"), "");
        click(By.id("show-snippet"));
        assertThat(waitForText(By.id("snippet-check"), "runs as")).contains("It runs as root, the user name it sends.");
        assertThat(waitForText(By.id("snippet"), "curl")).contains("root:");

        type(By.name("snippet-user"), "ansible");
        click(By.id("show-snippet"));
        assertThat(waitForText(By.id("snippet-check"), "runs as ansible"))
                .contains("It runs as ansible, the user name it sends.");
    }

    /** Deleting a token says so on the list it leads to, with the token's id and name. */
    @Test
    void deletingATokenSaysWhichWasDeleted() {
        CreatedToken token = gw.createToken(TokenSpec.bound("to be deleted", "admin", "root"));
        String id = token.token().id().value();
        signIn("root", "root-password");
        browser.get(gw.server.adminUri() + "/#/tokens/" + id);
        waitForText(By.id("token"), "active");
        click(By.xpath("//button[text()='Delete']"));
        wait.until(ExpectedConditions.alertIsPresent()).accept();
        assertThat(waitForText(By.id("tokens-notice"), "Deleted")).isEqualTo("Deleted " + id + " (to be deleted).");
        assertThat(gw.server.store().tokens().show(token.token().id())).isEmpty();

        browser.navigate().refresh();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("tokens")));
        assertThat(browser.findElements(By.id("tokens-notice"))).as("said once").isEmpty();
    }

    /**
     * A token that expired while its page was open: its snippet's verdict says every call with it
     * now gets 401, rather than that the call is allowed.
     */
    @Test
    void aSnippetOfATokenThatExpiredSinceThePageWasDrawnSaysSo() {
        signIn("root", "root-password");
        java.time.Instant expiry = java.time.Instant.now().plusSeconds(4);
        CreatedToken token =
                gw.createToken(TokenSpec.bound("expires soon", "root", "root").withExpiry(Expiry.at(expiry)));
        browser.get(gw.server.adminUri() + "/#/tokens/" + token.token().id().value());
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("show-snippet")));
        while (!java.time.Instant.now().isAfter(expiry.plusMillis(500))) {
            LockSupport.parkNanos(100_000_000L);
        }
        click(By.id("show-snippet"));
        assertThat(waitForText(By.id("snippet-check"), "expired"))
                .contains("The token is expired: every call with it gets 401.");
    }

    /**
     * A session that ends while a form is being filled in: signed in again as the same user, the
     * form is as it was, and sends; another user signing in gets a form of their own.
     */
    @Test
    void whatWasTypedSurvivesTheSessionEndingForTheSameUserOnly() {
        signIn("root", "root-password");
        openNewTokenForm();
        type(By.name("name"), "typed before the session ended");
        type(By.name("user"), "admin");
        browser.manage().deleteAllCookies();
        click(By.id("create"));
        assertThat(waitForText(By.id("sign-in"), "session has ended"))
                .contains("sign in again to go on where you were.");
        signInAgain("root", "root-password");
        assertThat(browser.findElement(By.name("name")).getAttribute("value"))
                .isEqualTo("typed before the session ended");
        click(By.id("create"));
        assertThat(createdSecret()).startsWith("tgk_");
        click(By.id("close-dialog"));

        click(By.id("account"));
        type(By.name("current-password"), "root-password");
        type(By.name("new-password"), "a-new-password");
        browser.manage().deleteAllCookies();
        click(By.id("change-password-button"));
        signInAgain("root", "root-password");
        assertThat(wait.until(ExpectedConditions.visibilityOfElementLocated(By.name("new-password")))
                        .getAttribute("value"))
                .as("no password kept")
                .isEmpty();
        assertThat(browser.findElement(By.name("current-password")).getAttribute("value"))
                .isEmpty();

        browser.manage().deleteAllCookies();
        ((JavascriptExecutor) browser).executeScript("location.hash = '#/audit'");
        signInAgain("root", "root-password");
        assertThat(waitForText(By.id("audit"), "LOGIN"))
                .as("a page being read is read anew")
                .contains("LOGIN");

        openNewTokenForm();
        type(By.name("name"), "not for alice");
        browser.manage().deleteAllCookies();
        click(By.id("create"));
        signInAgain("alice", "alice-password");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("new-token")));
        assertThat(browser.findElement(By.name("name")).getAttribute("value")).isEmpty();
        assertThat(browser.findElement(By.name("user")).getAttribute("value")).isEqualTo("alice");
    }

    /** Signs in on the form shown when a session ended. */
    private void signInAgain(String user, String password) {
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("sign-in")));
        type(By.name("user"), user);
        type(By.name("password"), password);
        click(By.cssSelector("#sign-in button[type=submit]"));
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("sign-out")));
    }

    /** How many pixels the page is wider than the window: it scrolls sideways when above zero. */
    private long overflow() {
        return (Long) ((JavascriptExecutor) browser)
                .executeScript("return document.documentElement.scrollWidth - document.documentElement.clientWidth");
    }

    /**
     * Saves the edit form and waits for the token page to be drawn again, which the UI does once
     * the API has answered: the change is then in force on the gateway. The store shows it a
     * moment earlier, before the gateway's cache has let go of the old token.
     */
    private void saveAndAwaitThePageShowingTheChange() {
        WebElement before = browser.findElement(By.id("token"));
        click(By.id("save"));
        wait.until(ExpectedConditions.stalenessOf(before));
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("token")));
    }

    private static String limitsOf(CreatedToken token) {
        return gw.server.store().tokens().show(token.token().id()).orElseThrow().limits();
    }

    private void signIn(String user, String password) {
        signIn(gw, user, password);
    }

    private void signIn(GatewayFixture at, String user, String password) {
        browser.get(at.server.adminUri() + "/");
        type(By.name("user"), user);
        type(By.name("password"), password);
        click(By.cssSelector("#sign-in button[type=submit]"));
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("sign-out")));
    }

    /**
     * Opens the new-token form and waits for it: the tokens page before it has inputs of the same
     * names (its filters), which a test typing at once could find and lose as the form replaces it.
     */
    private void openNewTokenForm() {
        click(By.linkText("New token"));
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("new-token")));
    }

    /** Each of these fields is marked wrong (aria-invalid), with what is wrong beneath it. */
    private void assertMarkedWithWhatIsWrong(String... names) {
        for (String wrong : names) {
            WebElement input = browser.findElement(By.name(wrong));
            assertThat(input.getAttribute("aria-invalid")).as(wrong).isEqualTo("true");
            assertThat(browser.findElement(By.id(input.getAttribute("aria-describedby")))
                            .getText())
                    .as("what is wrong, beneath %s", wrong)
                    .isNotBlank();
        }
    }

    private void click(By target) {
        wait.until(ExpectedConditions.elementToBeClickable(target)).click();
    }

    private void type(By target, String text) {
        WebElement input = wait.until(ExpectedConditions.visibilityOfElementLocated(target));
        input.clear();
        input.sendKeys(text);
    }

    /**
     * The secret the dialog shows once the new-token form's request succeeds; fails at once with
     * the form's error when the request fails instead (rather than waiting for a dialog that will
     * not come).
     */
    private String createdSecret() {
        WebElement shown = wait.until(driver -> {
            List<WebElement> errors = driver.findElements(By.cssSelector("#new-token .error"));
            if (!errors.isEmpty()) {
                throw new AssertionError(
                        "the token was not created: " + errors.get(0).getText());
            }
            return driver.findElements(By.id("secret")).stream()
                    .filter(WebElement::isDisplayed)
                    .findFirst()
                    .orElse(null);
        });
        return shown.getAttribute("value");
    }

    /** How many tokens the admin API lists. */
    private static long tokenCount(AdminClient root) {
        return root.get("/tokens").json().get("total").asLong();
    }

    /** The element's text once it contains {@code expected}. */
    /** The text of {@code target} once it contains {@code expected}, through the page's redrawing it. */
    private String waitForText(By target, String expected) {
        return wait.ignoring(StaleElementReferenceException.class).until(driver -> {
            String text = driver.findElement(target).getText();
            return text.contains(expected) ? text : null;
        });
    }
}
