package io.shoal.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import org.junit.jupiter.api.Test;

class ChartLintTest {

    @Test
    void strictLintPasses() {
        LintResult lint = new Helm(Repo.chart()).lint().strict().call();

        assertThat(lint.isFailed()).as("helm lint --strict: %s", lint.getMessages()).isFalse();
        assertThat(String.join("\n", lint.getMessages())).doesNotContain("[WARNING]", "[ERROR]");
    }
}
