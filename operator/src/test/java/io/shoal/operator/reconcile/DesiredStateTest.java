package io.shoal.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class DesiredStateTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode j(String s) throws Exception {
        return JSON.readTree(s.replace('\'', '"'));
    }

    @Test
    void fieldsTheServerAddsDoNotCount() throws Exception {
        assertThat(DesiredState.contains(
                j("{'replicas':2,'template':{'containers':[{'name':'a','image':'x','terminationMessagePath':'/dev/t'}]},'strategy':{}}"),
                j("{'replicas':2,'template':{'containers':[{'name':'a','image':'x'}]}}"))).isTrue();
    }

    @Test
    void aChangedOrMissingDesiredValueCounts() throws Exception {
        JsonNode desired = j("{'replicas':2,'template':{'containers':[{'name':'a','image':'x'}]}}");
        assertThat(DesiredState.contains(j("{'replicas':3,'template':{'containers':[{'name':'a','image':'x'}]}}"), desired)).isFalse();
        assertThat(DesiredState.contains(j("{'replicas':2,'template':{'containers':[{'name':'a','image':'y'}]}}"), desired)).isFalse();
        assertThat(DesiredState.contains(j("{'replicas':2}"), desired)).isFalse();
    }

    @Test
    void listsMustHaveTheSameLength() throws Exception {
        assertThat(DesiredState.contains(j("{'ports':[1,2,3]}"), j("{'ports':[1,2]}"))).isFalse();
        assertThat(DesiredState.contains(j("{'ports':[1]}"), j("{'ports':[1,2]}"))).isFalse();
        assertThat(DesiredState.contains(j("{'ports':[2,1]}"), j("{'ports':[1,2]}"))).isFalse();
    }

    @Test
    void numbersCompareByValueAndEmptyDesiredMatchesAbsent() throws Exception {
        assertThat(DesiredState.contains(j("{'a':1.0}"), j("{'a':1}"))).isTrue();
        assertThat(DesiredState.contains(j("{}"), j("{'a':{}}"))).isTrue();
        assertThat(DesiredState.contains(j("{}"), j("{'a':[]}"))).isTrue();
        assertThat(DesiredState.contains(j("{}"), j("{'a':''}"))).isFalse();
        assertThat(DesiredState.contains(j("{'a':'1'}"), j("{'a':1}"))).isFalse();
    }
}
