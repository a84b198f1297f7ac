package io.tally.app.sharding;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.jersey.validation.Validators;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import org.junit.jupiter.api.Test;

import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class ShardingConfigurationTest {
    private static final ObjectMapper YAML = Jackson.newObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory());
    private static final Validator VALIDATOR = Validators.newValidator();

    private static ShardingConfiguration parse(String yaml) throws Exception {
        return YAML.readValue(yaml, ShardingConfiguration.class);
    }

    private static Set<String> problems(ShardingConfiguration c) {
        return VALIDATOR.validate(c).stream().map(ConstraintViolation::getMessage).collect(Collectors.toSet());
    }

    @Test
    void statefulSetHostNamesGiveTheirOrdinal() {
        assertThat(ShardingConfiguration.ordinal("tally-2")).hasValue(2);
        assertThat(ShardingConfiguration.ordinal("tally-12.tally.monitoring.svc.cluster.local")).hasValue(12);
        assertThat(ShardingConfiguration.ordinal("my-tally-0")).hasValue(0);
        assertThat(ShardingConfiguration.ordinal("tally")).isEqualTo(OptionalInt.empty());
        assertThat(ShardingConfiguration.ordinal("tally-x")).isEqualTo(OptionalInt.empty());
        assertThat(ShardingConfiguration.ordinal("tally-7b9f4c-xk2p")).isEqualTo(OptionalInt.empty());
        assertThat(ShardingConfiguration.ordinal(null)).isEqualTo(OptionalInt.empty());
    }

    @Test
    void defaultsAreOneReplicaOwningEverything() throws Exception {
        ShardingConfiguration c = parse("{}");
        assertThat(problems(c)).isEmpty();
        assertThat(c.identity()).isEqualTo(new ShardIdentity(0, 1, Set.of(0)));
        assertThat(c.identity().runsSingletons()).isTrue();
        assertThat(c.identity().owns("anything")).isTrue();
    }

    @Test
    void autoReadsTheOrdinalOfTheHostName() throws Exception {
        ShardingConfiguration c = parse("{ shard: auto, shards: 3, hostname: tally-2, singletons: [0, 1] }");
        assertThat(problems(c)).isEmpty();
        ShardIdentity id = c.identity();
        assertThat(id.index()).isEqualTo(2);
        assertThat(id.of()).isEqualTo(3);
        assertThat(id.runsSingletons()).isFalse();
    }

    @Test
    void aNumberFromTheEnvironmentArrivesAsTextOrNumber() throws Exception {
        assertThat(parse("{ shard: \"1\", shards: 2 }").identity().index()).isEqualTo(1);
        assertThat(parse("{ shard: 1, shards: 2 }").identity().index()).isEqualTo(1);
    }

    @Test
    void refusesWhatCannotBe() throws Exception {
        assertThat(problems(parse("{ shard: auto, shards: 3, hostname: tally }")))
                .anySatisfy(m -> assertThat(m).startsWith("sharding.shard is auto"));
        assertThat(problems(parse("{ shard: auto, shards: 3, hostname: tally-3 }")))
                .anySatisfy(m -> assertThat(m).startsWith("sharding.shard must be below sharding.shards"));
        assertThat(problems(parse("{ shard: 3, shards: 3 }")))
                .anySatisfy(m -> assertThat(m).startsWith("sharding.shard must be below sharding.shards"));
        assertThat(problems(parse("{ shard: 0, shards: 0 }"))).isNotEmpty();
        assertThat(problems(parse("{ shard: -1, shards: 2 }"))).isNotEmpty();
        assertThat(problems(parse("{ shard: one, shards: 2 }"))).isNotEmpty();
        assertThat(problems(parse("{ shards: 2, singletons: [2] }")))
                .anySatisfy(m -> assertThat(m).startsWith("sharding.singletons"));
        assertThat(problems(parse("{ shards: 2, singletons: [1, 1] }")))
                .anySatisfy(m -> assertThat(m).startsWith("sharding.singletons"));
        assertThat(problems(parse("{ shards: 2, singletons: [] }"))).isNotEmpty();
    }
}
