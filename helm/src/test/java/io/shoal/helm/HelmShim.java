package io.shoal.helm;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * A {@code helm} command for machines without the Helm CLI, for the walkthrough's dry run: {@code helm template}
 * through helm-java (the real Helm library). Supports only what the walkthrough uses: {@code template NAME CHART
 * [--namespace NS] [--include-crds] [--kube-version V] [--set KEY=VALUE]...}.
 */
public final class HelmShim {

    private HelmShim() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 3 || !args[0].equals("template")) {
            System.err.println("helm shim: only 'template NAME CHART [flags]' is supported");
            System.exit(2);
        }
        Path chart = Path.of(args[2]);
        TemplateCommand template = new Helm(chart).template().withName(args[1])
                .withKubeVersion(RenderedChart.KUBE_VERSION);
        boolean includeCrds = false;
        for (int i = 3; i < args.length; i++) {
            switch (args[i]) {
                case "--namespace", "-n" -> template.withNamespace(args[++i]);
                case "--include-crds" -> includeCrds = true;
                case "--kube-version" -> template.withKubeVersion(args[++i]);
                case "--set" -> {
                    String[] kv = args[++i].split("=", 2);
                    template.set(kv[0], kv[1]);
                }
                default -> {
                    System.err.println("helm shim: unsupported flag " + args[i]);
                    System.exit(2);
                }
            }
        }
        StringBuilder out = new StringBuilder();
        if (includeCrds) {
            // What `helm template --include-crds` prints first: each file of crds/ as it is.
            try (Stream<Path> files = Files.list(chart.resolve("crds"))) {
                for (Path crd : files.sorted().toList()) {
                    out.append("---\n# Source: ").append(chart.getFileName()).append("/crds/")
                            .append(crd.getFileName()).append('\n').append(Files.readString(crd));
                }
            }
        }
        out.append(template.call());
        System.out.print(out);
    }

    /** The shim as a script that runs this class with the test's own JVM and class path. */
    static Path install(Path dir) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path script = dir.resolve("helm");
        Files.writeString(script, String.join("\n", List.of(
                "#!/bin/sh",
                "exec '" + java + "' -cp '" + System.getProperty("java.class.path") + "' " + HelmShim.class.getName() + " \"$@\"",
                "")));
        if (!script.toFile().setExecutable(true)) {
            throw new IOException("cannot make " + script + " executable");
        }
        return script;
    }
}
