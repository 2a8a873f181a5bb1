package io.tokengate.server.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokengate.core.TokengateException;
import io.tokengate.server.config.ConfigException;
import io.tokengate.server.config.ConfigLoader;
import io.tokengate.server.config.Settings;
import io.tokengate.server.config.TlsKeystore;
import io.tokengate.server.config.TokengateConfig;
import io.tokengate.server.users.ServiceAccountCheck;
import io.tokengate.store.Database;
import io.tokengate.store.DatabaseHeldException;
import io.tokengate.store.KeyCheck;
import io.tokengate.store.KeyFile;
import io.tokengate.store.TokenInventory;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tokengate config check}: every configuration problem at once, before a start finds them one by one. */
@Command(
        name = "config",
        description = "Configuration commands.",
        subcommands = ConfigCommand.Check.class,
        mixinStandardHelpOptions = true)
final class ConfigCommand {

    @Command(
            name = "check",
            description = {
                "Check the configuration of a home directory: settings, key file, database and upstream reachability.",
                "Reports every problem at once. Changes nothing."
            },
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:no problems (warnings may be printed)", "2:problems found", "64:invalid command line"},
            mixinStandardHelpOptions = true)
    static final class Check implements Callable<Integer> {
        /** A certificate expiring this soon is worth a warning. */
        private static final Duration CERTIFICATE_NOTICE = Duration.ofDays(30);

        @Spec
        private CommandSpec spec;

        @Mixin
        private HomeOptions home;

        @Option(names = "--json", description = "Print the result as JSON.")
        private boolean json;

        @Option(names = "--offline", description = "Do not try to reach the database or the upstream.")
        private boolean offline;

        @Mixin
        private ServeOptions serving;

        @Override
        public Integer call() throws IOException {
            List<String> problems = new ArrayList<>();
            List<String> warnings = new ArrayList<>();
            Shell shell = Shell.of(spec);
            Path dir = home.home(shell);
            if (!Files.isDirectory(dir)) {
                warnings.add("home directory " + dir.toAbsolutePath() + " does not exist yet (created on first start)");
            }
            TokengateConfig config = null;
            try {
                config = home.load(shell, serving.flags(), true);
            } catch (ConfigException e) {
                problems.addAll(e.problems());
            }
            checkPropertiesFile(dir.resolve(ConfigLoader.FILE_NAME), warnings);
            warnings.addAll(Settings.unknownVariables(shell.environment()));
            if (config != null) {
                boolean keyFileReadable = checkKeyFile(config, problems);
                boolean keyNeeded = !offline && checkDatabase(config, keyFileReadable, problems, warnings);
                if (!Files.exists(config.store().keyFilePath()) && !keyNeeded) {
                    warnings.add("key file " + config.store().keyFilePath()
                            + " does not exist yet: it is created on first start;"
                            + " in a cluster, copy one key file to every node instead");
                }
                if (!offline) {
                    checkUpstream(config, problems, warnings);
                }
                checkUpstreamPath(config, warnings);
                checkExposure(config, warnings);
            }
            print(problems, warnings);
            return problems.isEmpty() ? 0 : 2;
        }

        private static void checkPropertiesFile(Path file, List<String> warnings) throws IOException {
            if (!Files.isRegularFile(file)) {
                return;
            }
            if (Files.getFileStore(file).supportsFileAttributeView("posix")) {
                Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
                if (permissions.contains(PosixFilePermission.OTHERS_READ)) {
                    warnings.add(file + " is readable by every user of this machine; it may hold passwords"
                            + " (chmod 600 it)");
                }
            }
            settingsSetTwice(Files.readAllLines(file, StandardCharsets.ISO_8859_1))
                    .forEach((key, lines) -> warnings.add(file.getFileName() + " sets " + key + " on lines "
                            + lines.stream().map(String::valueOf).collect(Collectors.joining(", "))
                            + ": only the last one counts"));
        }

        /**
         * The keys a properties file sets more than once, with the (1-based) lines that set them: a
         * value added at the end of the file overrides one above it without a word.
         */
        static Map<String, List<Integer>> settingsSetTwice(List<String> lines) {
            Map<String, List<Integer>> lineNumbers = new LinkedHashMap<>();
            boolean continued = false;
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i).stripLeading();
                boolean continuation = continued;
                continued = endsWithOddBackslashes(line);
                if (continuation || line.isEmpty() || line.startsWith("#") || line.startsWith("!")) {
                    continue;
                }
                Matcher key = PROPERTY_KEY.matcher(line);
                if (key.lookingAt()) {
                    lineNumbers
                            .computeIfAbsent(key.group(), k -> new ArrayList<>())
                            .add(i + 1);
                }
            }
            lineNumbers.values().removeIf(numbers -> numbers.size() < 2);
            return lineNumbers;
        }

        /** A key up to its separator ('=', ':' or white space); escaped separators are rare in settings. */
        private static final Pattern PROPERTY_KEY = Pattern.compile("[^=:\\s]+");

        private static boolean endsWithOddBackslashes(String line) {
            int backslashes = 0;
            for (int i = line.length() - 1; i >= 0 && line.charAt(i) == '\\'; i--) {
                backslashes++;
            }
            return backslashes % 2 == 1;
        }

        /** @return whether the key file is absent or reads well: then the database can be checked against it */
        private static boolean checkKeyFile(TokengateConfig config, List<String> problems) {
            Path key = config.store().keyFilePath();
            if (!Files.exists(key)) {
                return true;
            }
            try {
                KeyFile.load(key);
                return true;
            } catch (TokengateException e) {
                problems.add(e.getMessage());
                return false;
            }
        }

        /**
         * Whether the database answers, takes the key file a start would take (the same check,
         * without recording a key in a new database), and holds no tokens that would be refused.
         * An embedded database that does not exist yet is left for the first start to make.
         *
         * @return whether the database refused the key file, or needs the one that is missing
         */
        private static boolean checkDatabase(
                TokengateConfig config, boolean keyFileReadable, List<String> problems, List<String> warnings) {
            if (config.store().dbUrl() == null && !Database.embeddedExists(config.home())) {
                warnings.add("database " + Database.embeddedDirectory(config.home())
                        + " does not exist yet: it is created on first start");
                return false;
            }
            boolean keyRefused = false;
            try (Database db = Database.open(config.store())) {
                db.requireAnswer(Duration.ofSeconds(5));
                if (keyFileReadable) {
                    Optional<String> mismatch =
                            KeyCheck.mismatch(db, config.store().keyFilePath());
                    mismatch.ifPresent(problems::add);
                    keyRefused = mismatch.isPresent();
                }
                checkTokens(db, warnings);
            } catch (DatabaseHeldException e) {
                // The server serving this home: checking a change to the settings before its
                // restart is what config check is for, so this is not a problem of the settings.
                warnings.add("database " + Database.embeddedDirectory(config.home()) + " not checked: the server"
                        + " running on this home holds it (one process at a time); the settings were checked, and"
                        + " a start checks the database");
            } catch (TokengateException e) {
                problems.add("database: " + e.getMessage());
            }
            return keyRefused;
        }

        /** Tokens whose limits an earlier version saved and this one refuses: before anyone's calls fail. */
        private static void checkTokens(Database db, List<String> warnings) {
            List<TokenInventory.Unusable> unusable;
            try {
                unusable = TokenInventory.withLimitsThatNoLongerParse(db, Instant.now());
            } catch (TokengateException e) {
                return; // no tokens yet: the schema is made at the first start
            }
            for (TokenInventory.Unusable token : unusable) {
                warnings.add("token " + token.id() + " (" + token.name() + ") is refused at every use: its limits"
                        + " no longer parse (" + token.problem() + "); edit them (in secure mode, revoke the token and"
                        + " make another)");
            }
        }

        private static void checkUpstream(TokengateConfig config, List<String> problems, List<String> warnings) {
            URI upstream = config.upstream().orElseThrow();
            HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
            config.upstreamTrust().ifPresent(trust -> builder.sslContext(trust.sslContext()));
            HttpClient client = builder.build();
            URI serverInfo = URI.create(withoutTrailingSlash(upstream.toString()) + SERVER_INFO);
            try {
                HttpResponse<Void> answer = client.send(
                        HttpRequest.newBuilder(serverInfo)
                                .timeout(Duration.ofSeconds(10))
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.discarding());
                if (answer.statusCode() == 404) {
                    warnings.add("upstream " + upstream + " answers 404 to " + SERVER_INFO + ", which every Jira"
                            + " answers: is upstream.url Jira's base URL, with its context path if it has one"
                            + " (http://host:8080/jira)?");
                }
            } catch (IOException e) {
                problems.add("upstream " + upstream + " cannot be reached: " + unreachable(e));
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                problems.add("upstream check interrupted");
                return;
            }
            ServiceAccountCheck.check(upstream, config.upstreamTrust(), config.identity(), Duration.ofSeconds(10))
                    .ifPresent(finding -> (finding.problem() ? problems : warnings).add(finding.message()));
        }

        /** What Jira answers without credentials: its version and base URL. */
        private static final String SERVER_INFO = "/rest/api/2/serverInfo";

        /** Why {@link #checkUpstream}'s client reached nothing, in words. */
        static String unreachable(IOException e) {
            return Unreachable.why(
                    e,
                    Duration.ofSeconds(5),
                    Duration.ofSeconds(10),
                    "if Jira's certificate is not signed by a public CA, set upstream.tls.ca");
        }

        /** upstream.url is Jira's base URL: a request's path is appended to it, /rest/... included. */
        private static void checkUpstreamPath(TokengateConfig config, List<String> warnings) {
            config.upstream().ifPresent(upstream -> {
                String path = upstream.getPath() == null ? "" : upstream.getPath();
                if (path.equals("/rest") || path.startsWith("/rest/") || path.contains("/rest/api/")) {
                    warnings.add("upstream.url " + upstream + " has a REST path: it should be Jira's base URL,"
                            + " since each request's own path (/rest/api/2/...) is appended to it");
                }
            });
        }

        private static String withoutTrailingSlash(String url) {
            return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        }

        private static void checkExposure(TokengateConfig config, List<String> warnings) {
            if (config.publicUrl().isEmpty()) {
                warnings.add("gateway.public.url is not set: restrictions will match " + config.publicUrlOrListening()
                        + "/…; set it to the URL clients use");
            } else if (config.gatewayTls().isEmpty()
                    && config.publicUrl().get().startsWith("http://")
                    && !config.publicUrl().get().contains("localhost")
                    && !config.publicUrl().get().contains("127.0.0.1")) {
                warnings.add("gateway.public.url is plain http: tokens would cross the network in clear text;"
                        + " put a TLS terminator in front and use https, or set gateway.tls.keystore");
            }
            checkTls(
                    config.gatewayTls(),
                    "gateway.public.url",
                    config.publicUrl().map(URI::create),
                    "restrictions match the URLs clients use",
                    warnings);
            if (!config.adminHost().equals("127.0.0.1")
                    && !config.adminHost().equals("localhost")
                    && !config.adminHost().equals("::1")) {
                warnings.add("admin.host is " + config.adminHost() + ": the admin plane is reachable from the network"
                        + (config.adminTls().isPresent()
                                ? ""
                                : "; passwords cross it in clear text unless TLS ends in front of it or"
                                        + " admin.tls.keystore is set"));
                warnings.add("the admin plane answers only to " + config.admin().describeNames()
                        + ": reaching it by another name, or through a proxy that passes a Host of its own"
                        + " (nginx's proxy_pass http://NAME), needs that name in admin.allowed.hosts");
            }
            checkTls(
                    config.adminTls(),
                    "admin.public.url",
                    config.admin().publicUrl(),
                    "the session cookie is Secure only then",
                    warnings);
        }

        /**
         * What a client would make of a plane's certificate, when it has one: whether {@code
         * publicUrl} (if set) is {@code https://} and the certificate names its host, and how soon
         * the certificate expires.
         *
         * @param why why the URL should be {@code https://}
         */
        private static void checkTls(
                Optional<TlsKeystore> keystore,
                String urlSetting,
                Optional<URI> publicUrl,
                String why,
                List<String> warnings) {
            if (keystore.isEmpty()) {
                return;
            }
            TlsKeystore tls = keystore.get();
            publicUrl.ifPresent(url -> {
                if (!"https".equals(url.getScheme())) {
                    warnings.add(tls.setting() + " is set but " + urlSetting + " is " + url + ": " + why
                            + ", so make it https://…");
                } else if (!tls.names(url.getHost())) {
                    warnings.add("the certificate in " + tls.setting() + " does not name " + url.getHost()
                            + " (it names " + String.join(", ", tls.names()) + "): clients will refuse it, and"
                            + " requests naming that host get 400");
                }
            });
            Instant expires = tls.expires();
            if (expires.isBefore(Instant.now().plus(CERTIFICATE_NOTICE))) {
                warnings.add("the certificate in " + tls.setting() + " expires " + expires
                        + ": renew it (the new one is served without a restart)");
            }
        }

        private void print(List<String> problems, List<String> warnings) throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                ObjectMapper mapper = new ObjectMapper();
                ObjectNode result = mapper.createObjectNode().put("ok", problems.isEmpty());
                problems.forEach(result.putArray("problems")::add);
                warnings.forEach(result.putArray("warnings")::add);
                out.println(mapper.writeValueAsString(result));
            } else {
                problems.forEach(p -> out.println("problem: " + p));
                warnings.forEach(w -> out.println("warning: " + w));
                out.println(
                        problems.isEmpty()
                                ? "configuration OK"
                                        + (warnings.isEmpty()
                                                ? ""
                                                : " (" + warnings.size()
                                                        + (warnings.size() == 1 ? " warning)" : " warnings)"))
                                : problems.size() + " problem" + (problems.size() == 1 ? "" : "s") + " found");
            }
            out.flush();
        }
    }
}
