package io.scimitar.authz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Reloading: a valid new file is swapped in whole, an invalid one is refused, logged once, and the
 * old policy stays. Driven through {@link PolicyWatcher#reloadNow()}; the polling thread is checked
 * once, waiting on its listener rather than sleeping.
 */
class PolicyWatcherTest {

    private static final String V1 = """
            roles:
              admins: [platform-admins]
            routes:
              - path: /admin/**
                allow: [admins]
            """;
    private static final String V2 = V1 + """
              - path: /healthz
                public: true
            """;
    private static final String BROKEN = V1 + """
              - path: /api/**
                allow: [engineers]
            """;

    @TempDir
    Path dir;
    private Path file;
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger(PolicyWatcher.class);
    private Level level;

    @BeforeEach
    void setUp() throws Exception {
        file = dir.resolve("policy.yaml");
        Files.writeString(file, V1);
        log.start();
        logger.addAppender(log);
        level = logger.getLevel();
        logger.setLevel(Level.INFO); // whatever SCIMITAR_LOG_LEVEL says, the test reads the info lines

    }

    @AfterEach
    void tearDown() {
        logger.detachAppender(log);
        logger.setLevel(level);
    }

    @Test
    void loadsAtStartAndReportsNoChangeWhenTheFileIsTheSame() {
        try (PolicyWatcher watcher = new PolicyWatcher(file, new PolicyLoader())) {
            Policy first = watcher.current();

            assertThat(first.routes()).extracting(Route::pattern).containsExactly("/admin/**");
            assertThat(watcher.reloadNow()).isEqualTo(new PolicyWatcher.Reload.Unchanged(first));
            assertThat(watcher.current()).isSameAs(first);
            assertThat(events()).containsExactly("policy_loaded");
        }
    }

    @Test
    void swapsInAValidNewVersion() throws Exception {
        try (PolicyWatcher watcher = new PolicyWatcher(file, new PolicyLoader())) {
            Policy before = watcher.current();
            BlockingQueue<Policy> notified = new LinkedBlockingQueue<>();
            watcher.addListener(notified::add);

            Files.writeString(file, V2);
            PolicyWatcher.Reload reload = watcher.reloadNow();

            assertThat(reload).isInstanceOfSatisfying(PolicyWatcher.Reload.Reloaded.class, r -> {
                assertThat(r.previous()).isSameAs(before);
                assertThat(r.policy()).isSameAs(watcher.current());
            });
            assertThat(watcher.current().match("GET", "/healthz")).isPresent();
            assertThat(before.match("GET", "/healthz")).isEmpty(); // the old value is untouched
            assertThat(notified).containsExactly(watcher.current());
            assertThat(events()).containsExactly("policy_loaded", "policy_reloaded");
            assertThat(keyValues(log.list.getLast())).containsEntry("digest", watcher.current().shortDigest())
                    .containsEntry("previous_digest", before.shortDigest()).containsEntry("routes", 2);
        }
    }

    @Test
    void refusesAnInvalidVersionKeepsTheOldAndReportsItOnce() throws Exception {
        try (PolicyWatcher watcher = new PolicyWatcher(file, new PolicyLoader())) {
            Policy before = watcher.current();
            BlockingQueue<Policy> notified = new LinkedBlockingQueue<>();
            watcher.addListener(notified::add);

            Files.writeString(file, BROKEN);
            PolicyWatcher.Reload reload = watcher.reloadNow();

            String expected = file + ":7: route 2: unknown role \"engineers\" in allow; expected one of: admins";
            assertThat(reload).isInstanceOfSatisfying(PolicyWatcher.Reload.Rejected.class, r -> {
                assertThat(r.policy()).isSameAs(before);
                assertThat(r.error()).hasMessage(expected);
            });
            assertThat(watcher.current()).isSameAs(before);
            assertThat(notified).isEmpty();
            ILoggingEvent warning = log.list.getLast();
            assertThat(warning.getLevel()).isEqualTo(Level.WARN);
            assertThat(keyValues(warning)).containsEntry("event", "policy_rejected")
                    .containsEntry("file", file.toString()).containsEntry("errors", expected)
                    .containsEntry("digest", before.shortDigest());

            // The next poll finds the same broken file: nothing new, nothing logged again.
            assertThat(watcher.reloadNow()).isEqualTo(new PolicyWatcher.Reload.Unchanged(before));
            assertThat(events()).containsExactly("policy_loaded", "policy_rejected");

            // Fixed: the new version goes in.
            Files.writeString(file, V2);
            assertThat(watcher.reloadNow()).isInstanceOf(PolicyWatcher.Reload.Reloaded.class);
            assertThat(watcher.current().routes()).hasSize(2);
            assertThat(events()).containsExactly("policy_loaded", "policy_rejected", "policy_reloaded");
        }
    }

    @Test
    void keepsThePolicyWhenTheFileDisappears() throws Exception {
        try (PolicyWatcher watcher = new PolicyWatcher(file, new PolicyLoader())) {
            Policy before = watcher.current();
            Files.delete(file);

            assertThat(watcher.reloadNow()).isInstanceOfSatisfying(PolicyWatcher.Reload.Rejected.class,
                    r -> assertThat(r.error()).hasMessage(file + ": cannot read the policy file: no such file"));
            assertThat(watcher.reloadNow()).isInstanceOf(PolicyWatcher.Reload.Unchanged.class);
            assertThat(watcher.current()).isSameAs(before);
            assertThat(events()).containsExactly("policy_loaded", "policy_rejected");

            Files.writeString(file, V1); // back as it was: the policy in force, nothing to reload
            assertThat(watcher.reloadNow()).isEqualTo(new PolicyWatcher.Reload.Unchanged(before));
        }
    }

    @Test
    void refusesToStartWithAnInvalidPolicy() throws Exception {
        Files.writeString(file, BROKEN);

        assertThatThrownBy(() -> new PolicyWatcher(file, new PolicyLoader()))
                .isInstanceOf(PolicyException.class)
                .hasMessage(file + ":7: route 2: unknown role \"engineers\" in allow; expected one of: admins");
    }

    @Test
    void aFailingListenerDoesNotStopTheReload() throws Exception {
        try (PolicyWatcher watcher = new PolicyWatcher(file, new PolicyLoader())) {
            BlockingQueue<Policy> notified = new LinkedBlockingQueue<>();
            watcher.addListener(policy -> {
                throw new IllegalStateException("listener bug");
            });
            watcher.addListener(notified::add);

            Files.writeString(file, V2);

            assertThat(watcher.reloadNow()).isInstanceOf(PolicyWatcher.Reload.Reloaded.class);
            assertThat(notified).containsExactly(watcher.current());
            assertThat(events()).containsExactly("policy_loaded", "policy_reloaded", "policy_listener_failed");
        }
    }

    /** The polling thread finds a file replaced by an atomic rename, as editors and volume mounts do. */
    @Test
    void pollsTheFileOnItsOwnThread() throws Exception {
        try (PolicyWatcher watcher = new PolicyWatcher(file, new PolicyLoader())) {
            BlockingQueue<Policy> notified = new LinkedBlockingQueue<>();
            BlockingQueue<String> threads = new LinkedBlockingQueue<>();
            watcher.addListener(policy -> {
                threads.add(Thread.currentThread().getName());
                notified.add(policy);
            });
            watcher.start(Duration.ofMillis(10));
            assertThatThrownBy(() -> watcher.start(Duration.ofMillis(10))).isInstanceOf(IllegalStateException.class);

            Path next = dir.resolve("policy.yaml.tmp");
            Files.writeString(next, V2);
            Files.move(next, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);

            Policy reloaded = notified.poll(10, TimeUnit.SECONDS);
            assertThat(reloaded).isNotNull();
            assertThat(reloaded.routes()).hasSize(2);
            assertThat(watcher.current()).isSameAs(reloaded);
            assertThat(threads.poll()).isEqualTo("scimitar-policy-watcher");
        }
    }

    private List<String> events() {
        return log.list.stream().map(e -> String.valueOf(keyValues(e).get("event"))).toList();
    }

    private static Map<String, Object> keyValues(ILoggingEvent event) {
        return event.getKeyValuePairs() == null ? Map.of() : event.getKeyValuePairs().stream()
                .collect(Collectors.toMap(kv -> kv.key, kv -> kv.value));
    }
}
