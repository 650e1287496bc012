package io.thermocline.testflink;

import io.thermocline.testservers.ServerProcess;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * A Flink session cluster of separate processes on 127.0.0.1: a job manager and task managers
 * started from Flink's entry points ({@code StandaloneSessionClusterEntrypoint},
 * {@code TaskManagerRunner}) on a lib/ of Flink's own jars plus the jars a test adds, and on
 * demand Flink's SQL Gateway on the same lib/. Jobs are submitted the way Flink users submit them:
 * the REST API's jar upload and run, or SQL through the gateway.
 */
public final class FlinkSessionCluster implements AutoCloseable {
    private static final Duration WAIT = Duration.ofMinutes(2);

    private final Path dir;
    private final Path confDir;
    private final String classpath;
    private final int restPort;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final List<FlinkProcess> processes = new ArrayList<>();

    private FlinkSessionCluster(Path dir, List<Path> extraLib, Map<String, String> conf, int taskManagers) throws IOException {
        this.dir = dir;
        this.confDir = Files.createDirectories(dir.resolve("conf"));
        this.restPort = ServerProcess.freePort();
        List<String> lib = new ArrayList<>(Arrays.asList(resource("flink-lib.classpath").split(java.io.File.pathSeparator)));
        extraLib.forEach(jar -> lib.add(jar.toAbsolutePath().toString()));
        this.classpath = String.join(java.io.File.pathSeparator, lib);

        Map<String, String> config = new LinkedHashMap<>();
        config.put("jobmanager.rpc.address", "127.0.0.1");
        config.put("jobmanager.rpc.port", Integer.toString(ServerProcess.freePort()));
        config.put("jobmanager.bind-host", "127.0.0.1");
        config.put("taskmanager.host", "127.0.0.1");
        config.put("taskmanager.bind-host", "127.0.0.1");
        config.put("rest.address", "127.0.0.1");
        config.put("rest.bind-address", "127.0.0.1");
        config.put("rest.port", Integer.toString(restPort));
        config.put("blob.server.port", "0");
        config.put("taskmanager.numberOfTaskSlots", "4");
        config.put("parallelism.default", "1");
        config.put("jobmanager.memory.process.size", "1024m");
        config.put("taskmanager.memory.process.size", "1600m");
        config.put("taskmanager.memory.managed.size", "128m");
        config.put("execution.target", "remote");
        config.put("web.tmpdir", dir.resolve("web").toString());
        config.put("io.tmp.dirs", Files.createDirectories(dir.resolve("tmp")).toString());
        config.putAll(conf);
        Files.writeString(confDir.resolve("config.yaml"), config.entrySet().stream()
                .map(e -> e.getKey() + ": " + e.getValue()).collect(Collectors.joining("\n", "", "\n")));
        Files.writeString(confDir.resolve("log4j.properties"), String.join("\n",
                "rootLogger.level = INFO",
                "rootLogger.appenderRef.file.ref = file",
                "appender.file.type = File",
                "appender.file.name = file",
                "appender.file.fileName = ${sys:log.file}",
                "appender.file.layout.type = PatternLayout",
                "appender.file.layout.pattern = %d{HH:mm:ss.SSS} %-5p [%t] %c{1} - %m%n", ""));

        // JVM sizes and memory options as Flink's scripts compute them (BashJavaUtils).
        List<List<String>> jm = resourceParams("GET_JM_RESOURCE_PARAMS");
        List<String> jmArgs = new ArrayList<>(List.of("--configDir", confDir.toString()));
        jmArgs.addAll(jm.get(1));
        process("jobmanager", restPort, "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint",
                jm.get(0), jmArgs).start();
        List<List<String>> tm = resourceParams("GET_TM_RESOURCE_PARAMS");
        for (int i = 0; i < taskManagers; i++) {
            int rpcPort = ServerProcess.freePort();
            List<String> tmArgs = new ArrayList<>(List.of("--configDir", confDir.toString(),
                    "-Dtaskmanager.rpc.port=" + rpcPort, "-Dtaskmanager.resource-id=tm-" + i));
            tmArgs.addAll(tm.get(1));
            // The task manager listens on its RPC port: that is what the start waits for.
            process("taskmanager-" + i, rpcPort, "org.apache.flink.runtime.taskexecutor.TaskManagerRunner", tm.get(0),
                    tmArgs).start();
        }
        waitUntil(() -> get("/overview").path("taskmanagers").asInt() == taskManagers,
                taskManagers + " task managers registered");
    }

    /**
     * Starts a cluster in {@code dir} with {@code extraLib} added to Flink's lib/ and {@code conf}
     * added to its config.yaml.
     */
    public static FlinkSessionCluster start(Path dir, List<Path> extraLib, Map<String, String> conf, int taskManagers) {
        try {
            return new FlinkSessionCluster(dir, extraLib, conf, taskManagers);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The official connectors a user's lib/ may hold beside Thermocline's: Iceberg's Flink runtime with
     * the Hadoop client it asks users to add, and Kafka's SQL connector.
     */
    public static List<Path> officialConnectors() {
        return Arrays.stream(resource("official-connectors.classpath").split(java.io.File.pathSeparator)).map(Path::of)
                .toList();
    }

    /** Flink's own lib/ jars, for compiling a user's job against Flink and a connector jar. */
    public static List<Path> flinkLib() {
        return Arrays.stream(resource("flink-lib.classpath").split(java.io.File.pathSeparator)).map(Path::of).toList();
    }

    public int restPort() {
        return restPort;
    }

    /** Starts Flink's SQL Gateway (its REST endpoint) on this cluster's lib/ and configuration. */
    public SqlGatewayClient startSqlGateway() {
        int port = ServerProcess.freePort();
        FlinkProcess gateway = process("sql-gateway", port, "org.apache.flink.table.gateway.SqlGateway",
                List.of("-Xmx768m"), List.of("-Dsql-gateway.endpoint.rest.address=127.0.0.1",
                        "-Dsql-gateway.endpoint.rest.bind-address=127.0.0.1", "-Dsql-gateway.endpoint.rest.port=" + port));
        gateway.start();
        return new SqlGatewayClient(http, URI.create("http://127.0.0.1:" + port));
    }

    /** Uploads a job jar through the REST API and runs its main class with {@code args}; the job's id. */
    public String uploadAndRun(Path jar, List<String> args) {
        String boundary = "----thermocline" + UUID.randomUUID();
        try {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"jarfile\"; filename=\""
                    + jar.getFileName() + "\"\r\nContent-Type: application/x-java-archive\r\n\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            body.write(Files.readAllBytes(jar));
            body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
            JsonNode uploaded = send(HttpRequest.newBuilder(uri("/jars/upload"))
                    .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())));
            String jarId = Path.of(uploaded.path("filename").asText()).getFileName().toString();
            Map<String, Object> run = Map.of("programArgsList", args);
            JsonNode started = send(HttpRequest.newBuilder(uri("/jars/" + jarId + "/run"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(RestJson.JSON.writeValueAsString(run))));
            return started.path("jobid").asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A job's status as the REST API reports it (RUNNING, FINISHED, FAILED, ...). */
    public String jobStatus(String jobId) {
        return get("/jobs/" + jobId).path("state").asText();
    }

    /** The ids of the jobs in {@code state}. */
    public List<String> jobs(String state) {
        List<String> ids = new ArrayList<>();
        get("/jobs/overview").path("jobs").forEach(job -> {
            if (state.equals(job.path("state").asText())) {
                ids.add(job.path("jid").asText());
            }
        });
        return ids;
    }

    public JsonNode get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    public void cancel(String jobId) {
        send(HttpRequest.newBuilder(uri("/jobs/" + jobId + "?mode=cancel")).method("PATCH",
                HttpRequest.BodyPublishers.noBody()));
    }

    public Path dir() {
        return dir;
    }

    @Override
    public void close() {
        for (int i = processes.size() - 1; i >= 0; i--) {
            processes.get(i).stop();
        }
    }

    /** Flink's BashJavaUtils for {@code command}: the JVM options, then the dynamic properties. */
    private List<List<String>> resourceParams(String command) throws IOException {
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                classpath, "org.apache.flink.runtime.util.bash.BashJavaUtils", command, "--configDir", confDir.toString())
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        List<List<String>> results = output.lines().filter(line -> line.startsWith("BASH_JAVA_UTILS_EXEC_RESULT:"))
                .map(line -> List.of(line.substring("BASH_JAVA_UTILS_EXEC_RESULT:".length()).trim().split(" +")))
                .toList();
        if (results.size() < 2) {
            throw new IllegalStateException("Flink's BashJavaUtils " + command + " answered:\n" + output);
        }
        return results;
    }

    private FlinkProcess process(String name, int port, String mainClass, List<String> jvm, List<String> args) {
        List<String> jvmOptions = new ArrayList<>(jvm);
        // What Flink's scripts pass on Java 17 (Arrow, Kryo and Flink's own reflection need them).
        jvmOptions.addAll(List.of("--add-opens=java.base/java.nio=ALL-UNNAMED", "--add-opens=java.base/java.lang=ALL-UNNAMED",
                "--add-opens=java.base/java.util=ALL-UNNAMED", "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
                "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED", "--add-opens=java.base/java.net=ALL-UNNAMED",
                "--add-opens=java.base/java.io=ALL-UNNAMED", "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
                "--add-opens=java.base/java.time=ALL-UNNAMED", "--add-opens=java.base/java.text=ALL-UNNAMED",
                "--add-opens=java.sql/java.sql=ALL-UNNAMED"));
        FlinkProcess process = new FlinkProcess(dir.resolve(name), port, name, mainClass, classpath, confDir, jvmOptions,
                args);
        processes.add(process);
        return process;
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + restPort + path);
    }

    private JsonNode send(HttpRequest.Builder request) {
        HttpRequest built = request.timeout(Duration.ofMinutes(2)).build();
        return RestJson.exchange(http, built, (status, body) -> new IllegalStateException("Flink REST " + built.uri()
                + " answered " + status + ": " + body));
    }

    static void waitUntil(java.util.function.BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            try {
                if (condition.getAsBoolean()) {
                    return;
                }
            } catch (RuntimeException e) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Timed out waiting for " + what, e);
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Timed out after " + WAIT + " waiting for " + what);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private static String resource(String name) {
        try (InputStream in = FlinkSessionCluster.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
