package io.thermocline.common.testutils;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Self-signed certificates for TLS tests, made with the JDK's keytool. */
public final class TestCertificates {
    /** The password of every keystore made here, and of its key. */
    public static final String PASSWORD = "changeit";

    private TestCertificates() {}

    /**
     * A PKCS12 keystore with a key and a certificate for 127.0.0.1 and localhost, valid for two
     * days; it serves as its own truststore. Made in {@code dir}, or in a temporary directory
     * deleted when the JVM exits when {@code dir} is null.
     */
    public static Path keystore(Path dir) {
        try {
            Path target = dir != null ? dir : Files.createTempDirectory("thermocline-tls");
            Path keystore = target.resolve("server.p12");
            Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                    "-genkeypair", "-alias", "server", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                    "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-storetype", "PKCS12",
                    "-keystore", keystore.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD)
                    .redirectErrorStream(true).start();
            String output = new String(keytool.getInputStream().readAllBytes());
            if (!keytool.waitFor(60, TimeUnit.SECONDS) || keytool.exitValue() != 0) {
                throw new IllegalStateException("keytool failed: " + output);
            }
            if (dir == null) {
                keystore.toFile().deleteOnExit();
                target.toFile().deleteOnExit();
            }
            return keystore;
        } catch (Exception e) {
            throw new IllegalStateException("Cannot make a test certificate", e);
        }
    }
}
