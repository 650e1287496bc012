package io.thermocline.playground.security;

import io.thermocline.client.api.Admin;
import io.thermocline.client.api.Connection;
import io.thermocline.client.api.ConnectionFactory;
import io.thermocline.common.config.Configuration;
import io.thermocline.common.security.AclBinding;
import io.thermocline.rpc.security.ScramCredential;
import io.thermocline.server.config.ServerOptions;
import io.thermocline.server.zk.ZooKeeperMetadataStore;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code thermocline users} and {@code thermocline acls}: manage SASL users and access control
 * entries through the admin API (as a super user), or create the first users straight in
 * ZooKeeper ({@code users add NAME --zookeeper HOST:PORT}) before any server can authenticate.
 * Passwords are read from standard input, never from the command line.
 *
 * <pre>
 * users add|delete NAME | users list                      [client options]
 * users add NAME --zookeeper HOST:PORT [--zookeeper-root /thermocline]
 * acls add|remove (allow|deny) PRINCIPAL OPERATION (cluster | database DB | table DB.TABLE) | acls list
 * client options: --bootstrap-servers HOST:PORT, --conf KEY=VALUE (security.protocol, security.sasl.*, ...)
 * </pre>
 */
public final class SecurityCommand {
    private SecurityCommand() {}

    public static void main(String[] args) throws Exception {
        List<String> words = new ArrayList<>();
        Map<String, String> conf = new HashMap<>();
        conf.put("bootstrap.servers", "127.0.0.1:9190");
        String zookeeper = null;
        String root = ServerOptions.ZOOKEEPER_ROOT.defaultValue();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--bootstrap-servers" -> conf.put("bootstrap.servers", value(args, ++i));
                case "--zookeeper" -> zookeeper = value(args, ++i);
                case "--zookeeper-root" -> root = value(args, ++i);
                case "--conf" -> {
                    String pair = value(args, ++i);
                    int eq = pair.indexOf('=');
                    if (eq <= 0) {
                        usage("--conf takes KEY=VALUE, got " + pair);
                    }
                    conf.put(pair.substring(0, eq), pair.substring(eq + 1));
                }
                default -> words.add(args[i]);
            }
        }
        if (words.size() < 2) {
            usage("say what to do");
        }
        try {
            if (zookeeper != null) {
                bootstrapUser(words, zookeeper, root, System.out);
                return;
            }
            try (Connection connection = ConnectionFactory.create(new Configuration(conf))) {
                run(words, connection.admin(), System.out);
            }
        } catch (IllegalArgumentException e) {
            usage(e.getMessage());
        } catch (Exception e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            System.err.println("thermocline: " + cause.getMessage());
            System.exit(1);
        }
    }

    static void run(List<String> words, Admin admin, PrintStream out) throws Exception {
        String what = words.get(0) + " " + words.get(1);
        switch (what) {
            case "users list" -> admin.listUsers().get().forEach(out::println);
            case "users add" -> {
                String user = arg(words, 2, "a user name");
                admin.createOrUpdateUser(user, password(user)).get();
                out.println("User " + user + " is set.");
            }
            case "users delete" -> {
                String user = arg(words, 2, "a user name");
                out.println(admin.dropUser(user).get() ? "User " + user + " is deleted." : "No user " + user + ".");
            }
            case "acls list" -> admin.listAcls().get().forEach(acl -> out.println(acl));
            case "acls add" -> {
                AclBinding acl = acl(words.subList(2, words.size()));
                admin.createAcls(List.of(acl)).get();
                out.println("Added: " + acl);
            }
            case "acls remove" -> {
                AclBinding acl = acl(words.subList(2, words.size()));
                out.println(admin.deleteAcls(List.of(acl)).get() > 0 ? "Removed: " + acl : "No such entry: " + acl);
            }
            default -> throw new IllegalArgumentException("unknown command '" + what + "'");
        }
    }

    /** {@code (allow|deny) PRINCIPAL OPERATION (cluster | database DB | table DB.TABLE)}. */
    static AclBinding acl(List<String> words) {
        if (words.size() < 4) {
            throw new IllegalArgumentException("an ACL is (allow|deny) PRINCIPAL OPERATION (cluster | database DB |"
                    + " table DB.TABLE)");
        }
        AclBinding.Permission permission = AclBinding.Permission.valueOf(words.get(0).toUpperCase(Locale.ROOT));
        AclBinding.Operation operation = AclBinding.Operation.valueOf(words.get(2).toUpperCase(Locale.ROOT));
        AclBinding.ResourceType type = AclBinding.ResourceType.valueOf(words.get(3).toUpperCase(Locale.ROOT));
        String name = type == AclBinding.ResourceType.CLUSTER ? "" : arg(words, 4, "the " + words.get(3) + "'s name");
        return new AclBinding(words.get(1), type, name, operation, permission);
    }

    private static void bootstrapUser(List<String> words, String zookeeper, String root, PrintStream out)
            throws Exception {
        if (!words.get(0).equals("users") || !words.get(1).equals("add")) {
            throw new IllegalArgumentException("--zookeeper only creates users: users add NAME --zookeeper HOST:PORT");
        }
        String user = arg(words, 2, "a user name");
        try (ZooKeeperMetadataStore store = ZooKeeperMetadataStore.connect(zookeeper, root, Duration.ofSeconds(30))) {
            store.setUserCredential(user, ScramCredential.create(password(user), ScramCredential.DEFAULT_ITERATIONS)
                    .encode());
        }
        out.println("User " + user + " is set in ZooKeeper " + zookeeper + root + ".");
    }

    private static String password(String user) throws Exception {
        System.err.print("Password of " + user + " (from standard input): ");
        String password = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        if (password == null || password.isEmpty()) {
            throw new IllegalArgumentException("no password given on standard input");
        }
        return password;
    }

    private static String arg(List<String> words, int index, String what) {
        if (words.size() <= index) {
            throw new IllegalArgumentException("missing " + what);
        }
        return words.get(index);
    }

    private static String value(String[] args, int index) {
        if (index >= args.length) {
            usage("missing value after " + args[index - 1]);
        }
        return args[index];
    }

    private static void usage(String problem) {
        System.err.println("thermocline: " + problem + "\nUsage: thermocline users (add|delete) NAME | users list"
                + " | users add NAME --zookeeper HOST:PORT\n       thermocline acls (add|remove) (allow|deny) PRINCIPAL"
                + " OPERATION (cluster | database DB | table DB.TABLE) | acls list\n       client options:"
                + " --bootstrap-servers HOST:PORT --conf KEY=VALUE (security.protocol, security.sasl.username, ...)");
        System.exit(64);
    }
}
