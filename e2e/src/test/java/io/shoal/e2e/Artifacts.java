package io.shoal.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where the things under test are: the packaged jar, the python with libtorrent, the swarm script. */
final class Artifacts {
    private Artifacts() {
    }

    /** The shaded tracker jar; fails with what to do when it has not been built. */
    static Path jar() {
        String configured = System.getProperty("shoal.jar");
        if (configured == null) {
            throw new IllegalStateException("system property shoal.jar is not set: run the e2e tests through Maven "
                    + "(mvn -pl e2e -am verify)");
        }
        Path jar = Path.of(configured).normalize();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("tracker jar missing at " + jar + ": package tracker-shard first "
                    + "(mvn -pl tracker-shard -am package -DskipTests, or run e2e with -am)");
        }
        return jar;
    }

    /** The JVM running the tests runs the tracker and the load generator too. */
    static Path java() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    /** Debian's python3 has python3-libtorrent; the pyenv one first on PATH does not. Env SHOAL_PYTHON overrides. */
    static Path python() {
        String override = System.getenv("SHOAL_PYTHON");
        Path python = Path.of(override != null && !override.isBlank() ? override : "/usr/bin/python3");
        if (!Files.isExecutable(python)) {
            throw new IllegalStateException(python + " is missing: install python3 and python3-libtorrent "
                    + "(apt-get install python3-libtorrent) or point SHOAL_PYTHON at a python that has libtorrent");
        }
        return python;
    }

    static Path swarmScript() {
        Path script = Path.of(System.getProperty("shoal.swarmScript", "src/test/python/swarm.py"));
        if (!Files.isRegularFile(script)) {
            throw new IllegalStateException("swarm script missing at " + script);
        }
        return script;
    }

    /** e2e/local-cluster.sh, which starts a sharded tracker as separate processes. */
    static Path localClusterScript() {
        Path script = Path.of(System.getProperty("shoal.localClusterScript", "local-cluster.sh"));
        if (!Files.isRegularFile(script)) {
            throw new IllegalStateException("local cluster script missing at " + script);
        }
        return script;
    }

    /** A fresh directory under target/ for one test's files. */
    static Path workDir(String name) throws IOException {
        Path base = Path.of(System.getProperty("shoal.workDir", "target/e2e-work"));
        Files.createDirectories(base);
        return Files.createTempDirectory(base, name + "-");
    }
}
