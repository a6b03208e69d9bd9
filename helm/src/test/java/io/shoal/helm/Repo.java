package io.shoal.helm;

import java.nio.file.Files;
import java.nio.file.Path;

/** Paths in the repository, found from the build's {@code shoal.root} property (the reactor's top directory). */
final class Repo {

    private Repo() {
    }

    static Path root() {
        String root = System.getProperty("shoal.root");
        if (root == null) {
            throw new IllegalStateException("system property shoal.root is not set (run through Maven)");
        }
        return Path.of(root).toAbsolutePath().normalize();
    }

    static Path chart() {
        return existing(root().resolve("helm/shoal-operator"));
    }

    static Path crds() {
        return existing(root().resolve("crds"));
    }

    static Path examples() {
        return existing(root().resolve("examples"));
    }

    /** The Maven project version: the chart's version and the images' tag. */
    static String version() {
        String version = System.getProperty("shoal.version");
        if (version == null) {
            throw new IllegalStateException("system property shoal.version is not set (run through Maven)");
        }
        return version;
    }

    private static Path existing(Path path) {
        if (!Files.exists(path)) {
            throw new IllegalStateException(path + " does not exist");
        }
        return path;
    }
}
