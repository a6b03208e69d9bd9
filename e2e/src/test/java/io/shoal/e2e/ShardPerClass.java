package io.shoal.e2e;

import java.nio.file.Path;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One packaged shard (default settings) for all tests of a class, started before the first and stopped after the
 * last, with a work directory for its log and the tests' files. Register as a static {@code @RegisterExtension}.
 */
final class ShardPerClass implements BeforeAllCallback, AfterAllCallback {
    private final String name;
    private Path work;
    private ShardProcess shard;

    /** @param name names the work directory */
    ShardPerClass(String name) {
        this.name = name;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        work = Artifacts.workDir(name);
        shard = ShardProcess.start(work);
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (shard != null) {
            shard.close();
        }
    }

    ShardProcess shard() {
        return shard;
    }

    Path work() {
        return work;
    }
}
