import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.regex.Pattern;

/**
 * Fills Scimitar's embedded SCIM receiver for the load benchmark over plain SCIM 2.0 POSTs (JDK
 * only): the benchmark user, {@code USERS} other users, the group "engineers" (the benchmark user
 * and 50 others) and {@code GROUPS} groups "group-001"… of 30 members each, the benchmark user in 7
 * of them. Run with {@code java Provision.java SCIM_BASE_URL SCIM_TOKEN EMAIL USERS GROUPS}.
 */
public class Provision {
    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"");
    private static final int IN_FLIGHT = 8;

    public static void main(String[] args) throws Exception {
        if (args.length != 5) {
            System.err.println("usage: java Provision.java SCIM_BASE_URL SCIM_TOKEN EMAIL USERS GROUPS");
            System.exit(2);
        }
        String base = args[0], token = args[1], email = args[2];
        int users = Integer.parseInt(args[3]), groups = Integer.parseInt(args[4]);
        var client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        var gate = new Semaphore(IN_FLIGHT);
        long start = System.nanoTime();

        String benchId = post(client, base, token, "Users", user(email)).join();
        var ids = new ArrayList<CompletableFuture<String>>();
        for (int i = 0; i < users; i++) {
            gate.acquire();
            ids.add(post(client, base, token, "Users", user(String.format("user%05d@example.com", i)))
                    .whenComplete((id, e) -> gate.release()));
        }
        List<String> others = ids.stream().map(CompletableFuture::join).toList();

        var members = new ArrayList<String>(List.of(benchId));
        for (int j = 0; j < 50; j++) {
            members.add(others.get((j * 37) % others.size()));
        }
        post(client, base, token, "Groups", group("engineers", members)).join();
        var created = new ArrayList<CompletableFuture<String>>();
        for (int g = 1; g <= groups; g++) {
            var m = new ArrayList<String>();
            for (int j = 0; j < 30; j++) {
                m.add(others.get((g * 101 + j * 13) % others.size()));
            }
            if (g % (Math.max(1, groups / 7)) == 0 && g / Math.max(1, groups / 7) <= 7) {
                m.add(benchId);
            }
            gate.acquire();
            created.add(post(client, base, token, "Groups", group(String.format("group-%03d", g), m))
                    .whenComplete((id, e) -> gate.release()));
        }
        created.forEach(CompletableFuture::join);
        System.out.printf("provisioned %d users and %d groups in %.1f s%n",
                users + 1, groups + 1, (System.nanoTime() - start) / 1e9);
    }

    private static String user(String userName) {
        return "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],\"userName\":\"" + userName
                + "\",\"active\":true,\"emails\":[{\"value\":\"" + userName + "\",\"primary\":true}]}";
    }

    private static String group(String name, List<String> memberIds) {
        var sb = new StringBuilder("{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:Group\"],\"displayName\":\"")
                .append(name).append("\",\"members\":[");
        for (int i = 0; i < memberIds.size(); i++) {
            sb.append(i == 0 ? "" : ",").append("{\"value\":\"").append(memberIds.get(i)).append("\"}");
        }
        return sb.append("]}").toString();
    }

    private static CompletableFuture<String> post(HttpClient client, String base, String token, String type, String body) {
        var request = HttpRequest.newBuilder(URI.create(base + "/" + type))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/scim+json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        return client.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenApply(response -> {
            if (response.statusCode() != 201) {
                throw new IllegalStateException("POST /" + type + " answered " + response.statusCode() + ": " + response.body());
            }
            var m = ID.matcher(response.body());
            if (!m.find()) {
                throw new IllegalStateException("POST /" + type + " answered no id: " + response.body());
            }
            return m.group(1);
        });
    }
}
