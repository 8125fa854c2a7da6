import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.gruelbox.transactionoutbox.Dialect;
import com.gruelbox.transactionoutbox.Instantiator;
import com.gruelbox.transactionoutbox.Persistor;
import com.gruelbox.transactionoutbox.Submitter;
import com.gruelbox.transactionoutbox.ThreadLocalContextTransactionManager;
import com.gruelbox.transactionoutbox.TransactionManager;
import com.gruelbox.transactionoutbox.TransactionOutbox;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

/**
 * The benchmark's peer: the gruelbox transaction-outbox library doing what Tidings does, on the same
 * database and receiver, written as its README shows. A transaction writes the same event row as
 * Tidings' and schedules one call per subscriber (the webhook and the analytics backend, as in
 * Tidings' record phase); a drain posts signed webhooks to the receiver's {@code /peer/<n>} paths.
 * It runs in a JVM of its own because gruelbox needs {@code javax.validation} and Hibernate Validator
 * 6, which cannot share a class path with Quarkus. Prints {@code name = value} lines.
 *
 * <p>Arguments: jdbc-url receiver-base record-events warm-up-rounds rounds drain-warm-up drain threads;
 * or jdbc-url receiver-base {@code rounds}, to record one round for each line {@code record <events>
 * <per-transaction>} read from the standard input, printing {@code round_events_per_s = <rate>}
 * after each, so that its rounds interleave with Tidings' own.
 */
public final class GruelboxPeer {

    private static final int ENDPOINTS = 10;
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static final byte[] KEY = "bench-only-signing-key-of-32-bytes".getBytes(StandardCharsets.UTF_8);

    /** What a scheduled call runs: one signed webhook request, as Tidings sends it. */
    public interface Webhooks {
        void post(String url, String id, String body) throws Exception;
    }

    public static final class SignedWebhooks implements Webhooks {
        @Override
        public void post(String url, String id, String body) throws Exception {
            String timestamp = Long.toString(Instant.now().getEpochSecond());
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(KEY, "HmacSHA256"));
            String signature = Base64.getEncoder().encodeToString(
                    mac.doFinal((id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8)));
            HttpResponse<Void> response = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                    .header("content-type", "application/json").header("webhook-id", id)
                    .header("webhook-timestamp", timestamp).header("webhook-signature", "v1," + signature)
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.discarding());
            if (response.statusCode() / 100 != 2) {
                throw new IllegalStateException("receiver answered " + response.statusCode());
            }
        }
    }

    private final HikariDataSource dataSource;
    private final ThreadLocalContextTransactionManager transactions;
    private final String receiver;

    private GruelboxPeer(String jdbcUrl, String receiver, int poolSize) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setUsername("postgres");
        config.setMaximumPoolSize(poolSize);
        this.dataSource = new HikariDataSource(config);
        this.transactions = TransactionManager.fromDataSource(dataSource);
        this.receiver = receiver;
    }

    public static void main(String[] args) throws Exception {
        if (args[2].equals("rounds")) {
            GruelboxPeer peer = new GruelboxPeer(args[0], args[1], 8);
            try {
                peer.roundsFromInput();
            } finally {
                peer.dataSource.close();
            }
            return;
        }
        int recordEvents = Integer.parseInt(args[2]);
        int warmUpRounds = Integer.parseInt(args[3]);
        int rounds = Integer.parseInt(args[4]);
        int drainWarmUp = Integer.parseInt(args[5]);
        int drain = Integer.parseInt(args[6]);
        int threads = Integer.parseInt(args[7]);
        GruelboxPeer peer = new GruelboxPeer(args[0], args[1], threads + 4);
        try {
            if (recordEvents > 0) {
                peer.record(recordEvents, warmUpRounds, rounds);
            }
            if (drain > 0) {
                peer.drain(drainWarmUp, threads, "drain_first");
                peer.drain(drain, threads, "drain");
            }
        } finally {
            peer.dataSource.close();
        }
    }

    // Recording only: the submitter drops the calls it is handed after commit, so they stay in the
    // table (as Tidings' rows stay pending for its worker). A call is first due attemptFrequency (2
    // minutes) after it is scheduled, on this clock: a clock that is behind makes the calls due at once.
    private TransactionOutbox recorder(Clock clock) {
        return TransactionOutbox.builder().transactionManager(transactions).persistor(Persistor.forDialect(Dialect.POSTGRESQL_9))
                .instantiator(Instantiator.using(type -> new SignedWebhooks())).submitter((entry, run) -> { })
                .clockProvider(() -> clock).attemptFrequency(Duration.ofMinutes(2)).build();
    }

    private void record(int events, int warmUpRounds, int rounds) throws Exception {
        TransactionOutbox outbox = recorder(Clock.systemUTC());
        truncate();
        for (int perTransaction : new int[] { 1, 100 }) {
            List<Double> rates = new ArrayList<>();
            for (int round = 0; round < warmUpRounds + rounds; round++) {
                double rate = recordRound(outbox, events, perTransaction);
                if (round >= warmUpRounds) {
                    rates.add(rate);
                }
                truncate();
            }
            Collections.sort(rates);
            print(perTransaction == 1 ? "record_single_events_per_s" : "record_batch100_events_per_s", Math.round(rates.get(rates.size() / 2)));
        }
    }

    private void roundsFromInput() throws Exception {
        TransactionOutbox outbox = recorder(Clock.systemUTC());
        truncate();
        BufferedReader input = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = input.readLine(); line != null && line.startsWith("record "); line = input.readLine()) {
            String[] words = line.split(" ");
            double rate = recordRound(outbox, Integer.parseInt(words[1]), Integer.parseInt(words[2]));
            truncate();
            print("round_events_per_s", rate);
        }
    }

    /** Four threads, as Tidings' record phase. @return events per second */
    private double recordRound(TransactionOutbox outbox, int events, int perTransaction) throws Exception {
        int threads = 4;
        int operations = events / perTransaction;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> futures = new ArrayList<>();
        long started = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            int share = operations / threads + (t < operations % threads ? 1 : 0);
            futures.add(pool.submit(() -> {
                for (int i = 0; i < share; i++) {
                    transactions.inTransactionThrows(tx -> {
                        for (int e = 0; e < perTransaction; e++) {
                            recordOne(outbox, tx.connection());
                        }
                    });
                }
                return null;
            }));
        }
        try {
            for (Future<?> future : futures) {
                future.get();
            }
        } finally {
            pool.shutdownNow();
        }
        return events / ((System.nanoTime() - started) / 1e9);
    }

    private void recordOne(TransactionOutbox outbox, Connection connection) throws Exception {
        UUID id = UUID.randomUUID();
        UUID project = UUID.randomUUID();
        try (PreparedStatement event = connection.prepareStatement("INSERT INTO events (id, kind, type, occurred_at, "
                + "recorded_at, project_id, project_name, project_description) VALUES (?, 'project', 'project:created', ?, ?, ?, ?, ?)")) {
            Timestamp now = Timestamp.from(Instant.now());
            event.setObject(1, id);
            event.setTimestamp(2, now);
            event.setTimestamp(3, now);
            event.setObject(4, project);
            event.setString(5, "P");
            event.setString(6, "to the moon");
            event.executeUpdate();
        }
        Webhooks webhooks = outbox.schedule(Webhooks.class);
        webhooks.post(receiver + "/peer/0", id.toString(), "{\"project\":{\"id\":\"" + project + "\",\"name\":\"P\",\"description\":\"to the moon\"}}");
        webhooks.post(receiver + "/peer/analytics", id.toString(), "{\"project\":{\"id\":\"" + "0".repeat(64) + "\"}}");
    }

    // Prefilled by the recorder (due at once), then drained by an outbox whose flush hands every due
    // call to a pool of `threads`; each call holds a connection while it sends, as gruelbox does.
    private void drain(int rows, int threads, String name) throws Exception {
        TransactionOutbox recorder = recorder(Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-3))); // creates the table on a first run
        truncate();
        for (int done = 0; done < rows; done += 1000) {
            int batch = Math.min(1000, rows - done);
            int first = done;
            transactions.inTransactionThrows(tx -> {
                for (int i = 0; i < batch; i++) {
                    recorder.schedule(Webhooks.class).post(receiver + "/peer/" + ((first + i) % ENDPOINTS), UUID.randomUUID().toString(),
                            "{\"project\":{\"id\":\"" + "0".repeat(64) + "\"}}");
                }
            });
        }
        ExecutorService senders = Executors.newFixedThreadPool(threads);
        TransactionOutbox outbox = TransactionOutbox.builder().transactionManager(transactions)
                .persistor(Persistor.forDialect(Dialect.POSTGRESQL_9)).instantiator(Instantiator.using(type -> new SignedWebhooks()))
                .submitter(Submitter.withExecutor(senders)).flushBatchSize(4096).attemptFrequency(Duration.ofMinutes(2)).build();
        long started = System.nanoTime();
        while (outbox.flush()) {
            // hands out due calls until none is left
        }
        while (remaining() > 0) {
            Thread.sleep(20);
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        senders.shutdown();
        print(name + "_webhooks_per_s", Math.round(rows / seconds));
    }

    private long remaining() throws Exception {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
                ResultSet count = statement.executeQuery("SELECT count(*) FROM txno_outbox")) {
            count.next();
            return count.getLong(1);
        }
    }

    private void truncate() throws Exception {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("TRUNCATE txno_outbox");
        }
    }

    private static void print(String name, Object value) {
        System.out.println(name + " = " + value);
    }
}
