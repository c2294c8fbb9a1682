package io.scimitar.cli;

import io.scimitar.config.FeedConfig;
import io.scimitar.config.ScimConfig;
import io.scimitar.config.ScimitarConfig;
import io.scimitar.config.Secret;
import io.scimitar.config.StoreLocation;
import io.scimitar.index.DirectoryIndex;
import io.scimitar.index.UserKey;
import io.scimitar.scim.feed.Feed;
import io.scimitar.scim.feed.FeedSettings;
import io.scimitar.scim.http.BearerTokens;
import io.scimitar.scim.http.ScimServer;
import io.scimitar.scim.http.ScimServerSettings;
import io.scimitar.scim.service.DirectoryService;
import io.scimitar.scim.service.DirectorySettings;
import io.scimitar.scim.store.ChangeLogRetention;
import io.scimitar.scim.store.DirectoryView;
import io.scimitar.scim.store.JdbcStore;
import io.scimitar.scim.store.PostgresSettings;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Wires the SCIM receiver: the store, the directory service over it, and the HTTP server in front,
 * from a validated configuration. The only place that knows how the three fit together.
 */
public final class ReceiverLauncher {

    /** How often a token file is re-read, so a rotated token is accepted within this time. */
    static final Duration TOKEN_FILE_RECHECK = Duration.ofSeconds(10);

    private final DirectoryOpener directories;

    public ReceiverLauncher(DirectoryOpener directories) {
        this.directories = Objects.requireNonNull(directories, "directories");
    }

    /**
     * Opens (creating if needed) the store the configuration names, loads the in-memory view that
     * follows it, and puts the directory service over both.
     */
    public static OpenDirectory openJdbc(ScimitarConfig config) {
        boolean unique = config.scim().groupDisplayNameUnique();
        JdbcStore store = switch (config.store()) {
            case StoreLocation.Sqlite sqlite -> JdbcStore.openSqlite(sqlite.file(), unique, Clock.systemUTC());
            case StoreLocation.Postgres postgres -> JdbcStore.openPostgres(postgresSettings(postgres), unique,
                    Clock.systemUTC());
        };
        DirectoryView view;
        try {
            view = DirectoryView.follow(store);
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        DirectoryService service = new DirectoryService(store, view,
                new DirectorySettings(unique, config.scim().maxResults()));
        ChangeLogRetention retention = ChangeLogRetention.start(store, config.changeLogRetention(), Clock.systemUTC());
        return new JdbcDirectory(service, store, view, retention);
    }

    /** A password file is handed to the store, which reads it again for new connections (rotation). */
    private static PostgresSettings postgresSettings(StoreLocation.Postgres postgres) {
        return postgres.passwordFile()
                .map(file -> PostgresSettings.of(postgres.jdbcUrl(), postgres.user(), Optional.empty())
                        .withPasswordFile(file))
                .orElseGet(() -> PostgresSettings.of(postgres.jdbcUrl(), postgres.user(),
                        postgres.password().map(Secret::reveal)));
    }

    /**
     * The directory over a JDBC store; closing stops the compaction and the view following the store,
     * then closes the store.
     */
    private record JdbcDirectory(DirectoryService service, JdbcStore store, DirectoryView view,
            ChangeLogRetention retention) implements OpenDirectory {
        @Override
        public long version() {
            return store.changeLog().currentVersion();
        }

        @Override
        public DirectoryIndex followIndex(UserKey userKey) {
            return DirectoryIndex.follow(store, view, userKey);
        }

        @Override
        public Feed openFeed(FeedSettings settings) {
            return Feed.on(settings, store);
        }

        @Override
        public void close() {
            try {
                retention.close();
                view.close();
            } finally {
                store.close();
            }
        }
    }

    /**
     * Opens the directory and starts the server, with the feed on its port when a feed token is
     * configured (404 under {@code /feed} otherwise); returns once it accepts requests.
     *
     * @param extraTokens tokens accepted besides the configured ones (the demo's generated token)
     */
    public RunningReceiver start(ScimitarConfig config, List<Secret> extraTokens) {
        ScimConfig scim = config.scim();
        ScimServerSettings.Builder settings = ScimServerSettings.builder(bearerTokens(scim, extraTokens))
                .host(scim.listen().host())
                .port(scim.listen().port())
                .maxBodyBytes(scim.maxBodyBytes())
                .maxResults(scim.maxResults());
        scim.baseUrl().ifPresent(settings::publicBaseUrl);
        ScimServerSettings built = settings.build();
        OpenDirectory directory = directories.open(config);
        try {
            Feed feed = config.feed().enabled()
                    ? directory.openFeed(FeedSettings.builder(feedTokens(config.feed())).build())
                    : Feed.off();
            ScimServer server = new ScimServer(built, directory.service(), feed).start();
            return new RunningReceiver(server, directory, scim.listen(), config.store(), config.feed().enabled());
        } catch (RuntimeException e) {
            directory.close();
            throw e;
        }
    }

    /** The configured token, the token file (re-read for rotation) and the extra tokens, all accepted. */
    static BearerTokens bearerTokens(ScimConfig scim, List<Secret> extraTokens) {
        return tokens(scim.token(), scim.tokenFile(), extraTokens);
    }

    /** The feed's own tokens: the configured one and the token file (re-read for rotation). */
    static BearerTokens feedTokens(FeedConfig feed) {
        return tokens(feed.token(), feed.tokenFile(), List.of());
    }

    private static BearerTokens tokens(Optional<Secret> token, Optional<Path> tokenFile, List<Secret> extraTokens) {
        List<String> fixed = new ArrayList<>();
        token.map(Secret::reveal).ifPresent(fixed::add);
        extraTokens.stream().map(Secret::reveal).forEach(fixed::add);
        if (tokenFile.isPresent()) {
            return BearerTokens.fromFile(tokenFile.get(), TOKEN_FILE_RECHECK, fixed);
        }
        return BearerTokens.of(fixed.toArray(String[]::new));
    }
}
