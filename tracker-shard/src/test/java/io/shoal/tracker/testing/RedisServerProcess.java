package io.shoal.tracker.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real {@code redis-server} process for tests: loopback only, no persistence, a free port that stays the
 * same across {@link #stop()} / {@link #start()} so that clients can be shown to reconnect. A machine without
 * redis-server fails the test with a clear message: Redis-backed behaviour is never silently skipped.
 *
 * <p>It carries a tiny RESP client of its own so that tests can inspect the server without depending on the
 * client library under test.
 */
public final class RedisServerProcess implements AutoCloseable {

    private static final long START_TIMEOUT_MS = 10_000;
    private static final int IO_TIMEOUT_MS = 5_000;

    private static RedisServerProcess shared;

    private final Path executable;
    private final Path workDir;
    private final List<String> extraArgs;
    private int port;
    private Process process;

    private RedisServerProcess(Path executable, Path workDir, List<String> extraArgs) {
        this.executable = executable;
        this.workDir = workDir;
        this.extraArgs = List.copyOf(extraArgs);
    }

    /** Starts a server on a free loopback port. Extra arguments are passed as they are (e.g. "--maxmemory", "10mb"). */
    public static RedisServerProcess startNew(String... extraArgs) {
        Path exe = findExecutable();
        Path dir;
        try {
            dir = Files.createTempDirectory("shoal-redis-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        RedisServerProcess server = new RedisServerProcess(exe, dir, List.of(extraArgs));
        IllegalStateException last = null;
        // A free port found by binding can be taken by someone else before redis binds it: retry a few times.
        for (int attempt = 0; attempt < 5; attempt++) {
            server.port = LoopbackPorts.freeTcp();
            try {
                server.start();
                return server;
            } catch (IllegalStateException e) {
                last = e;
            }
        }
        server.deleteWorkDir();
        throw last;
    }

    /**
     * One server for every test of this JVM that does not stop or pause it (start it once, flushAll between
     * tests). Killed when the JVM exits.
     */
    public static synchronized RedisServerProcess shared() {
        if (shared == null || !shared.isRunning()) {
            RedisServerProcess server = startNew();
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "redis-server-shutdown"));
            shared = server;
        }
        return shared;
    }

    /** Path of redis-server: the first on PATH, else /usr/bin/redis-server. */
    public static Path findExecutable() {
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(java.io.File.pathSeparator)) {
                if (dir.isEmpty()) {
                    continue;
                }
                Path candidate = Paths.get(dir, "redis-server");
                if (Files.isExecutable(candidate)) {
                    return candidate;
                }
            }
        }
        Path fallback = Paths.get("/usr/bin/redis-server");
        if (Files.isExecutable(fallback)) {
            return fallback;
        }
        throw new IllegalStateException("redis-server not found on PATH nor at /usr/bin/redis-server: "
                + "install it (Debian: apt-get install redis-server); Redis tests need a real server");
    }

    /** (Re)starts the server on its port and waits until it answers PING. */
    public synchronized void start() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("redis-server already running on port " + port);
        }
        List<String> cmd = new ArrayList<>(List.of(
                executable.toString(),
                "--port", Integer.toString(port),
                "--bind", "127.0.0.1",
                "--save", "",
                "--appendonly", "no",
                "--daemonize", "no",
                "--dir", workDir.toString(),
                "--logfile", ""));
        cmd.addAll(extraArgs);
        Path log = workDir.resolve("redis.log");
        try {
            process = new ProcessBuilder(cmd)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + executable, e);
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(START_TIMEOUT_MS);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("redis-server exited with " + process.exitValue()
                        + " on port " + port + ": " + tail(log));
            }
            try {
                if ("PONG".equals(command("PING"))) {
                    return;
                }
            } catch (UncheckedIOException notYet) {
                // not listening yet
            }
            sleep(20);
        }
        process.destroyForcibly();
        throw new IllegalStateException("redis-server did not answer PING on port " + port + ": " + tail(log));
    }

    /** Kills the server (SIGKILL, as a crash would) and waits for it to be gone. Data is lost. */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("redis-server did not exit");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        process = null;
    }

    /** Freezes the server (SIGSTOP): connections stay open but nothing is answered, as with a hung host. */
    public synchronized void pause() {
        signal("-STOP");
    }

    /** Undoes {@link #pause()}. */
    public synchronized void resume() {
        signal("-CONT");
    }

    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    public int port() {
        return port;
    }

    public String host() {
        return "127.0.0.1";
    }

    /** The server's URI, e.g. {@code redis://127.0.0.1:6390}. */
    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    /** Process id of the running server (for CPU accounting in measurements). */
    public synchronized long pid() {
        if (process == null) {
            throw new IllegalStateException("not running");
        }
        return process.pid();
    }

    public void flushAll() {
        Object reply = command("FLUSHALL");
        if (!"OK".equals(reply)) {
            throw new IllegalStateException("FLUSHALL answered " + reply);
        }
    }

    /** Value of one field of {@code INFO <section>}, e.g. info("memory", "used_memory"). */
    public String info(String section, String field) {
        Object reply = command("INFO", section);
        String text = reply instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : String.valueOf(reply);
        for (String line : text.split("\r\n")) {
            if (line.startsWith(field + ":")) {
                return line.substring(field.length() + 1);
            }
        }
        throw new IllegalArgumentException("no field " + field + " in INFO " + section);
    }

    /**
     * Sends one command on a fresh connection and returns the reply: String for status replies, Long for
     * integers, byte[] for bulk strings (null for nil), List for arrays. Error replies throw.
     */
    public Object command(Object... args) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), IO_TIMEOUT_MS);
            socket.setSoTimeout(IO_TIMEOUT_MS);
            OutputStream out = socket.getOutputStream();
            out.write(Resp.encode(args));
            out.flush();
            return Resp.read(socket.getInputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Like {@link #command} but decodes bulk replies (also inside arrays) as UTF-8 strings. */
    public Object commandText(Object... args) {
        return Resp.text(command(args));
    }

    @Override
    public synchronized void close() {
        stop();
        deleteWorkDir();
    }

    private void signal(String sig) {
        if (process == null || !process.isAlive()) {
            throw new IllegalStateException("redis-server is not running");
        }
        try {
            Process kill = new ProcessBuilder("kill", sig, Long.toString(process.pid())).inheritIO().start();
            if (!kill.waitFor(5, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill " + sig + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void deleteWorkDir() {
        try (Stream<Path> files = Files.walk(workDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a leftover temp directory is harmless
        }
    }

    private static String tail(Path log) {
        try {
            String text = Files.exists(log) ? Files.readString(log) : "";
            return text.length() > 2000 ? text.substring(text.length() - 2000) : text;
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Minimal RESP2 encoding and decoding, enough for test inspection. */
    static final class Resp {
        private static final int MAX_BULK = 512 * 1024 * 1024;

        private Resp() {
        }

        static byte[] encode(Object... args) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            writeAscii(out, "*" + args.length + "\r\n");
            for (Object arg : args) {
                byte[] bytes = arg instanceof byte[] b ? b : String.valueOf(arg).getBytes(StandardCharsets.UTF_8);
                writeAscii(out, "$" + bytes.length + "\r\n");
                out.write(bytes, 0, bytes.length);
                writeAscii(out, "\r\n");
            }
            return out.toByteArray();
        }

        static Object read(InputStream in) throws IOException {
            int type = in.read();
            if (type < 0) {
                throw new IOException("connection closed");
            }
            String line = readLine(in);
            switch (type) {
                case '+':
                    return line;
                case '-':
                    throw new IllegalStateException("redis error: " + line);
                case ':':
                    return Long.parseLong(line);
                case '$': {
                    int len = Integer.parseInt(line);
                    if (len < 0) {
                        return null;
                    }
                    if (len > MAX_BULK) {
                        throw new IOException("bulk reply too large: " + len);
                    }
                    byte[] data = in.readNBytes(len);
                    if (data.length != len) {
                        throw new IOException("short bulk reply");
                    }
                    readLine(in);
                    return data;
                }
                case '*': {
                    int n = Integer.parseInt(line);
                    if (n < 0) {
                        return null;
                    }
                    List<Object> items = new ArrayList<>(n);
                    for (int i = 0; i < n; i++) {
                        items.add(read(in));
                    }
                    return items;
                }
                default:
                    throw new IOException("unexpected RESP type " + (char) type);
            }
        }

        static Object text(Object reply) {
            if (reply instanceof byte[] b) {
                return new String(b, StandardCharsets.UTF_8);
            }
            if (reply instanceof List<?> list) {
                List<Object> out = new ArrayList<>(list.size());
                for (Object o : list) {
                    out.add(text(o));
                }
                return out;
            }
            return reply;
        }

        private static String readLine(InputStream in) throws IOException {
            StringBuilder sb = new StringBuilder();
            int c;
            while ((c = in.read()) >= 0) {
                if (c == '\r') {
                    int lf = in.read();
                    if (lf != '\n') {
                        throw new IOException("bad line end");
                    }
                    return sb.toString();
                }
                if (sb.length() > 65_536) {
                    throw new IOException("line too long");
                }
                sb.append((char) c);
            }
            throw new IOException("connection closed");
        }

        private static void writeAscii(ByteArrayOutputStream out, String s) {
            byte[] b = s.getBytes(StandardCharsets.US_ASCII);
            out.write(b, 0, b.length);
        }
    }
}
