package org.convrouter.app;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** The real jar, run as its own process, the way an operator runs it. */
final class JarProcess implements AutoCloseable {

    static final Path JAR = Path.of("target", "conversation-router.jar");
    static final String ADMIN = "it-admin-token";

    private final Process process;
    private final int port;
    private final StringBuffer output = new StringBuffer();

    private JarProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    static JarProcess start(Path dataDir, Path rulesDir, String... extraArgs) throws Exception {
        return start("512m", java.util.Map.of(), dataDir, rulesDir, extraArgs);
    }

    /** As {@link #start}, with this much heap at most (-Xmx). */
    static JarProcess startWithHeap(String maxHeap, Path dataDir, Path rulesDir, String... extraArgs) throws Exception {
        return start(maxHeap, java.util.Map.of(), dataDir, rulesDir, extraArgs);
    }

    /** With these environment variables besides the admin token (the mail settings, say). */
    static JarProcess start(java.util.Map<String, String> env, Path dataDir, Path rulesDir, String... extraArgs)
            throws Exception {
        return start("512m", env, dataDir, rulesDir, extraArgs);
    }

    private static JarProcess start(String maxHeap, java.util.Map<String, String> env, Path dataDir, Path rulesDir,
                                    String... extraArgs) throws Exception {
        int port = freePort();
        ProcessBuilder builder = serve(maxHeap, port, dataDir, rulesDir, extraArgs);
        builder.environment().putAll(env);
        JarProcess jar = new JarProcess(builder.start(), port);
        jar.awaitListening();
        return jar;
    }

    /** What a process that stopped by itself printed, and its exit code. */
    record Exited(int exitCode, String output) {}

    /** Runs {@code serve} until the process ends by itself (a start that fails), within 60 s. */
    static Exited runToEnd(Path dataDir, Path rulesDir, String... extraArgs) throws Exception {
        return runToEnd(java.util.Map.of(), dataDir, rulesDir, extraArgs);
    }

    static Exited runToEnd(java.util.Map<String, String> env, Path dataDir, Path rulesDir, String... extraArgs)
            throws Exception {
        ProcessBuilder builder = serve("512m", freePort(), dataDir, rulesDir, extraArgs);
        builder.environment().putAll(env);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("the jar did not stop:\n" + output);
        }
        return new Exited(process.exitValue(), output);
    }

    private static ProcessBuilder serve(String maxHeap, int port, Path dataDir, Path rulesDir, String... extraArgs) {
        if (!Files.exists(JAR)) {
            throw new IllegalStateException(JAR + " is missing: whole-app tests run in 'mvn verify' after packaging");
        }
        List<String> command = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx" + maxHeap,
                "-XX:+ExitOnOutOfMemoryError", "-jar", JAR.toString(), "serve",
                "--port", Integer.toString(port), "--data", dataDir.toString(), "--rules", rulesDir.toString()));
        command.addAll(List.of(extraArgs));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("ROUTER_ADMIN_TOKEN", ADMIN);
        return builder;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private void awaitListening() throws InterruptedException {
        CountDownLatch listening = new CountDownLatch(1);
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    output.append(line).append('\n');
                    if (line.contains("conversation-router listening on")) {
                        listening.countDown();
                    }
                }
            } catch (IOException ignored) {
                // the process ended
            }
        }, "jar-output");
        reader.setDaemon(true);
        reader.start();
        if (!listening.await(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("the jar did not start:\n" + output);
        }
    }

    String base() {
        return "http://127.0.0.1:" + port;
    }

    boolean alive() {
        return process.isAlive();
    }

    String output() {
        return output.toString();
    }

    /** SIGKILL: no shutdown hook, no flush, as in a crash. */
    void killHard() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            killHard();
        }
    }
}
