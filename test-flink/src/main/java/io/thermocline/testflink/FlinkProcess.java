package io.thermocline.testflink;

import io.thermocline.testservers.ServerProcess;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One Flink process (job manager, task manager or SQL Gateway) started from Flink's own entry point
 * class, as Flink's scripts start it: the configuration directory, the lib/ classpath, log4j.
 */
final class FlinkProcess extends ServerProcess {
    private final String name;
    private final String mainClass;
    private final String classpath;
    private final Path confDir;
    private final List<String> jvmOptions;
    private final List<String> arguments;

    FlinkProcess(Path dir, int port, String name, String mainClass, String classpath, Path confDir, List<String> jvmOptions,
            List<String> arguments) {
        super(dir, port);
        this.name = name;
        this.mainClass = mainClass;
        this.classpath = classpath;
        this.confDir = confDir;
        this.jvmOptions = jvmOptions;
        this.arguments = arguments;
    }

    @Override
    protected List<String> command() {
        List<String> command = new ArrayList<>(List.of(java()));
        command.addAll(jvmOptions);
        command.addAll(List.of("-Dlog.file=" + dir.resolve(name + ".flink.log"),
                "-Dlog4j.configurationFile=" + confDir.resolve("log4j.properties"), "-cp", classpath, mainClass));
        command.addAll(arguments);
        return command;
    }

    @Override
    protected Map<String, String> environment() {
        return Map.of("FLINK_CONF_DIR", confDir.toString());
    }

    @Override
    protected String name() {
        return name;
    }
}
