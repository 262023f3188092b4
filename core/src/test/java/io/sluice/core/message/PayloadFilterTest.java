package io.sluice.core.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The payload filter language, operator by operator. */
class PayloadFilterTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final JsonNode INVOICE = JSON.readTree("""
            {"type": "invoice", "amount": 250, "status": "paid", "test": false,
             "customer": {"country": "DE", "tags": ["vip", "eu"]}, "lines": [{"sku": "A-1"}]}""");

    @Test
    void aPlainValueMeansEqualAndNumbersCompareByValue() {
        assertThat(matches("{\"type\": \"invoice\"}")).isTrue();
        assertThat(matches("{\"type\": \"refund\"}")).isFalse();
        assertThat(matches("{\"amount\": 250.0}")).isTrue();
        assertThat(matches("{\"test\": false}")).isTrue();
        assertThat(matches("{\"customer\": {\"country\": \"DE\", \"tags\": [\"vip\", \"eu\"]}}")).isTrue();
    }

    @Test
    void eqAndNeq() {
        assertThat(matches("{\"status\": {\"$eq\": \"paid\"}}")).isTrue();
        assertThat(matches("{\"status\": {\"$neq\": \"paid\"}}")).isFalse();
        assertThat(matches("{\"status\": {\"$neq\": \"void\"}}")).isTrue();
        assertThat(matches("{\"missing\": {\"$neq\": \"x\"}}")).as("absent is not equal").isTrue();
        assertThat(matches("{\"missing\": {\"$eq\": null}}")).as("absent is not null").isFalse();
    }

    @Test
    void inTakesAnyOfItsValues() {
        assertThat(matches("{\"customer.country\": {\"$in\": [\"FR\", \"DE\"]}}")).isTrue();
        assertThat(matches("{\"customer.country\": {\"$in\": [\"FR\", \"IT\"]}}")).isFalse();
        assertThat(matches("{\"missing\": {\"$in\": [null]}}")).isFalse();
    }

    @Test
    void existsAsksWhetherThePathLeadsSomewhere() {
        assertThat(matches("{\"customer.country\": {\"$exists\": true}}")).isTrue();
        assertThat(matches("{\"coupon\": {\"$exists\": false}}")).isTrue();
        assertThat(matches("{\"coupon\": {\"$exists\": true}}")).isFalse();
    }

    @Test
    void gtAndLtCompareNumbersOnly() {
        assertThat(matches("{\"amount\": {\"$gt\": 100}}")).isTrue();
        assertThat(matches("{\"amount\": {\"$gt\": 250}}")).isFalse();
        assertThat(matches("{\"amount\": {\"$gt\": 100, \"$lt\": 1000}}")).isTrue();
        assertThat(matches("{\"amount\": {\"$gt\": 100, \"$lt\": 200}}")).isFalse();
        assertThat(matches("{\"status\": {\"$gt\": 1}}")).as("a string is no number").isFalse();
    }

    @Test
    void pathsGoIntoObjectsAndArrays() {
        assertThat(matches("{\"customer.tags.0\": \"vip\"}")).isTrue();
        assertThat(matches("{\"lines.0.sku\": \"A-1\"}")).isTrue();
        assertThat(matches("{\"lines.1.sku\": {\"$exists\": false}}")).isTrue();
        assertThat(matches("{\"type.deeper\": {\"$exists\": false}}")).isTrue();
    }

    @Test
    void andOrAndSeveralKeys() {
        assertThat(matches("{\"type\": \"invoice\", \"status\": \"paid\"}")).isTrue();
        assertThat(matches("{\"type\": \"invoice\", \"status\": \"void\"}")).isFalse();
        assertThat(matches("{\"$or\": [{\"status\": \"void\"}, {\"amount\": {\"$gt\": 200}}]}")).isTrue();
        assertThat(matches("{\"$or\": [{\"status\": \"void\"}, {\"amount\": {\"$lt\": 200}}]}")).isFalse();
        assertThat(matches("{\"$and\": [{\"type\": \"invoice\"}, {\"$or\": [{\"test\": true}, "
                + "{\"customer.country\": \"DE\"}]}]}")).isTrue();
    }

    @Test
    void aFilterOutsideTheLanguageIsRefusedWithTheReason() {
        assertRefused("[]", "non-empty JSON object");
        assertRefused("{}", "non-empty JSON object");
        assertRefused("{\"$not\": {}}", "unknown operator $not");
        assertRefused("{\"amount\": {\"$gte\": 1}}", "unknown operator $gte");
        assertRefused("{\"amount\": {\"$gt\": \"1\"}}", "$gt takes a number");
        assertRefused("{\"tags\": {\"$in\": \"vip\"}}", "$in takes an array");
        assertRefused("{\"x\": {\"$exists\": 1}}", "$exists takes true or false");
        assertRefused("{\"$or\": []}", "non-empty array");
        assertRefused("{\"a..b\": 1}", "not a path");
        assertRefused("{\"$and\":[{\"$and\":[{\"$and\":[{\"$and\":[{\"$and\":[{\"$and\":[{\"$and\":[{\"$and\":"
                + "[{\"$and\":[{\"a\":1}]}]}]}]}]}]}]}]}]}", "deeper than");
    }

    private static boolean matches(String filter) {
        return PayloadFilter.parse(JSON.readTree(filter)).matches(INVOICE);
    }

    private static void assertRefused(String filter, String reason) {
        assertThatThrownBy(() -> PayloadFilter.parse(JSON.readTree(filter)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(reason);
    }
}
