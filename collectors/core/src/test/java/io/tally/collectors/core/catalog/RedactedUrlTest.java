package io.tally.collectors.core.catalog;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RedactedUrlTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "https://hooks.slack.com/services/T000/B000/SECRETXYZ | https://hooks.slack.com/services/***",
        "https://hooks.example.test/services/T000/B000/SECRETXYZ | https://hooks.example.test/services/***",
        "https://example.test/hook?token=SECRETXYZ&team=sre | https://example.test/hook?token=***&team=sre",
        "https://example.test/x?API_KEY=SECRETXYZ&sig=abc&signature=d&access_token=e | https://example.test/x?API_KEY=***&sig=***&signature=***&access_token=***",
        "amqp://guest:SECRETXYZ@127.0.0.1:5672/ | amqp://guest:***@127.0.0.1:5672/",
        "https://SECRETXYZ@example.test/ | https://***@example.test/",
        "http://127.0.0.1:9093/api/v2/alerts | http://127.0.0.1:9093/api/v2/alerts",
        "https://discord.com/api/webhooks/123/abc | https://discord.com/api/***",
        "https://webhooks.rootly.com/webhooks/incoming/generic_webhooks/a1b2c3d4-e5f6 | https://webhooks.rootly.com/webhooks/***",
        "https://example.test/hooks/a8f5f167f44f4964e6c998dee827110c | https://example.test/hooks/***",
        "https://events.pagerduty.com/v2/enqueue | https://events.pagerduty.com/v2/enqueue",
        "tcp://127.0.0.1:6379 | tcp://127.0.0.1:6379",
        "https://example.test/path#SECRETXYZ | https://example.test/path",
        // Gaps found in review: secret query names in other spellings, ...
        "https://example.test/h?authorization=SECRETXYZ | https://example.test/h?authorization=***",
        "https://b.s3.test/o?X-Amz-Signature=SECRETXYZ&X-Amz-Credential=SECRETXYZ&X-Amz-Date=20250101 | https://b.s3.test/o?X-Amz-Signature=***&X-Amz-Credential=***&X-Amz-Date=20250101",
        "https://storage.test/o?X-Goog-Signature=SECRETXYZ | https://storage.test/o?X-Goog-Signature=***",
        "https://example.test/h?jwt=secretxyz&api-key=s&Api_Key=s&apiKey=s&code=s&sig=s | https://example.test/h?jwt=***&api-key=***&Api_Key=***&apiKey=***&code=***&sig=***",
        "https://example.test/h?api%2Dkey=secretxyz | https://example.test/h?api%2Dkey=***",
        // ... values and bare parameters that are tokens whatever their name, ...
        "https://example.test/h?team=sre&id=kqzjxwvbnmplrtsdfg | https://example.test/h?team=sre&id=***",
        "https://example.test/h?secretxyzsecretxyzsecretxyz | https://example.test/h?***",
        // ... a user name that is the key, ...
        "https://sk_live_secretxyz:@api.example.test/ | https://***@api.example.test/",
        "https://secretxyz@api.example.test/ | https://***@api.example.test/",
        "redis://:secretxyz@127.0.0.1:6379/0 | redis://***@127.0.0.1:6379/0",
        "amqp://A8f5Secret:secretxyz@127.0.0.1/ | amqp://***@127.0.0.1/",
        // ... lower-case path tokens of 24 characters or fewer, ...
        "https://example.test/hooks/kqzjxwvbnmplrtsd | https://example.test/hooks/***",
        "https://example.test/hooks/deadbeefcafebabe | https://example.test/hooks/***",
        "https://example.test/hooks/qwxzptkrmvbn/more | https://example.test/hooks/***",
        // ... while words stay words, ...
        "https://example.test/api/v2/generic_webhooks/healthz | https://example.test/api/v2/generic_webhooks/healthz",
        "https://example.test/notifications/incoming | https://example.test/notifications/incoming",
        // ... and IPv6 hosts keep one pair of brackets.
        "http://[::1]:9093/-/healthy | http://[::1]:9093/-/healthy",
        "http://[fe80::1%25eth0]/ | http://[fe80::1%25eth0]/",
    })
    void rendersRedacted(String raw, String shown) {
        RedactedUrl url = RedactedUrl.parse(raw);
        assertThat(url.toString()).isEqualTo(shown);
        assertThat(url.reveal().toString()).isEqualTo(raw);
    }

    @Test
    void scrubsTheSecretFromArbitraryText() {
        RedactedUrl url = RedactedUrl.parse("https://hooks.example.test/services/T000/B000/SECRETXYZ?token=SECRETXYZ");
        String message = "connect to https://hooks.example.test/services/T000/B000/SECRETXYZ?token=SECRETXYZ failed; "
                + "path /services/T000/B000/SECRETXYZ query token=SECRETXYZ";
        assertThat(url.scrub(message)).doesNotContain("SECRETXYZ").contains("https://hooks.example.test/services/***");
    }

    @Test
    void parseErrorsNeverRepeatTheInput() {
        assertThatThrownBy(() -> RedactedUrl.parse("https://hooks.example.test/a b/SECRETXYZ"))
                .isInstanceOf(IllegalArgumentException.class).message().doesNotContain("SECRETXYZ");
        assertThatThrownBy(() -> RedactedUrl.parse("SECRETXYZ")).message().doesNotContain("SECRETXYZ");
    }

    @Test
    void targetToStringIsRedacted() {
        Target target = new Target("slack-prod", TargetType.SLACK,
                RedactedUrl.parse("https://hooks.slack.com/services/T000/B000/SECRETXYZ"), true, null, "static", null);
        assertThat(target.toString()).doesNotContain("SECRETXYZ");
        assertThatThrownBy(() -> new Target("-bad", TargetType.SLACK, target.url(), true, null, "static", null))
                .hasMessageContaining("invalid target name");
    }
}
